"""Every route against every role: who may, who may not, and nothing leaks.

ACCESS declares, for each endpoint, the lowest role that may use it. A route that is not
declared fails the test, so a new route cannot ship without its access being decided and tested.
"""

from __future__ import annotations

import pytest

from meetops.consultation.services import load_consultation
from meetops.extensions import db

from .conftest import DEMO_SLUG, bearer

ROLES = ("anonymous", "participant", "interpreter", "chair", "admin")
PUBLIC, PARTICIPANT, INTERPRETER, CHAIR, ADMIN, TOKEN = (
    "public", "participant", "interpreter", "chair", "admin", "token")
OWNER_OR_ADMIN = "participant-or-admin"
OWNER_OR_CHAIR = "participant-or-chair"
#: endpoints whose body never ends (Server-Sent Events): only their status is read
STREAMS = {"floor.stream"}

#: endpoint -> who may use it. "token": whoever holds that participant's personal link
#: (a wrong link is a 404); "participant": a participant's Bearer token.
ACCESS = {
    "meetings.home": PUBLIC,
    "meetings.meeting_home": PUBLIC,
    "meetings.admin_home": INTERPRETER,  # any staff: their entry page
    "audit.audit_log": ADMIN,
    "registration.admin_registrations": ADMIN,
    "registration.admin_registrations_home": ADMIN,
    "registration.admin_reissue": ADMIN,
    "registration.admin_set_status": ADMIN,
    "registration.registrations_csv": ADMIN,
    "notifications.outbox": ADMIN,
    "apidoc.docs": PUBLIC,
    "apidoc.openapi_json": PUBLIC,
    "meetings_api.meeting": PUBLIC,
    "meetings_api.patch_meeting": ADMIN,
    "registration_api.create": PUBLIC,
    "registration_api.all_registrations": ADMIN,
    "registration_api.me": PARTICIPANT,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "registration.register_form": PUBLIC,
    "registration.personal": TOKEN,
    "registration.personal_calendar": TOKEN,
    "registration.personal_cancel": TOKEN,
    "registration.personal_edit": TOKEN,
    "registration.personal_reissue": TOKEN,
    "static": PUBLIC,
    # consultation
    "consultation.admin_deadlines": ADMIN,
    "consultation.admin_comments": ADMIN,
    "consultation.comments_csv": ADMIN,
    "consultation.admin_settings": ADMIN,
    "consultation.areas_csv": ADMIN,
    "consultation.admin_import_areas": ADMIN,
    "consultation.admin_support": ADMIN,
    "consultation.support_svg": ADMIN,
    "consultation.support_csv": ADMIN,
    "consultation_api.get_comment": OWNER_OR_ADMIN,
    "consultation_api.update_comment": PARTICIPANT,
    "consultation_api.withdraw_comment": PARTICIPANT,
    "consultation_api.comment_deadlines": PUBLIC,
    "consultation_api.set_comment_deadlines": ADMIN,
    "consultation_api.create_comment": PARTICIPANT,
    "consultation_api.all_comments": ADMIN,
    "consultation_api.my_comments": PARTICIPANT,
    "consultation_api.priority_areas": PUBLIC,
    "consultation_api.replace_priority_areas": ADMIN,
    "consultation_api.support_matrix": ADMIN,
    "consultation.edit_comment": TOKEN,
    "consultation.withdraw_comment": TOKEN,
    "consultation.new_comment": TOKEN,
    # agenda and calendar
    "agenda.admin_change_item": ADMIN,
    "agenda.admin_agenda": ADMIN,
    "agenda.admin_change_session": ADMIN,
    "agenda.admin_add_item": ADMIN,
    "agenda.admin_publish": ADMIN,
    "agenda_api.patch_item": ADMIN,
    "agenda_api.delete_item": ADMIN,
    "agenda_api.agenda": PUBLIC,
    "agenda_api.patch_session": ADMIN,
    "agenda_api.create_item": ADMIN,
    "agenda_api.publish_session": ADMIN,
    "agenda.agenda_page": PUBLIC,
    "calendar.meeting_file": PUBLIC,
    "calendar.personal_calendar_file": TOKEN,
    # the floor
    "floor_api.floor": PUBLIC,
    "floor_api.clock": PUBLIC,
    "floor_api.add_on_behalf": CHAIR,
    "floor_api.close_list": CHAIR,
    "floor_api.open_list": CHAIR,
    "floor_api.end": CHAIR,
    "floor_api.give": CHAIR,
    "floor_api.move": CHAIR,
    "floor_api.next_speaker": CHAIR,
    "floor_api.pause": CHAIR,
    "floor_api.resume": CHAIR,
    "floor_api.ask": PARTICIPANT,
    "floor_api.withdraw": OWNER_OR_CHAIR,
    "floor_api.totals": CHAIR,
    "floor.personal_ask": TOKEN,
    "floor.personal_withdraw": TOKEN,
    "floor.chair": CHAIR,
    "floor.stream": PUBLIC,
    "floor.totals_csv": CHAIR,
    "floor.interpret": INTERPRETER,
    "floor.live": PUBLIC,
    # notes for the interpretation booths
    "booth.add_note": ADMIN,
    "booth.remove_note": ADMIN,
}
RANK = {PUBLIC: 0, PARTICIPANT: 1, INTERPRETER: 2, CHAIR: 3, ADMIN: 4}
ROLE_RANK = {"interpreter": 2, "chair": 3, "admin": 4}


