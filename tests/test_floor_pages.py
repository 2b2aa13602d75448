"""Floor pages: the chair's console, the live view, asking from the personal page."""

from __future__ import annotations

import re

from meetops.extensions import db
from meetops.floor import services as fs
from meetops.floor.models import FloorRequest

from .conftest import bearer


def no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=|\son[a-z]+=", html)


def test_chair_console_needs_a_chair(client, floor_session, make_user):
    url = f"/sessions/{floor_session.id}/chair"
    assert client.get(url).status_code == 302
    interpreter = make_user("interpreter")[1]
    assert client.get(url, headers=bearer(interpreter)).status_code == 403
    chair = make_user("chair")[1]
    page = client.get(url, headers=bearer(chair))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    no_inline_code(html)
    assert f'data-api="/api/v1/sessions/{floor_session.id}/floor"' in html
    assert f'data-stream="/sessions/{floor_session.id}/floor/stream"' in html
    assert "js/floor.js" in html and "js/floor-chair.js" in html
    assert 'aria-live="polite"' in html
    assert "<kbd>N</kbd>" in html
    assert "totals.csv" in html


def test_live_page_is_public_and_bilingual(client, floor_session):
    page = client.get(f"/sessions/{floor_session.id}/live?lang=es")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    no_inline_code(html)
    assert "Próximos oradores" in html
    assert 'data-time-up="Se acabó el tiempo"' in html
    assert client.get("/sessions/9999/live").status_code == 404


def test_personal_page_asks_and_withdraws(client, floor_session, speakers):
    (person,) = speakers(1)
    page = client.get(f"/r/{person.token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ask for the floor" in html or "Pedir la palabra" in html
    ask_url = f"/r/{person.token}/floor/{floor_session.id}/ask"
    assert ask_url in html
    response = client.post(ask_url, data={"kind": "reply", "language": "other",
                                          "language_other": "PT"})
    assert response.status_code == 302
    request = db.session.query(FloorRequest).one()
    assert (request.kind, request.language, request.status) == ("reply", "pt", "waiting")
    page = client.get(f"/r/{person.token}").get_data(as_text=True)
    assert "number 1 on the list" in page or "número 1 de la lista" in page
    again = client.post(ask_url, data={"kind": "statement", "language": "es"},
                        follow_redirects=True)
    assert "already waiting" in again.get_data(as_text=True) or \
        "ya está esperando" in again.get_data(as_text=True)
    client.post(f"/r/{person.token}/floor/{floor_session.id}/withdraw")
    db.session.expire_all()
    assert db.session.query(FloorRequest).one().status == "withdrawn"


def test_personal_page_says_when_the_list_is_closed(client, floor_session, speakers, clock):
    (person,) = speakers(1)
    floor = fs.get_floor(db.session, floor_session.id, clock.now())
    fs.set_list_closed(db.session, floor_session, floor.version, True, clock.now())
    db.session.commit()
    html = client.get(f"/r/{person.token}?lang=en").get_data(as_text=True)
    assert "The list of speakers is closed." in html
    client.post(f"/r/{person.token}/floor/{floor_session.id}/ask",
                data={"kind": "statement", "language": "es"})
    assert db.session.query(FloorRequest).count() == 0


def test_static_floor_files_are_served(client):
    for path in ("js/floor.js", "js/floor-chair.js", "css/floor.css"):
        response = client.get(f"/static/{path}")
        assert response.status_code == 200
        response.close()


def test_interpreters_view_needs_an_interpreter_or_chair(client, floor_session, make_user):
    url = f"/sessions/{floor_session.id}/interpret"
    assert client.get(url).status_code == 302
    chair = make_user("chair")[1]
    assert client.get(url, headers=bearer(chair)).status_code == 200
    interpreter = make_user("interpreter")[1]
    page = client.get(url, headers=bearer(interpreter))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    no_inline_code(html)
    assert 'data-booth="language"' in html
