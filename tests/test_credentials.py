"""Personal links and staff tokens can be revoked and re-issued."""

from __future__ import annotations

from meetops.audit.models import AuditEntry
from meetops.auth.models import User
from meetops.extensions import db
from meetops.notifications.models import OutboxMessage

from .conftest import DEMO_SLUG, bearer


def test_participant_replaces_their_link(client, meeting, register):
    old = register(email="ana@example.org")["token"]
    response = client.post(f"/r/{old}/reissue")
    assert response.status_code == 302
    new = response.headers["Location"].rsplit("/r/", 1)[1]
    assert new != old
    assert client.get(f"/r/{old}").status_code == 404
    assert client.get("/api/v1/registrations/me", headers=bearer(old)).status_code == 401
    assert client.get(f"/r/{new}").status_code == 200
    mail = db.session.query(OutboxMessage).filter_by(kind="new_link").one()
    assert new in mail.body and old not in mail.body


def test_secretariat_reissues_a_leaked_link(client, meeting, register, make_user):
    body = register(email="bob@example.org")
    user, admin = make_user("admin")
    _, chair = make_user("chair")
    url = f"/admin/registrations/{body['id']}/reissue"
    assert client.post(url, headers=bearer(chair)).status_code == 403
    assert client.post(url, headers=bearer(admin)).status_code == 302
    assert client.get(f"/r/{body['token']}").status_code == 404
    entry = db.session.query(AuditEntry).one()
    assert (entry.actor, entry.action) == (user.email, "registration.reissue_link")
    page = client.get(f"/admin/meetings/{DEMO_SLUG}/registrations?lang=es",
                      headers=bearer(admin)).get_data(as_text=True)
    assert "Nuevo enlace" in page


def test_staff_token_rotation_and_revocation(runner, app, meeting, make_user, client):
    user, token = make_user("admin")
    url = f"/api/v1/meetings/{DEMO_SLUG}/registrations"
    result = runner.invoke(args=["meetops", "rotate-token", user.email])
    assert result.exit_code == 0
    new = result.output.strip().splitlines()[-1]
    assert client.get(url, headers=bearer(token)).status_code == 401
    assert client.get(url, headers=bearer(new)).status_code == 200
    assert runner.invoke(args=["meetops", "revoke-token", user.email]).exit_code == 0
    assert client.get(url, headers=bearer(new)).status_code == 401
    assert runner.invoke(args=["meetops", "revoke-token", "nobody@x.org"]).exit_code != 0


def test_set_password_and_deactivate(runner, app, meeting, make_user, client):
    user, _ = make_user("chair")
    short = runner.invoke(args=["meetops", "set-password", user.email], input="short\nshort\n")
    assert short.exit_code != 0
    ok = runner.invoke(args=["meetops", "set-password", user.email],
                       input="a-long-password\na-long-password\n")
    assert ok.exit_code == 0, ok.output
    db.session.expire_all()
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$") and "a-long-password" not in stored
    assert client.post("/login", data={"email": user.email, "password": "a-long-password"}
                       ).status_code == 302
    assert runner.invoke(args=["meetops", "deactivate-user", user.email]).exit_code == 0
    assert client.post("/login", data={"email": user.email, "password": "a-long-password"}
                       ).status_code == 401