def allowed(policy: str, role: str) -> bool:
    if policy == PUBLIC:
        return True
    if policy == OWNER_OR_ADMIN:
        return role in ("participant", "admin")
    if policy == OWNER_OR_CHAIR:
        return role in ("participant", "chair", "admin")
    if policy == PARTICIPANT:
        return role == "participant"
    return role in ROLE_RANK and ROLE_RANK[role] >= RANK[policy]


@pytest.fixture
def world(app, client, meeting, register, make_user):
    """Two participants, one staff member per role; the URL values of every route."""
    load_consultation(db.session, meeting)
    db.session.commit()
    ana = register(name="Ana Privada", email="ana.privada@example.org")
    bob = register(name="Bob", email="bob@example.org")
    comment = client.post(f"/api/v1/meetings/{DEMO_SLUG}/comments", headers=bearer(ana["token"]),
                          json={"priority_areas": ["A1.1"], "horizon": "short",
                                "text": "Texto privado de Ana"}).get_json()
    tokens = {"participant": bob["token"]}
    for role in ("interpreter", "chair", "admin"):
        tokens[role] = make_user(role)[1]
    floor_request = client.post(f"/api/v1/sessions/{meeting.sessions[0].id}/floor/requests",
                                headers=bearer(ana["token"]),
                                json={"kind": "statement", "language": "es"}).get_json()
    item = client.post(f"/api/v1/sessions/{meeting.sessions[0].id}/items",
                       headers=bearer(tokens["admin"]),
                       json={"title": {"en": "Opening", "es": "Apertura"}, "kind": "opening",
                             "duration_minutes": 15}).get_json()
    values = {"slug": DEMO_SLUG, "session_id": meeting.sessions[0].id,
              "registration_id": ana["id"], "id": meeting.sessions[0].id,
              "token": ana["token"], "filename": "css/meetops.css",
              "comment_id": comment["id"], "chart": "gaps", "item_id": item["id"],
              "request_id": floor_request["request_id"]}
    return {"tokens": tokens, "values": values, "ana": ana}


def routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_is_declared(app):
    undeclared = sorted({rule.endpoint for rule, _ in routes(app)} - set(ACCESS))
    assert undeclared == []


def url_for_rule(rule, values: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = url.replace(f"<int:{name}>", str(values[name])).replace(
            f"<path:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
    return url


def test_every_route_against_every_role(app, client, world):
    failures = []
    for rule, method in routes(app):
        policy = ACCESS[rule.endpoint]
        url = url_for_rule(rule, world["values"])
        for role in ROLES:
            headers = bearer(world["tokens"][role]) if role != "anonymous" else {}
            response = client.open(url, method=method, headers=headers, json={})
            status = response.status_code
            response.close()
            to_login = status == 302 and "/login" in response.headers.get("Location", "")
            if policy == TOKEN or allowed(policy, role):
                ok = status not in (401, 403) and not to_login
            else:
                ok = status in (401, 403) or to_login
            if not ok:
                failures.append(f"{method} {url} as {role}: {status}")
    assert failures == []


def test_wrong_personal_link_is_404_everywhere(app, client, world):
    values = dict(world["values"], token="f" * 16 + "x" * 43)
    for rule, method in routes(app):
        if ACCESS[rule.endpoint] == TOKEN:
            response = client.open(url_for_rule(rule, values), method=method)
            response.close()
            assert response.status_code == 404, (method, rule.rule)


def test_no_leak_of_other_participants_or_join_links(app, client, world, meeting):
    """Whatever Bob (or a stranger, or an interpreter) can read holds neither Ana's data nor
    any join link; only Ana's own page shows her join links."""
    join = meeting.sessions[0].join_url
    secrets_ = ["ana.privada@example.org", world["ana"]["token"], join, "Texto privado de Ana"]
    for rule, method in routes(app):
        if method != "GET" or ACCESS[rule.endpoint] in (TOKEN, ADMIN) or \
                rule.endpoint in STREAMS:
            continue
        url = url_for_rule(rule, world["values"])
        for role in ("anonymous", "participant", "interpreter", "chair"):
            headers = bearer(world["tokens"][role]) if role != "anonymous" else {}
            response = client.get(url, headers=headers)
            text = response.get_data(as_text=True)
            response.close()
            for secret in secrets_:
                assert secret not in text, (url, role, secret)
    own = client.get(f"/r/{world['ana']['token']}").get_data(as_text=True)
    assert join in own


def test_staff_home_shows_only_what_the_role_may_open(client, world):
    interpreter = client.get("/admin", headers=bearer(world["tokens"]["interpreter"]))
    assert "/admin/outbox" not in interpreter.get_data(as_text=True)
    admin = client.get("/admin", headers=bearer(world["tokens"]["admin"]))
    assert "/admin/outbox" in admin.get_data(as_text=True)
