"""The public agenda shows the priority areas each item serves, in the visitor's language."""

from __future__ import annotations

from meetops.agenda import services as agenda
from meetops.consultation.services import areas_by_code, load_consultation
from meetops.extensions import db

from .conftest import DEMO_SLUG


def test_public_agenda_names_the_areas_an_item_serves(client, meeting):
    load_consultation(db.session, meeting)
    session = meeting.sessions[0]
    agenda.add_item(db.session, session, {
        "title": {"en": "Panel on asylum", "es": "Panel sobre asilo"}, "kind": "panel",
        "duration_minutes": 45, "priority_area_codes": ["A1.1", "A2.1"]})
    agenda.publish(db.session, session)
    db.session.commit()
    areas = areas_by_code(db.session, meeting)
    es = client.get(f"/meetings/{DEMO_SLUG}/agenda?lang=es").get_data(as_text=True)
    assert "Áreas prioritarias:" in es
    assert areas["A1.1"].title["es"] in es and areas["A2.1"].title["es"] in es
    en = client.get(f"/meetings/{DEMO_SLUG}/agenda?lang=en").get_data(as_text=True)
    assert areas["A1.1"].title["en"] in en
