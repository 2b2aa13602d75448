"""The floor's state machine, with the injected clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetops.errors import Conflict, Forbidden, NotFound, ValidationError
from meetops.extensions import db
from meetops.floor import services as fs
from meetops.floor.models import FloorRequest, Intervention

from .conftest import IN_SESSION


@pytest.fixture
def floor(floor_session):
    return floor_session


def version(session) -> int:
    return fs.get_floor(db.session, session.id, IN_SESSION).version


def ask(session, registration, clock, kind="statement", language="es", advance=1):
    request = fs.ask(db.session, session, registration, {"kind": kind, "language": language},
                     clock.now())
    db.session.commit()
    clock.advance(advance)
    return request


def state(session, clock) -> dict:
    result = fs.read_state(db.session, session, clock.now())
    db.session.commit()
    return result


def act(fn, session, clock, *args):
    result = fn(db.session, session, version(session), *args, clock.now())
    db.session.commit()
    return result


def test_queue_order_points_of_order_then_replies_then_statements(floor, speakers, clock):
    a, b, c, d, e = speakers(5)
    ask(floor, a, clock, "statement")
    ask(floor, b, clock, "reply")
    ask(floor, c, clock, "statement")
    ask(floor, d, clock, "point_of_order")
    ask(floor, e, clock, "reply", language="pt")
    queue = state(floor, clock)["queue"]
    assert [q["participant"]["name"] for q in queue] == [
        d.name, b.name, e.name, a.name, c.name]
    assert [q["kind"] for q in queue] == [
        "point_of_order", "reply", "reply", "statement", "statement"]
    assert queue[2]["language"] == "pt"
    assert queue[0]["participant"]["country"] == "CL"


def test_one_waiting_request_per_participant_and_withdraw(floor, speakers, clock):
    (a,) = speakers(1)
    first = ask(floor, a, clock)
    with pytest.raises(Conflict) as twice:
        ask(floor, a, clock, "reply")
    assert twice.value.code == "already_waiting"
    db.session.rollback()
    fs.withdraw(db.session, floor, first.id, clock.now(), registration=a)
    db.session.commit()
    assert state(floor, clock)["queue"] == []
    assert db.session.get(FloorRequest, first.id).status == "withdrawn"
    ask(floor, a, clock, "reply")  # after withdrawing, may ask again
    assert len(state(floor, clock)["queue"]) == 1


def test_someone_else_cannot_withdraw_my_request(floor, speakers, clock):
    a, b = speakers(2)
    mine = ask(floor, a, clock)
    with pytest.raises(NotFound):
        fs.withdraw(db.session, floor, mine.id, clock.now(), registration=b)


def test_bad_kind_and_language_are_field_errors(floor, speakers, clock):
    (a,) = speakers(1)
    with pytest.raises(ValidationError) as error:
        fs.ask(db.session, floor, a, {"kind": "speech", "language": "xx"}, clock.now())
    assert set(error.value.fields) == {"kind", "language"}


def test_next_gives_the_floor_and_the_clock_runs_from_timestamps(floor, speakers, clock):
    a, b = speakers(2)
    ask(floor, a, clock)
    ask(floor, b, clock)
    v = version(floor)
    act(fs.next_speaker, floor, clock)
    assert version(floor) == v + 1
    clock.advance(65.4)
    current = state(floor, clock)["current"]
    assert current["participant"]["id"] == a.id
    assert current["state"] == "speaking"
    assert (current["elapsed_seconds"], current["remaining_seconds"],
            current["overtime_seconds"]) == (65, 115, 0)
    started = fs.current_intervention(db.session, floor.id).started_at
    assert current["deadline_at"] == fs.iso_ms(started + timedelta(seconds=180))
    assert current["warning_at"] == fs.iso_ms(started + timedelta(seconds=150))
    # next: a's turn is recorded as ended by the chair, b speaks
    act(fs.next_speaker, floor, clock)
    floor_state = state(floor, clock)
    assert floor_state["current"]["participant"]["id"] == b.id
    assert floor_state["queue"] == []
    (done,) = floor_state["done"]
    assert (done["spoken_seconds"], done["overtime_seconds"], done["ended_by"]) == (65, 0, "chair")


def test_pause_stops_the_clock_and_moves_the_deadline(floor, speakers, clock):
    (a,) = speakers(1)
    ask(floor, a, clock)
    act(fs.next_speaker, floor, clock)
    started = clock.now()
    clock.advance(100)
    act(fs.pause, floor, clock)
    clock.advance(500)  # a long pause: nothing ends, the clock stands still
    current = state(floor, clock)["current"]
    assert current["state"] == "paused"
    assert (current["elapsed_seconds"], current["remaining_seconds"]) == (100, 80)
    assert current["deadline_at"] is None
    act(fs.resume, floor, clock)
    clock.advance(79)
    current = state(floor, clock)["current"]
    assert (current["elapsed_seconds"], current["remaining_seconds"]) == (179, 1)
    assert current["deadline_at"] == fs.iso_ms(started + timedelta(seconds=680))
    clock.advance(5)
    floor_state = state(floor, clock)
    assert floor_state["current"] is None
    iv = db.session.get(Intervention, floor_state["done"][0]["intervention_id"])
    assert iv.ended_at == started + timedelta(seconds=680)  # exactly at the limit
    assert iv.ended_by == "limit"
    assert floor_state["done"][0]["spoken_seconds"] == 180


def test_hard_limit_ends_exactly_at_the_deadline_whenever_it_is_read(floor, speakers, clock):
    (a,) = speakers(1)
    ask(floor, a, clock)
    act(fs.next_speaker, floor, clock)
    started = clock.now()
    clock.advance(179.9)
    assert state(floor, clock)["current"] is not None
    clock.advance(3600)  # nobody looked for an hour
    before = version(floor)
    floor_state = state(floor, clock)
    assert floor_state["current"] is None
    assert floor_state["version"] == before + 1
    (done,) = floor_state["done"]
    assert done["ended_by"] == "limit"
    assert done["ended_at"] == fs._iso(started + timedelta(seconds=180))
    assert (done["spoken_seconds"], done["overtime_seconds"]) == (180, 0)
    assert fs.get_floor(db.session, floor.id, IN_SESSION).limit_due_at is None
    assert fs.enforce_due(db.session, floor.id, clock.now()) is False  # idempotent


def test_soft_limit_counts_overtime(floor, speakers, clock, meeting):
    meeting.enforcement = "soft"
    db.session.commit()
    (a,) = speakers(1)
    ask(floor, a, clock)
    act(fs.next_speaker, floor, clock)
    assert fs.get_floor(db.session, floor.id, IN_SESSION).limit_due_at is None
    clock.advance(200)
    current = state(floor, clock)["current"]
    assert (current["elapsed_seconds"], current["remaining_seconds"],
            current["overtime_seconds"]) == (200, 0, 20)
    act(fs.end, floor, clock)
    (done,) = state(floor, clock)["done"]
    assert (done["spoken_seconds"], done["overtime_seconds"], done["ended_by"]) == \
        (200, 20, "chair")


def test_the_limit_is_the_meetings_when_the_floor_is_given(floor, speakers, clock, meeting):
    meeting.intervention_seconds = 120
    db.session.commit()
    assert fs.limit_for(db.session, floor, clock.now()) == 120
    (a,) = speakers(1)
    ask(floor, a, clock)
    act(fs.next_speaker, floor, clock)
    clock.advance(121)
    (done,) = state(floor, clock)["done"]
    assert (done["spoken_seconds"], done["ended_by"], done["limit_seconds"]) == \
        (120, "limit", 120)


def test_chair_acting_after_the_deadline_records_the_limit_not_the_chair(
        floor, speakers, clock):
    a, b = speakers(2)
    ask(floor, a, clock)
    ask(floor, b, clock)
    act(fs.next_speaker, floor, clock)
    started = clock.now()
    clock.advance(200)
    v = fs.get_floor(db.session, floor.id, IN_SESSION).version  # nobody read since the deadline
    fs.next_speaker(db.session, floor, v, clock.now())
    db.session.commit()
    floor_state = state(floor, clock)
    assert floor_state["done"][0]["ended_by"] == "limit"
    assert floor_state["done"][0]["ended_at"] == fs._iso(started + timedelta(seconds=180))
    assert floor_state["current"]["participant"]["id"] == b.id


def test_stale_version_is_refused_with_the_current_state(app, floor, speakers, clock):
    a, b = speakers(2)
    ask(floor, a, clock)
    ask(floor, b, clock)
    v = version(floor)
    fs.next_speaker(db.session, floor, v, clock.now())
    db.session.commit()
    with pytest.raises(fs.StaleVersion) as stale:
        fs.next_speaker(db.session, floor, v, clock.now())
    db.session.rollback()
    with app.test_request_context():
        body = stale.value.to_dict()
    assert stale.value.status == 409
    assert body["error"] == "stale_version"
    assert body["floor"]["version"] == v + 1
    assert body["floor"]["current"]["participant"]["id"] == a.id
    assert [q["participant"]["id"] for q in state(floor, clock)["queue"]] == [b.id]
    with pytest.raises(ValidationError):
        fs.pause(db.session, floor, "3", clock.now())


def test_pause_resume_end_refuse_impossible_moves(floor, speakers, clock):
    with pytest.raises(Conflict) as empty:
        act(fs.next_speaker, floor, clock)
    assert empty.value.code == "queue_empty"
    db.session.rollback()
    for fn, code in ((fs.pause, "not_speaking"), (fs.resume, "not_paused"),
                     (fs.end, "nobody_speaking")):
        with pytest.raises(Conflict) as error:
            act(fn, floor, clock)
        assert error.value.code == code
        db.session.rollback()


def test_give_move_remove_and_add_on_behalf(floor, speakers, clock):
    a, b, c, d = speakers(4)
    ra = ask(floor, a, clock)
    rb = ask(floor, b, clock)
    rc = ask(floor, c, clock, "reply")
    # c (reply) first; move a to the top, then b above c
    act(fs.move, floor, clock, ra.id, 0)
    ids = [q["request_id"] for q in state(floor, clock)["queue"]]
    assert ids == [ra.id, rc.id, rb.id]
    act(fs.move, floor, clock, rb.id, 1)
    assert [q["request_id"] for q in state(floor, clock)["queue"]] == [ra.id, rb.id, rc.id]
    # a new point of order still goes before statements and replies that were not moved up
    req = fs.ask(db.session, floor, d, {"kind": "statement", "language": "en"}, clock.now(),
                 by_chair=True, version=version(floor))
    db.session.commit()
    queue = state(floor, clock)["queue"]
    assert queue[-1]["request_id"] == req.id and queue[-1]["added_by_chair"] is True
    # remove b (chair), give the floor to c directly
    fs.withdraw(db.session, floor, rb.id, clock.now(), version=version(floor))
    db.session.commit()
    assert db.session.get(FloorRequest, rb.id).status == "removed"
    act(fs.give_floor, floor, clock, rc.id)
    floor_state = state(floor, clock)
    assert floor_state["current"]["participant"]["id"] == c.id
    assert floor_state["current"]["kind"] == "reply"
    assert [q["request_id"] for q in floor_state["queue"]] == [ra.id, req.id]
    with pytest.raises(NotFound):
        act(fs.give_floor, floor, clock, rb.id)


def test_closed_list_refuses_participants_but_not_the_chair(floor, speakers, clock):
    a, b = speakers(2)
    act(fs.set_list_closed, floor, clock, True)
    assert state(floor, clock)["list_closed"] is True
    with pytest.raises(Forbidden) as closed:
        ask(floor, a, clock)
    assert closed.value.code == "list_closed"
    db.session.rollback()
    fs.ask(db.session, floor, b, {"kind": "statement", "language": "es"}, clock.now(),
           by_chair=True, version=version(floor))
    db.session.commit()
    act(fs.set_list_closed, floor, clock, False)
    ask(floor, a, clock)
    assert len(state(floor, clock)["queue"]) == 2


def test_totals_per_participant_and_category(app, floor, speakers, clock):
    a, b = speakers(2)
    (c,) = speakers(1, category="civil_society", country="CO")
    for who, seconds in ((a, 60), (c, 200), (a, 30)):
        ask(floor, who, clock)
        act(fs.next_speaker, floor, clock)
        clock.advance(seconds)
        if seconds < 180:
            act(fs.end, floor, clock)
    data = fs.totals(db.session, floor, clock.now())
    by_name = {p["participant"]["name"]: p for p in data["participants"]}
    assert by_name[a.name]["interventions"] == 2
    assert by_name[a.name]["spoken_seconds"] == 90
    assert by_name[c.name]["spoken_seconds"] == 180
    assert by_name[c.name]["ended_by_limit"] == 1
    cats = {row["category"]: row for row in data["categories"]}
    assert cats["lac_state"]["spoken_seconds"] == 90
    assert cats["civil_society"]["interventions"] == 1
    with app.test_request_context():
        text = fs.totals_csv(data)
    assert text.splitlines()[0].startswith("level,name,organization")
    assert f"participant,{a.name}," in text
    assert b.name not in text
