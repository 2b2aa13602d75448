"""The limit of an intervention: the agenda item's own, when it has one, else the meeting's."""

from __future__ import annotations

from meetops.agenda import services as agenda
from meetops.extensions import db

from .conftest import bearer


def test_an_agenda_items_limit_overrides_the_meetings(client, floor_session, speakers, clock,
                                                     make_user):
    _, chair = make_user("chair")
    base = f"/api/v1/sessions/{floor_session.id}/floor"
    # 11:00-11:30 Santiago (14:00Z-14:30Z) with the meeting's 180 s, then a discussion
    # item from 11:30 with 120 s per intervention
    agenda.add_item(db.session, floor_session, {
        "title": {"en": "Opening", "es": "Apertura"}, "kind": "opening",
        "duration_minutes": 30})
    discussion = agenda.add_item(db.session, floor_session, {
        "title": {"en": "Discussion", "es": "Debate"}, "kind": "discussion",
        "duration_minutes": 60, "intervention_seconds": 120})
    agenda.publish(db.session, floor_session)
    db.session.commit()
    assert discussion.intervention_seconds == 120
    ana, bob = speakers(2)

    def speak(person):
        client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                    headers=bearer(person.token))
        version = client.get(base).get_json()["version"]
        state = client.post(f"{base}/next", json={"version": version},
                            headers=bearer(chair)).get_json()
        return state["current"]["limit_seconds"]

    clock.set(floor_session.starts_at.replace(minute=10))  # inside the opening
    assert speak(ana) == 180
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/end", json={"version": version}, headers=bearer(chair))
    clock.set(floor_session.starts_at.replace(minute=40))  # inside the discussion
    assert speak(bob) == 120
