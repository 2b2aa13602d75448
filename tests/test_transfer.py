"""``meetops export`` / ``import``: a meeting and all its data round-trip exactly."""

from __future__ import annotations

import json

from meetops import create_app
from meetops.audit.services import record
from meetops.extensions import db
from meetops.meetings.models import Meeting
from meetops.registration.models import Registration
from meetops.transfer import meeting_tables

from .conftest import DEMO_SLUG, bearer


def populate(client, register, make_user, clock):
    first = register(name="Ana Núñez", email="ana@example.org")
    register(name="Bob", email="bob@example.org", category="donor_state", country="DE")
    _user, token = make_user("admin")
    client.patch(f"/api/v1/meetings/{DEMO_SLUG}", json={"enforcement": "soft"},
                 headers=bearer(token))
    return first


def test_meeting_tables_follow_the_schema():
    names = [t.name for t in meeting_tables()]
    assert names[0] == "meetings"
    assert {"sessions", "registrations", "registration_sessions", "audit_log"} <= set(names)
    assert "users" not in names and "outbox" not in names


def test_round_trip_into_a_new_database_is_exact(app, client, meeting, register, make_user,
                                                 clock, runner, tmp_path):
    first = populate(client, register, make_user, clock)
    out = tmp_path / "meeting.json"
    result = runner.invoke(args=["meetops", "export", DEMO_SLUG, "--output", str(out)])
    assert result.exit_code == 0, result.output
    original = json.loads(out.read_text("utf-8"))
    assert len(original["tables"]["registrations"]) == 2
    assert original["tables"]["registrations"][0]["name"] == "Ana Núñez"

    other = create_app({"SECRET_KEY": "k", "MEETOPS_CLOCK": clock, "TESTING": True,
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite'}"})
    with other.app_context():
        db.create_all()
        other_runner = other.test_cli_runner()
        imported = other_runner.invoke(args=["meetops", "import", str(out)])
        assert imported.exit_code == 0, imported.output
        again = tmp_path / "again.json"
        assert other_runner.invoke(args=["meetops", "export", DEMO_SLUG, "-o", str(again)]
                                   ).exit_code == 0
        copy = json.loads(again.read_text("utf-8"))
        assert copy["tables"] == original["tables"]
        # the personal link still works in the restored database
        response = other.test_client().get("/api/v1/registrations/me",
                                           headers=bearer(first["token"]))
        assert response.status_code == 200 and response.get_json()["name"] == "Ana Núñez"
        db.session.remove()
        db.engine.dispose()


def test_import_next_to_another_meeting_remaps_ids(app, client, meeting, register, make_user,
                                                   clock, runner, tmp_path):
    populate(client, register, make_user, clock)
    out = tmp_path / "m.json"
    runner.invoke(args=["meetops", "export", DEMO_SLUG, "-o", str(out)])
    refused = runner.invoke(args=["meetops", "import", str(out)])
    assert refused.exit_code != 0 and "already exists" in refused.output
    document = json.loads(out.read_text("utf-8"))
    document["meeting"] = "copy"
    document["tables"]["meetings"][0]["slug"] = "copy"
    for row in document["tables"]["registrations"]:  # tokens are unique across meetings
        row["token_selector"] = row["token_selector"][::-1]
    out.write_text(json.dumps(document), "utf-8")
    assert runner.invoke(args=["meetops", "import", str(out)]).exit_code == 0
    copy = db.session.query(Meeting).filter_by(slug="copy").one()
    assert copy.id != meeting.id
    regs = db.session.query(Registration).filter_by(meeting_id=copy.id).all()
    assert sorted(r.name for r in regs) == ["Ana Núñez", "Bob"]
    assert all(s.meeting_id == copy.id for r in regs for s in r.sessions)
    assert db.session.query(Registration).count() == 4


def test_import_refuses_other_documents(runner, app, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    result = runner.invoke(args=["meetops", "import", str(bad)])
    assert result.exit_code != 0 and "format" in result.output
    bad.write_text("not json")
    assert runner.invoke(args=["meetops", "import", str(bad)]).exit_code != 0


def test_audit_entries_travel_with_the_meeting(app, meeting, clock):
    record(db.session, now=clock.now(), actor="system", action="test.action",
           target="meeting:x", meeting_id=meeting.id)
    db.session.commit()
    from meetops.transfer import export_meeting

    document = export_meeting(db.session, DEMO_SLUG, now=clock.now())
    assert [r["action"] for r in document["tables"]["audit_log"]] == ["test.action"]
    assert document["tables"]["audit_log"][0]["at"].endswith("Z")


def test_every_feature_round_trips(app, client, meeting, register, make_user, clock, runner,
                                   tmp_path):
    """Agenda, consultation and the floor travel with the meeting, exactly."""
    from meetops.agenda import services as agenda
    from meetops.consultation.services import load_consultation

    load_consultation(db.session, meeting)
    session = meeting.sessions[0]
    agenda.add_item(db.session, session, {
        "title": {"en": "Opening", "es": "Apertura"}, "kind": "opening",
        "duration_minutes": 20, "priority_area_codes": ["A1.1"],
        "intervention_seconds": 120})
    db.session.commit()
    ana = register(name="Ana", email="ana@example.org")
    posted = client.post(f"/api/v1/meetings/{DEMO_SLUG}/comments", headers=bearer(ana["token"]),
                json={"priority_areas": ["A1.1", "A2.2"], "horizon": "medium",
                      "support_type": "technical", "support_description": "Talleres.",
                      "text": "Ofrecemos capacitación."})
    assert posted.status_code == 201, posted.get_json()
    _, chair = make_user("chair")
    clock.set(session.starts_at)
    floor = f"/api/v1/sessions/{session.id}/floor"
    client.post(f"{floor}/requests", json={"kind": "statement", "language": "es"},
                headers=bearer(ana["token"]))
    version = client.get(floor).get_json()["version"]
    client.post(f"{floor}/next", json={"version": version}, headers=bearer(chair))
    clock.advance(60)
    version = client.get(floor).get_json()["version"]
    client.post(f"{floor}/end", json={"version": version}, headers=bearer(chair))

    out = tmp_path / "all.json"
    assert runner.invoke(args=["meetops", "export", DEMO_SLUG, "-o", str(out)]).exit_code == 0
    original = json.loads(out.read_text("utf-8"))
    for table in ("agenda_items", "agenda_item_areas", "comments", "comment_areas",
                  "priority_areas", "comment_deadlines", "floor_states", "floor_requests",
                  "interventions"):
        assert original["tables"].get(table), table

    other = create_app({"SECRET_KEY": "k", "MEETOPS_CLOCK": clock, "TESTING": True,
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'all.sqlite'}"})
    with other.app_context():
        db.create_all()
        other_runner = other.test_cli_runner()
        result = other_runner.invoke(args=["meetops", "import", str(out)])
        assert result.exit_code == 0, result.output
        again = tmp_path / "again.json"
        assert other_runner.invoke(args=["meetops", "export", DEMO_SLUG, "-o", str(again)]
                                   ).exit_code == 0
        assert json.loads(again.read_text("utf-8"))["tables"] == original["tables"]
        spoken = other.test_client().get(f"/api/v1/sessions/{session.id}/floor").get_json()
        assert spoken["done"][0]["participant"]["name"] == "Ana"
        db.session.remove()
        db.engine.dispose()
