"""Consultation pages: the comments panel of the personal page, the secretariat's pages."""

from __future__ import annotations

import io

import pytest

from meetops.consultation.models import Comment, CommentDeadline, PriorityArea
from meetops.consultation.services import load_consultation
from meetops.extensions import db

from .conftest import DEMO_SLUG, bearer, santiago

COMMENTS = f"/api/v1/meetings/{DEMO_SLUG}/comments"


@pytest.fixture
def consultation(meeting):
    load_consultation(db.session, meeting)
    db.session.commit()
    return meeting


def form(**overrides) -> dict:
    data = {"priority_areas": ["A1.2", "A3.1"], "horizon": "medium", "support_type": "technical",
            "support_description": "Peritos en registro civil", "text": "Ofrecemos asistencia."}
    data.update(overrides)
    return data


def test_personal_page_panel_in_both_languages(client, consultation, register):
    token = register(category="lac_state", language="es")["token"]
    page = client.get(f"/r/{token}?lang=es").get_data(as_text=True)
    assert "Sus comentarios sobre las áreas prioritarias" in page
    assert "es provisional hasta que la secretaría" in page
    assert "lunes, 10 de noviembre de 2025, 23:59" in page
    assert f"/r/{token}/comments/new" in page
    english = client.get(f"/r/{token}?lang=en").get_data(as_text=True)
    assert "Your comments on the priority areas" in english
    assert "provisional until the secretariat replaces it" in english
    assert "Monday, November 10, 2025, 23:59" in english


def test_send_change_and_withdraw_through_the_pages(client, consultation, register):
    token = register(category="donor_state", language="en")["token"]
    new = client.get(f"/r/{token}/comments/new?lang=en")
    assert new.status_code == 200
    text = new.get_data(as_text=True)
    assert "A1.1 · Protection along the displacement route and at borders" in text
    assert "Chapter 1: International protection" in text
    assert "provisional" in text
    sent = client.post(f"/r/{token}/comments/new", data=form())
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/r/{token}#comments")
    stored = db.session.query(Comment).one()
    assert stored.area_codes == ["A1.2", "A3.1"] and stored.support_type == "technical"
    page = client.get(f"/r/{token}?lang=en").get_data(as_text=True)
    assert "Ofrecemos asistencia." in page and "Peritos en registro civil" in page
    assert "Medium term" in page

    edit_url = f"/r/{token}/comments/{stored.id}/edit"
    assert "Ofrecemos asistencia." in client.get(edit_url).get_data(as_text=True)
    changed = client.post(edit_url, data=form(support_type="", support_description="",
                                              text="Sin oferta por ahora."))
    assert changed.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Comment, stored.id)
    assert stored.support_type is None and stored.text == "Sin oferta por ahora."

    withdrawn = client.post(f"/r/{token}/comments/{stored.id}/withdraw")
    assert withdrawn.status_code == 302
    db.session.expire_all()
    assert db.session.get(Comment, stored.id).withdrawn_at is not None
    page = client.get(f"/r/{token}?lang=en").get_data(as_text=True)
    assert "You have not sent any comments yet." in page


