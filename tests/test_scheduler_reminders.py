"""Reminders: planned with explicit job ids in the persistent store, moved with the session,
never duplicated (two app instances, repeated runs), run by exactly one runner."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import vobject

from meetops import create_app, scheduler
from meetops.agenda import reminders
from meetops.extensions import db
from meetops.notifications.models import OutboxMessage

from .conftest import bearer, santiago


@pytest.fixture
def admin(make_user):
    return bearer(make_user("admin")[1])


@pytest.fixture
def day1(meeting):
    return meeting.sessions[0]


def outbox(kind="reminder"):
    db.session.expire_all()
    return db.session.query(OutboxMessage).filter_by(kind=kind).order_by(OutboxMessage.id).all()


def test_reminders_are_planned_24h_and_15min_before(app, day1):
    reminders.schedule_session(day1)
    assert scheduler.job_ids("reminder:") == [f"reminder:{day1.id}:15m",
                                              f"reminder:{day1.id}:24h"]
    assert scheduler.planned(f"reminder:{day1.id}:24h") == santiago(2025, 11, 26, 11, 0)
    assert scheduler.planned(f"reminder:{day1.id}:15m") == santiago(2025, 11, 27, 10, 45)


def test_planning_again_replaces_instead_of_duplicating(app, day1, database_url, clock):
    reminders.schedule_session(day1)
    reminders.schedule_session(day1)
    other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "k",
                        "MEETOPS_CLOCK": clock, "SERVER_NAME": "meetops.test"})
    with other.app_context():  # a second app instance (another worker or machine)
        from meetops.meetings.models import MeetingSession

        reminders.schedule_session(db.session.get(MeetingSession, day1.id))
        assert len(scheduler.job_ids("reminder:")) == 2
        db.session.remove()
        db.engine.dispose()
    assert len(scheduler.job_ids("reminder:")) == 2
    count = db.session.execute(db.select(db.func.count()).select_from(
        scheduler.JOBS_TABLE)).scalar()
    assert count == 2


def test_moving_a_session_moves_its_reminders(client, day1, admin):
    client.patch(f"/api/v1/sessions/{day1.id}", json={"starts_at": "2025-11-27T12:30:00"},
                 headers=admin)
    assert scheduler.planned(f"reminder:{day1.id}:24h") == santiago(2025, 11, 26, 12, 30)
    assert scheduler.planned(f"reminder:{day1.id}:15m") == santiago(2025, 11, 27, 12, 15)
    assert len(scheduler.job_ids("reminder:")) == 2
    client.patch(f"/api/v1/sessions/{day1.id}", json={"cancelled": True}, headers=admin)
    assert scheduler.job_ids("reminder:") == []


def test_a_passed_reminder_goes_at_once_unless_a_later_one_is_due(app, day1, clock):
    clock.set(santiago(2025, 11, 27, 9, 0))  # 24h reminder time has passed
    assert reminders.plan(day1, clock.now()) == {"24h": clock.now(),
                                                 "15m": santiago(2025, 11, 27, 10, 45)}
    clock.set(santiago(2025, 11, 27, 10, 20))  # the 15-minute one comes soon enough
    assert reminders.plan(day1, clock.now()) == {"24h": None,
                                                 "15m": santiago(2025, 11, 27, 10, 45)}
    clock.set(santiago(2025, 11, 27, 10, 50))
    assert reminders.plan(day1, clock.now()) == {"24h": None, "15m": clock.now()}
    clock.set(santiago(2025, 11, 27, 11, 0))
    assert reminders.plan(day1, clock.now()) == {"24h": None, "15m": None}


def test_the_job_mails_each_participant_once_in_their_language_with_the_invite(
        app, day1, register, clock):
    es = register(language="es", email="es@example.org")
    register(language="en", email="en@example.org")
    register(language="en", email="other-day@example.org", sessions=[day1.meeting.sessions[1].id])
    gone = register(email="gone@example.org")
    from meetops.registration.models import Registration

    db.session.get(Registration, gone["id"]).status = "cancelled"
    db.session.commit()
    clock.set(santiago(2025, 11, 26, 11, 0))
    assert reminders.send_reminders_job(session_id=day1.id, kind="24h") == 2
    mails = outbox()
    assert sorted(m.recipient for m in mails) == ["en@example.org", "es@example.org"]
    spanish = next(m for m in mails if m.recipient == "es@example.org")
    assert spanish.subject.startswith("Recordatorio: Primera sesión")
    assert "hora de Santiago" in spanish.body
    assert f"/r/{es['token']}" in spanish.body
    assert "video.example.org/j/pac-support-platform-day-1" in spanish.body
    invite = vobject.readOne(spanish.attachments[0]["content"])
    assert invite.vevent.dtstart.value.astimezone(UTC) == datetime(2025, 11, 27, 14, tzinfo=UTC)
    assert invite.vevent.attendee.value == "mailto:es@example.org"
    # a repeated run (a restart, a second runner) queues nothing more
    assert reminders.send_reminders_job(session_id=day1.id, kind="24h") == 0
    assert len(outbox()) == 2
    clock.set(santiago(2025, 11, 27, 10, 45))
    assert reminders.send_reminders_job(session_id=day1.id, kind="15m") == 2
    assert outbox()[-1].subject.startswith("Starting in 15 minutes")


def test_a_moved_session_is_reminded_again_and_stale_jobs_do_nothing(
        client, day1, register, clock, admin):
    register(language="en")
    clock.set(santiago(2025, 11, 26, 11, 0))
    assert reminders.send_reminders_job(session_id=day1.id, kind="24h") == 1
    client.patch(f"/api/v1/sessions/{day1.id}", json={"starts_at": "2025-11-27T13:00:00"},
                 headers=admin)
    # an old job that fires at the old time finds the session later: nothing
    assert reminders.send_reminders_job(session_id=day1.id, kind="24h") == 0
    clock.set(santiago(2025, 11, 26, 13, 0))
    assert reminders.send_reminders_job(session_id=day1.id, kind="24h") == 1
    assert "13:00" in outbox()[-1].body
    clock.set(santiago(2025, 11, 27, 13, 0))  # started: too late for any reminder
    assert reminders.send_reminders_job(session_id=day1.id, kind="15m") == 0


def test_web_workers_only_store_jobs_they_never_run_them(app, day1, register, clock):
    register()
    clock.set(santiago(2025, 11, 27, 10, 45))
    reminders.schedule_session(day1)  # due now
    time.sleep(0.2)
    assert outbox() == []
    assert f"reminder:{day1.id}:15m" in scheduler.job_ids()


def test_one_runner_runs_the_stored_jobs_and_a_second_one_stands_by(app, day1, register,
                                                                    clock):
    register(email="runner@example.org", language="en")
    clock.set(santiago(2025, 11, 27, 10, 45))
    reminders.schedule_session(day1)
    db.session.commit()
    runner = scheduler.start_runner(app, poll_seconds=0.1)
    assert runner is not None
    try:
        assert scheduler.start_runner(app, poll_seconds=0.1) is None  # the lock is taken
        deadline = time.monotonic() + 5
        while not outbox() and time.monotonic() < deadline:
            time.sleep(0.05)
        mails = outbox()
        assert [m.recipient for m in mails] == ["runner@example.org"]
        assert "15 minutes" in mails[0].subject
        deadline = time.monotonic() + 2
        while f"reminder:{day1.id}:15m" in scheduler.job_ids() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert f"reminder:{day1.id}:15m" not in scheduler.job_ids()  # ran once, then gone
    finally:
        scheduler.stop_runner(runner)
    clock.set(santiago(2025, 11, 28, 12, 0))  # both sessions started: nothing due
    for job_id in scheduler.job_ids():
        scheduler.cancel(job_id)
    again = scheduler.start_runner(app, poll_seconds=0.1)  # the lock was released
    assert again is not None
    scheduler.stop_runner(again)
    assert len(outbox()) == 1


def test_job_run_at_must_be_aware(app):
    with pytest.raises(ValueError):
        scheduler.schedule_once("x", "meetops.agenda.reminders:send_reminders_job",
                                datetime(2025, 1, 1) + timedelta(0), {})  # noqa: DTZ001


def test_the_day_before_reminder_keeps_the_wall_clock_time_across_dst(app, day1):
    # Santiago moves its clocks forward at 00:00 on 7 September 2025
    day1.starts_at = santiago(2025, 9, 7, 11, 0)
    day1.ends_at = santiago(2025, 9, 7, 14, 0)
    assert reminders.due_at(day1, "24h") == santiago(2025, 9, 6, 11, 0)
    assert day1.starts_at - reminders.due_at(day1, "24h") == timedelta(hours=23)
    assert reminders.due_at(day1, "15m") == santiago(2025, 9, 7, 10, 45)
    # a day-before time that does not exist falls back to exactly 24 hours
    day1.starts_at = santiago(2025, 9, 8, 0, 30)
    assert reminders.due_at(day1, "24h") == day1.starts_at - timedelta(hours=24)
    db.session.rollback()
