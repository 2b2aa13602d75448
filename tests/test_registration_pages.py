import csv
import io
from datetime import UTC, datetime

from meetops.extensions import db
from meetops.registration.models import Registration
from meetops.registration.serializers import spreadsheet_safe

from .conftest import DEMO_SLUG, bearer, registration_payload, santiago

FORM = f"/meetings/{DEMO_SLUG}/register"


def form_data(**overrides) -> dict:
    data = registration_payload(**overrides)
    data["consent"] = "y" if data["consent"] else ""
    return data


def test_form_registers_and_redirects_to_personal_page(client, meeting):
    page = client.get(FORM + "?lang=es")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "Inscribirse" in html and "Estado de América Latina y el Caribe" in html
    assert "Chile" in html
    response = client.post(FORM, data=form_data())
    assert response.status_code == 302
    token = db.session.query(Registration).one().token
    assert response.headers["Location"].endswith(f"/r/{token}")
    personal = client.get(f"/r/{token}").get_data(as_text=True)
    assert "María José Núñez" in personal
    assert "https://video.example.org/j/pac-support-platform-day-1" in personal


def test_form_shows_field_errors_in_the_visitors_language(client, meeting):
    response = client.post(FORM + "?lang=es", data=form_data(email="nope", country=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ingrese un correo electrónico válido." in html
    assert "Elija un país" in html
    assert 'aria-invalid="true"' in html
    assert db.session.query(Registration).count() == 0


def test_form_closed_after_deadline_says_so(client, meeting, clock):
    clock.set(santiago(2025, 11, 22, 0, 0))
    page = client.get(FORM + "?lang=en").get_data(as_text=True)
    assert "Registration is closed." in page
    assert "<form method=\"post\" novalidate>" not in page
    response = client.post(FORM, data=form_data())
    assert response.status_code == 403
    assert db.session.query(Registration).count() == 0
    es = client.get(FORM + "?lang=es").get_data(as_text=True)
    assert "La inscripción está cerrada." in es
    assert "21 de noviembre de 2025" in es


def test_form_duplicate_mails_link_again(client, meeting, register):
    register(email="Dup@Example.org")
    response = client.post(FORM + "?lang=en", data=form_data(email="dup@example.ORG"))
    assert response.status_code == 409
    assert "already registered" in response.get_data(as_text=True)
    assert db.session.query(Registration).count() == 1


def test_form_requires_csrf(app, meeting):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post(FORM, data=form_data())
    assert response.status_code == 400
    assert db.session.query(Registration).count() == 0


def test_personal_link_corrects_and_cancels(client, meeting, register):
    token = register(name="Ana")["token"]
    response = client.post(f"/r/{token}/edit", data={
        "name": "Ana María", "organization": "Cancillería", "position": "", "category":
        "lac_state", "country": "PE", "language": "en", "sessions": [str(meeting.sessions[0].id)],
        "accessibility": "Subtítulos"})
    assert response.status_code == 302
    db.session.expire_all()
    registration = db.session.query(Registration).one()
    assert (registration.name, registration.country, registration.language) == (
        "Ana María", "PE", "en")
    assert [s.key for s in registration.sessions] == ["day-1"]
    bad = client.post(f"/r/{token}/edit?lang=en", data={"name": "", "organization": "x",
                                                        "category": "lac_state", "country": "PE",
                                                        "language": "en"})
    assert bad.status_code == 422
    assert "This field is required." in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(Registration).one().name == "Ana María"
    assert client.post(f"/r/{token}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.query(Registration).one().status == "cancelled"
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "video.example.org" not in page  # a cancelled registration sees no join link
    client.post(f"/r/{token}/cancel", data={"reinstate": "1"})
    db.session.expire_all()
    assert db.session.query(Registration).one().status == "active"


def test_wrong_personal_link_is_404(client, meeting, register):
    register()
    assert client.get("/r/0123456789abcdefnotarealtoken").status_code == 404
    assert client.get("/r/short").status_code == 404


def test_admin_pages_filter_and_cancel(client, meeting, register, make_user):
    register(name="Ana", category="lac_state", country="CL")
    register(name="Bob", category="donor_state", country="DE",
             sessions=[meeting.sessions[1].id])
    _, admin = make_user("admin")
    page = client.get(f"/admin/meetings/{DEMO_SLUG}/registrations?category=donor_state",
                      headers=bearer(admin)).get_data(as_text=True)
    assert "Bob" in page and "Ana" not in page
    page = client.get(f"/admin/meetings/{DEMO_SLUG}/registrations?country=cl",
                      headers=bearer(admin)).get_data(as_text=True)
    assert "Ana" in page and "Bob" not in page
    page = client.get(f"/admin/meetings/{DEMO_SLUG}/registrations?session="
                      f"{meeting.sessions[0].id}", headers=bearer(admin)).get_data(as_text=True)
    assert "Ana" in page and "Bob" not in page
    ana = db.session.query(Registration).filter_by(name="Ana").one()
    assert client.post(f"/admin/registrations/{ana.id}/status", data={"status": "cancelled"},
                       headers=bearer(admin)).status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, ana.id).status == "cancelled"
    client.post(f"/admin/registrations/{ana.id}/status", data={"status": "active"},
                headers=bearer(admin))
    db.session.expire_all()
    assert db.session.get(Registration, ana.id).status == "active"


def test_admin_pages_need_an_admin(client, meeting, register, make_user):
    token = register()["token"]
    _, chair = make_user("chair")
    url = f"/admin/meetings/{DEMO_SLUG}/registrations"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert client.get(url, headers=bearer(chair)).status_code == 403
    assert client.get(url, headers=bearer(token)).status_code == 401  # a participant: no staff
    assert client.get(f"/meetings/{DEMO_SLUG}/registrations.csv",
                      headers=bearer(chair)).status_code == 403


def test_csv_is_utf8_and_neutralises_formulas(client, meeting, register, make_user):
    register(name="=HYPERLINK(\"http://evil\")", organization="+SUM(A1)",
             position="-1+1", accessibility="@cmd")
    register(name="José Ñandú", organization="Organización Ñ")
    _, admin = make_user("admin")
    response = client.get(f"/meetings/{DEMO_SLUG}/registrations.csv", headers=bearer(admin))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["name"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["organization"] == "'+SUM(A1)"
    assert rows[0]["position"] == "'-1+1"
    assert rows[0]["accessibility"] == "'@cmd"
    assert rows[1]["name"] == "José Ñandú"
    assert rows[1]["sessions"] == "day-1 day-2"
    assert "token" not in rows[0]


def test_spreadsheet_safe_leaves_plain_text():
    assert spreadsheet_safe("Chile") == "Chile"
    assert spreadsheet_safe("\t=1") == "'\t=1"
    assert spreadsheet_safe(None) == ""


def test_login_and_logout(client, meeting, make_user):
    user, _token = make_user("admin", password="correct horse")
    bad = client.post("/login", data={"email": user.email, "password": "wrong"})
    assert bad.status_code == 401
    ok = client.post("/login?next=/admin", data={"email": user.email.upper(),
                                                 "password": "correct horse"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/admin")
    assert client.get("/admin").status_code == 200
    client.post("/logout")
    assert client.get("/admin").status_code == 302


def test_login_refuses_open_redirect(client, meeting, make_user):
    user, token = make_user("chair")
    response = client.post("/login?next=//evil.example", data={"email": user.email,
                                                               "password": token})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_home_shows_both_times(client, meeting):
    html = client.get("/?lang=es&tz=Europe/Madrid").get_data(as_text=True)
    assert "jueves, 27 de noviembre de 2025, 11:00" in html
    assert "hora de Santiago" in html
    assert "jueves, 27 de noviembre de 2025, 15:00" in html  # Madrid is UTC+1 in November
    assert "su hora, Madrid" in html
    en = client.get("/?lang=en").get_data(as_text=True)
    assert "Thursday, November 27, 2025, 11:00" in en and "Santiago time" in en


def test_error_pages_are_translated(client, meeting):
    html = client.get("/meetings/nope?lang=es").get_data(as_text=True)
    assert "No hay ninguna reunión en esta dirección." in html
    assert client.get("/no-such-page?lang=es").get_data(as_text=True).count("No encontrado.") == 1
    body = client.get("/api/v1/meetings/nope?lang=es").get_json()
    assert body == {"error": "not_found", "message": "No hay ninguna reunión en esta dirección."}
    assert client.get("/api/v1/nothing?lang=es").get_json()["message"] == "No encontrado."


def test_instant_utc_column_refuses_naive(app, meeting):
    import pytest
    meeting.registration_opens_at = datetime(2025, 1, 1)  # noqa: DTZ001
    with pytest.raises(Exception, match="naive"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(type(meeting), meeting.id).registration_opens_at.tzinfo is UTC