def test_form_errors_are_shown_by_field(client, consultation, register):
    token = register(language="es")["token"]
    response = client.post(f"/r/{token}/comments/new?lang=es", data=form(
        priority_areas=[], horizon="", support_description="", text=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Elija al menos un área prioritaria." in page
    assert "Elija corto, mediano o largo plazo." in page
    assert "Describa el apoyo que ofrece." in page
    assert db.session.query(Comment).count() == 0


def test_after_the_deadline_the_pages_refuse_in_the_participants_language(
        client, consultation, register, clock):
    token = register(category="lac_state", language="es")["token"]
    client.post(f"/r/{token}/comments/new", data=form())
    comment_id = db.session.query(Comment).one().id
    clock.set(santiago(2025, 11, 11, 0, 0, 0))
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "El plazo para comentarios de su categoría terminó el" in page
    assert f"/r/{token}/comments/new" not in page
    assert "Ofrecemos asistencia." in page  # still readable
    for response in (client.get(f"/r/{token}/comments/new"),
                     client.post(f"/r/{token}/comments/new", data=form()),
                     client.post(f"/r/{token}/comments/{comment_id}/edit", data=form(text="x")),
                     client.post(f"/r/{token}/comments/{comment_id}/withdraw")):
        assert response.status_code == 403
        assert "El plazo para enviar comentarios ha terminado" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Comment, comment_id).withdrawn_at is None


def test_someone_elses_comment_is_not_found(client, consultation, register):
    first = register()["token"]
    second = register()["token"]
    client.post(f"/r/{first}/comments/new", data=form())
    comment_id = db.session.query(Comment).one().id
    assert client.get(f"/r/{second}/comments/{comment_id}/edit").status_code == 404
    assert client.post(f"/r/{second}/comments/{comment_id}/withdraw").status_code == 404
    assert client.get("/r/not-a-token/comments/new").status_code == 404


ADMIN_PAGES = [f"/admin/meetings/{DEMO_SLUG}/comments", f"/admin/meetings/{DEMO_SLUG}/support",
               f"/admin/meetings/{DEMO_SLUG}/consultation"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_secretariat_pages_are_for_admins(client, consultation, register, make_user, url):
    assert client.get(url).status_code == 302  # to the sign-in form
    participant = register()["token"]
    assert client.get(url, headers=bearer(participant)).status_code == 401
    for role in ("chair", "interpreter"):
        _, token = make_user(role)
        assert client.get(url, headers=bearer(token)).status_code == 403
    _, admin = make_user("admin")
    for lang in ("es", "en"):
        response = client.get(url + f"?lang={lang}", headers=bearer(admin))
        assert response.status_code == 200
        assert f'<html lang="{lang}"' in response.get_data(as_text=True)


@pytest.fixture
def some_comments(client, consultation, register):
    state = register(name="Ana Pérez", category="lac_state", organization="Cancillería X")
    donor = register(name="John Smith", category="donor_state", organization="Aid Agency Y")
    client.post(COMMENTS, headers=bearer(state["token"]), json={
        "priority_areas": ["A1.1"], "horizon": "short",
        "text": "Necesitamos apoyo técnico\nen la frontera norte."})
    client.post(COMMENTS, headers=bearer(donor["token"]), json={
        "priority_areas": ["A1.1", "A2.4"], "horizon": "long", "support_type": "financial",
        "support_description": "=HYPERLINK(\"http://x\")", "text": "We can fund family tracing."})


def test_comments_by_area_and_by_category_with_filters(client, some_comments, make_user):
    _, admin = make_user("admin")
    url = f"/admin/meetings/{DEMO_SLUG}/comments"
    page = client.get(url + "?lang=en", headers=bearer(admin)).get_data(as_text=True)
    assert "Necesitamos apoyo técnico\nen la frontera norte." in page  # the full text
    assert "A2.4 · Family reunification" in page
    assert "2 comments" in page
    by_category = client.get(url + "?group=category&lang=es", headers=bearer(admin))
    text = by_category.get_data(as_text=True)
    assert "Estado de América Latina y el Caribe" in text or "América Latina" in text
    filtered = client.get(url + "?area=A2.4&lang=en", headers=bearer(admin))
    text = filtered.get_data(as_text=True)
    assert "We can fund family tracing." in text and "frontera norte" not in text
    by_category = client.get(url + "?category=lac_state&group=category&lang=en",
                             headers=bearer(admin)).get_data(as_text=True)
    assert "frontera norte" in by_category and "family tracing" not in by_category


def test_support_page_table(client, some_comments, make_user):
    _, admin = make_user("admin")
    page = client.get(f"/admin/meetings/{DEMO_SLUG}/support?lang=en",
                      headers=bearer(admin)).get_data(as_text=True)
    assert "1 offer of support" in page
    assert "13 priority areas without any offer" in page
    assert "Aid Agency Y" in page
    assert "no offer yet" in page


def test_admin_sets_deadlines_on_the_page(client, consultation, make_user):
    _, admin = make_user("admin")
    url = f"/admin/meetings/{DEMO_SLUG}/comment-deadlines"
    page = client.get(f"/admin/meetings/{DEMO_SLUG}/consultation?lang=en",
                      headers=bearer(admin)).get_data(as_text=True)
    assert 'name="lac_state" value="2025-11-10"' in page
    assert 'name="default" value="2025-11-14"' in page
    response = client.post(url, headers=bearer(admin), data={
        "default": "2025-11-14", "lac_state": "2025-11-11", "academia": "2025-11-20"})
    assert response.status_code == 302
    rows = {d.category: d.closes_at for d in db.session.query(CommentDeadline)}
    assert rows == {"default": santiago(2025, 11, 14, 23, 59, 59),
                    "lac_state": santiago(2025, 11, 11, 23, 59, 59),
                    "academia": santiago(2025, 11, 20, 23, 59, 59)}
    bad = client.post(url + "?lang=en", headers=bearer(admin), data={"default": ""})
    assert bad.status_code == 422
    assert "The default deadline cannot be removed." in bad.get_data(as_text=True)


def test_admin_uploads_the_official_list(client, consultation, make_user):
    _, admin = make_user("admin")
    url = f"/admin/meetings/{DEMO_SLUG}/priority-areas/import"
    csv_file = ("code,chapter,chapter_title_en,chapter_title_es,title_en,title_es\n"
                "P1,1,Protection,Protección,Asylum,Asilo\n").encode()
    response = client.post(url, headers=bearer(admin), content_type="multipart/form-data",
                           data={"file": (io.BytesIO(csv_file), "official.csv")})
    assert response.status_code == 302
    assert [a.code for a in db.session.query(PriorityArea)] == ["P1"]
    page = client.get(f"/admin/meetings/{DEMO_SLUG}/consultation?lang=en",
                      headers=bearer(admin)).get_data(as_text=True)
    assert "is provisional" not in page
    bad = client.post(url + "?lang=en", headers=bearer(admin),
                      content_type="multipart/form-data",
                      data={"file": (io.BytesIO(b"code,chapter\nP1,1\n"), "bad.csv")})
    assert bad.status_code == 422
    assert "The CSV file needs the columns" in bad.get_data(as_text=True)


def test_secretariat_home_links_the_consultation(client, consultation, make_user):
    _, admin = make_user("admin")
    page = client.get("/admin?lang=en", headers=bearer(admin)).get_data(as_text=True)
    assert f"/admin/meetings/{DEMO_SLUG}/comments" in page
    assert "Comments and offers of support" in page


def test_areas_csv_round_trips_through_the_upload(client, consultation, make_user):
    _, admin = make_user("admin")
    exported = client.get(f"/admin/meetings/{DEMO_SLUG}/priority-areas.csv",
                          headers=bearer(admin))
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    assert text.startswith("\ufeffcode,chapter,chapter_title_en,chapter_title_es,title_en,")
    edited = text.replace("Family reunification", "Family reunification and tracing").encode()
    response = client.post(f"/admin/meetings/{DEMO_SLUG}/priority-areas/import",
                           headers=bearer(admin), content_type="multipart/form-data",
                           data={"file": (io.BytesIO(edited), "areas.csv")})
    assert response.status_code == 302
    areas = db.session.query(PriorityArea).order_by(PriorityArea.position).all()
    assert len(areas) == 15 and areas[8].title_en == "Family reunification and tracing"
    assert areas[8].chapter_title_es == "Soluciones integrales, complementarias y sostenibles"


def test_cancelled_registration_panel(client, consultation, register):
    from meetops.registration.models import Registration

    body = register(language="en")
    db.session.get(Registration, body["id"]).status = "cancelled"
    db.session.commit()
    page = client.get(f"/r/{body['token']}?lang=en").get_data(as_text=True)
    assert "Your registration is cancelled; reinstate it to send comments." in page
    assert f"/r/{body['token']}/comments/new" not in page
