"""The public agenda page: published items, Santiago time and the visitor's, labelled."""

from __future__ import annotations

from meetops.agenda.services import add_item, publish
from meetops.extensions import db

from .conftest import DEMO_SLUG


def build(meeting, *, published=True):
    day1 = meeting.sessions[0]
    add_item(db.session, day1, {"title": {"en": "Opening", "es": "Apertura"},
                                "kind": "opening", "duration_minutes": 15,
                                "speakers": "Ms. Rojas <b>(Chile)</b>"})
    add_item(db.session, day1, {"title": {"en": "Draft only", "es": "Borrador"},
                                "kind": "other", "duration_minutes": 15})
    if published:
        publish(db.session, day1)
        db.session.flush()
    db.session.commit()


def test_agenda_page_in_santiago_time_and_the_visitors_zone(client, meeting):
    build(meeting)
    page = client.get(f"/meetings/{DEMO_SLUG}/agenda?tz=Asia/Tokyo&lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Opening" in html and "Santiago time" in html
    assert "11:00" in html and "23:00" in html and "your time, Tokyo" in html
    assert "&lt;b&gt;(Chile)&lt;/b&gt;" in html  # text is escaped
    spanish = client.get(f"/meetings/{DEMO_SLUG}/agenda?lang=es").get_data(as_text=True)
    assert "Apertura" in spanish and "hora de Santiago" in spanish
    assert 'data-utc="2025-11-27T14:00:00Z"' in spanish  # the browser fills the visitor's time


def test_unpublished_items_are_not_shown(client, meeting):
    build(meeting, published=False)
    html = client.get(f"/meetings/{DEMO_SLUG}/agenda?lang=en").get_data(as_text=True)
    assert "Opening" not in html
    assert "has not been published yet" in html


def test_unknown_meeting_is_404(client, meeting):
    assert client.get("/meetings/nope/agenda").status_code == 404
