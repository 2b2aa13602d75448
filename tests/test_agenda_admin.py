"""The secretariat's agenda editor (plain forms)."""

from __future__ import annotations

import pytest

from meetops.agenda.models import AgendaItem
from meetops.extensions import db
from meetops.meetings.models import MeetingSession

from .conftest import DEMO_SLUG, bearer, santiago


@pytest.fixture
def admin(make_user):
    return bearer(make_user("admin")[1])


def form(**overrides):
    data = {"title_en": "Opening", "title_es": "Apertura", "kind": "opening",
            "duration_minutes": "20", "starts_at": ""}
    data.update(overrides)
    return data


def items():
    db.session.expire_all()
    return db.session.query(AgendaItem).order_by(AgendaItem.position).all()


def test_only_admins_open_the_editor(client, meeting, make_user):
    assert client.get(f"/admin/meetings/{DEMO_SLUG}/agenda").status_code == 302
    chair = bearer(make_user("chair")[1])
    assert client.get(f"/admin/meetings/{DEMO_SLUG}/agenda", headers=chair).status_code == 403


def test_add_reorder_publish_and_remove_through_the_forms(client, meeting, admin):
    day1 = meeting.sessions[0]
    url = f"/admin/sessions/{day1.id}/items"
    assert client.post(url, data=form(), headers=admin).status_code == 302
    assert client.post(url, data=form(title_en="Keynote", title_es="Conferencia",
                                      kind="presentation", duration_minutes="40"),
                       headers=admin).status_code == 302
    first, second = items()
    assert (first.starts_at, second.starts_at) == (santiago(2025, 11, 27, 11, 0),
                                                   santiago(2025, 11, 27, 11, 20))
    page = client.get(f"/admin/meetings/{DEMO_SLUG}/agenda?lang=en", headers=admin)
    html = page.get_data(as_text=True)
    assert "Keynote" in html and 'name="csrf_token"' in html and "Draft" in html
    client.post(f"/admin/items/{second.id}", data={"action": "up"}, headers=admin)
    assert [(i.title_en, i.starts_at) for i in items()] == [
        ("Keynote", santiago(2025, 11, 27, 11, 0)), ("Opening", santiago(2025, 11, 27, 11, 40))]
    client.post(f"/admin/sessions/{day1.id}/publish", data={"published": "1"}, headers=admin)
    assert all(i.published for i in items())
    public = client.get(f"/meetings/{DEMO_SLUG}/agenda?lang=en").get_data(as_text=True)
    assert "Keynote" in public
    client.post(f"/admin/items/{first.id}", data={"action": "delete"}, headers=admin)
    assert [i.title_en for i in items()] == ["Keynote"]


def test_refusals_are_shown_on_the_page(client, meeting, admin):
    day1 = meeting.sessions[0]
    response = client.post(f"/admin/sessions/{day1.id}/items?lang=en",
                           data=form(duration_minutes="200"), headers=admin)
    assert response.status_code == 409
    assert "20 minutes after the session ends" in response.get_data(as_text=True)
    gap = client.post(f"/admin/sessions/{day1.id}/items?lang=en",
                      data=form(starts_at="2025-09-07T00:30"), headers=admin)
    assert gap.status_code == 422 and "does not exist" in gap.get_data(as_text=True)
    assert items() == []


def test_edit_an_item_and_move_a_session(client, meeting, admin):
    day1 = meeting.sessions[0]
    client.post(f"/admin/sessions/{day1.id}/items", data=form(), headers=admin)
    item = items()[0]
    saved = client.post(f"/admin/items/{item.id}", headers=admin, data=form(
        action="save", title_en="Welcome", starts_at="2025-11-27T11:30",
        duration_minutes="10", intervention_seconds="120", priority_area_codes="1.1, 2.3",
        speakers="Ms. Rojas\r\nMr. Díaz", published="1"))
    assert saved.status_code == 302
    item = items()[0]
    assert (item.title_en, item.starts_at, item.intervention_seconds) == (
        "Welcome", santiago(2025, 11, 27, 11, 30), 120)
    assert item.priority_area_codes == ["1.1", "2.3"] and item.published
    assert item.speaker_names == ["Ms. Rojas", "Mr. Díaz"]
    moved = client.post(f"/admin/sessions/{day1.id}", headers=admin, data={
        "starts_at": "2025-11-27T12:00", "ends_at": "2025-11-27T15:00",
        "join_url": "https://video.example.org/new"})
    assert moved.status_code == 302
    db.session.expire_all()
    session = db.session.get(MeetingSession, day1.id)
    assert session.starts_at == santiago(2025, 11, 27, 12, 0)
    assert session.join_url == "https://video.example.org/new" and session.revision >= 3
    assert items()[0].starts_at == santiago(2025, 11, 27, 12, 30)
