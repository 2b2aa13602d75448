"""The floor's state machine.

Every function takes the database session and ``now``; none commits (the caller commits, then
calls :func:`sync_limit_job`). Rules:

* Rows, not memory: the queue is ``FloorRequest`` rows, each turn an ``Intervention`` row.
  Elapsed, remaining and overtime are derived from ``started_at``, ``paused_at``,
  ``paused_total``, ``ended_at`` and ``now``.
* Every change first bumps the session's ``FloorState.version`` with one
  ``UPDATE ... WHERE version = :v`` (compare-and-set). The UPDATE takes the row lock
  (PostgreSQL) or the write lock (SQLite) before anything else is read, so changes are
  serialised and a chair action taken on an old version is refused with ``stale_version``.
* The limit is enforced lazily whenever the floor is read or changed, by a scheduled job at
  the deadline, and by each process's broadcaster tick (:func:`enforce_due`); the
  compare-and-set makes these safe to run at once. A limit-ended intervention ends exactly at
  its deadline, whenever the enforcement happens to run.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pycountry
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from ..agenda.services import current_item
from ..dbtypes import fits_integer
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..meetings.models import Meeting, MeetingSession
from ..registration.categories import CATEGORIES
from ..registration.models import Registration
from .models import KINDS, PRIORITY, FloorRequest, FloorState, Intervention
from .notifiers import floor_changed

#: requests' ``position`` counts seconds from here (keeps microseconds exact in a float)
POSITION_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


class StaleVersion(Conflict):
    """The action named a version that is no longer the floor's; the body carries the current
    floor state so the console can refresh at once."""

    code = "stale_version"
    default_message = _l("The floor has changed since you last saw it. Check it and try again.")

    def __init__(self, state: dict) -> None:
        super().__init__()
        self.state = state

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["floor"] = self.state
        return body


# --- time, derived -------------------------------------------------------------------------


def iso_ms(instant: datetime | None) -> str | None:
    """``2025-11-27T14:00:00.250Z``: milliseconds matter to a countdown."""
    if instant is None:
        return None
    utc = instant.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _iso(instant: datetime | None) -> str | None:
    if instant is None:
        return None
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def elapsed(iv: Intervention, now: datetime) -> float:
    """Seconds spoken: the clock stops while paused and at the end."""
    until = iv.ended_at or iv.paused_at or now
    return max(0.0, (until - iv.started_at).total_seconds() - iv.paused_total)


def deadline(iv: Intervention) -> datetime | None:
    """The instant the limit is reached, while speaking (None when paused or ended)."""
    if iv.ended_at is not None or iv.paused_at is not None:
        return None
    return iv.started_at + timedelta(seconds=iv.paused_total + iv.limit_seconds)


def limit_for(dbs: DbSession, session: MeetingSession, now: datetime) -> int:
    """The limit of an intervention given now in ``session``, in seconds: the limit of the
    agenda item under way, when it has its own, else the meeting's. The one place that
    decides it."""
    item = current_item(dbs, session, now)
    if item is not None and item.intervention_seconds:
        return item.intervention_seconds
    return session.meeting.intervention_seconds


def _is_due(iv: Intervention | None, enforcement: str, now: datetime) -> bool:
    if iv is None or enforcement != "hard":
        return False
    due = deadline(iv)
    return due is not None and now >= due


# --- rows ----------------------------------------------------------------------------------


def get_floor(dbs: DbSession, session_id: int, now: datetime) -> FloorState:
    """The floor row of a session, created (version 1) on first use."""
    floor = dbs.get(FloorState, session_id, populate_existing=True)
    if floor is None:
        table = FloorState.__table__
        dialect = dbs.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        dbs.execute(insert(table).values(session_id=session_id, version=1, list_closed=False,
                                         updated_at=now).on_conflict_do_nothing())
        floor = dbs.get(FloorState, session_id, populate_existing=True)
    return floor


def current_intervention(dbs: DbSession, session_id: int) -> Intervention | None:
    return dbs.execute(
        select(Intervention).where(Intervention.session_id == session_id,
                                   Intervention.ended_at.is_(None))
        .order_by(Intervention.started_at.desc()).limit(1)
        .options(joinedload(Intervention.registration))
        .execution_options(populate_existing=True)).scalar_one_or_none()


def waiting(dbs: DbSession, session_id: int) -> list[FloorRequest]:
    """The queue in order: points of order, replies, statements, each by request time (or as
    the chair moved them)."""
    return list(dbs.execute(
        select(FloorRequest).where(FloorRequest.session_id == session_id,
                                   FloorRequest.status == "waiting")
        .order_by(FloorRequest.rank, FloorRequest.position, FloorRequest.id)
        .options(joinedload(FloorRequest.registration))  # one query, not one per row
        .execution_options(populate_existing=True)).scalars())


def finished(dbs: DbSession, session_id: int) -> list[Intervention]:
    return list(dbs.execute(
        select(Intervention).where(Intervention.session_id == session_id,
                                   Intervention.ended_at.is_not(None))
        .order_by(Intervention.started_at, Intervention.id)
        .options(joinedload(Intervention.registration))).scalars())


# --- compare-and-set -----------------------------------------------------------------------


def _cas(dbs: DbSession, session_id: int, version: int | None, now: datetime) -> bool:
    """Bump the version if it is ``version`` (any version when None). True when bumped."""
    get_floor(dbs, session_id, now)
    if version is not None and not fits_integer(version):
        return False  # no floor ever had it
    statement = update(FloorState).where(FloorState.session_id == session_id)
    if version is not None:
        statement = statement.where(FloorState.version == version)
    result = dbs.execute(statement.values(version=FloorState.version + 1, updated_at=now)
                         .execution_options(synchronize_session=False))
    # the floor's rows are read again under the lock; the session, meeting and people loaded
    # before stay (a change to the meeting's rules moves the version too)
    for row in list(dbs.identity_map.values()):
        if isinstance(row, FloorState | FloorRequest | Intervention):
            dbs.expire(row)
    if result.rowcount != 1:
        return False
    floor_changed(dbs, session_id)  # NOTIFY in this transaction; other instances wake
    return True


def _version(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(fields={"version": _l("The floor version you acted on.")})
    return value


def _claim(dbs: DbSession, session: MeetingSession, version, now: datetime) -> FloorState:
    """Start a chair action taken on ``version``; 409 ``stale_version`` when it is old."""
    if not _cas(dbs, session.id, _version(version), now):
        raise StaleVersion(state_dict(dbs, session, now))
    _end_if_due(dbs, session, now)
    return get_floor(dbs, session.id, now)


def _end_if_due(dbs: DbSession, session: MeetingSession, now: datetime) -> bool:
    """Inside a claimed change: end the current intervention at its deadline if it is due."""
    iv = current_intervention(dbs, session.id)
    if not _is_due(iv, session.meeting.enforcement, now):
        return False
    _finish(dbs, iv, deadline(iv), "limit")
    return True


def enforce_due(dbs: DbSession, session_id: int, now: datetime) -> bool:
    """End the current intervention at its limit if it is due (hard enforcement). Safe to run
    from any process at any time; True when this call ended it."""
    session = dbs.get(MeetingSession, session_id)
    if session is None or session.meeting.enforcement != "hard":
        return False
    for _attempt in range(5):
        # the version first, then the intervention: whoever ends the turn after our read of
        # the version moves it, so our claim fails; whoever ended it before, we see it ended.
        # (Read the other way round, a turn ended in between was claimed again: a spurious
        # version with no change.)
        floor = get_floor(dbs, session_id, now)
        version = floor.version
        if floor.limit_due_at is None or floor.limit_due_at > now:
            return False  # every change keeps it at the running turn's hard deadline: not yet
        iv = current_intervention(dbs, session_id)
        if not _is_due(iv, session.meeting.enforcement, now):
            return False
        if _cas(dbs, session_id, version, now):
            return _end_if_due(dbs, session, now)
    return False


def rules_changed(dbs: DbSession, meeting: Meeting, now: datetime) -> list[int]:
    """The meeting's limit, warning or enforcement changed: each floor of the meeting moves
    to a new version (its viewers get the new rules at once) and a running turn's hard
    deadline follows the enforcement (switched to hard, an overdue turn ends at its deadline).
    The caller commits, then calls :func:`sync_limit_job` for each session id returned."""
    changed = []
    for session in meeting.sessions:
        if dbs.get(FloorState, session.id) is None:
            continue  # nobody has used this floor yet
        _cas(dbs, session.id, None, now)
        iv = current_intervention(dbs, session.id)
        get_floor(dbs, session.id, now).limit_due_at = \
            deadline(iv) if iv is not None and meeting.enforcement == "hard" else None
        changed.append(session.id)
    return changed


# --- transitions ---------------------------------------------------------------------------


def _finish(dbs: DbSession, iv: Intervention, at: datetime, by: str) -> None:
    if iv.paused_at is not None:
        iv.paused_total += max(0.0, (at - iv.paused_at).total_seconds())
        iv.paused_at = None
    iv.ended_at = at
    iv.ended_by = by
    get_floor(dbs, iv.session_id, at).limit_due_at = None


def _set_due(dbs: DbSession, session: MeetingSession, iv: Intervention, now: datetime) -> None:
    floor = get_floor(dbs, session.id, now)
    floor.limit_due_at = deadline(iv) if session.meeting.enforcement == "hard" else None


def _start(dbs: DbSession, session: MeetingSession, request: FloorRequest,
           now: datetime) -> Intervention:
    request.status = "granted"
    request.closed_at = now
    iv = Intervention(session_id=session.id, registration_id=request.registration_id,
                      request_id=request.id, kind=request.kind, language=request.language,
                      limit_seconds=limit_for(dbs, session, now), started_at=now,
                      paused_total=0.0)
    dbs.add(iv)
    dbs.flush()
    _set_due(dbs, session, iv, now)
    return iv


def _end_current(dbs: DbSession, session: MeetingSession, now: datetime) -> bool:
    iv = current_intervention(dbs, session.id)
    if iv is None:
        return False
    _finish(dbs, iv, now, "chair")
    return True


def _waiting_request(dbs: DbSession, session: MeetingSession, request_id) -> FloorRequest:
    request = dbs.get(FloorRequest, request_id) if fits_integer(request_id) else None
    if request is None or request.session_id != session.id or request.status != "waiting":
        raise NotFound(_l("There is no such request waiting for the floor."))
    return request


def next_speaker(dbs: DbSession, session: MeetingSession, version, now: datetime
                 ) -> Intervention | None:
    """End the current intervention and give the floor to the first in the queue."""
    _claim(dbs, session, version, now)
    ended = _end_current(dbs, session, now)
    queue = waiting(dbs, session.id)
    if not queue:
        if not ended:
            raise Conflict(_l("Nobody is waiting for the floor."), code="queue_empty")
        return None
    return _start(dbs, session, queue[0], now)


def give_floor(dbs: DbSession, session: MeetingSession, version, request_id,
               now: datetime) -> Intervention:
    """End the current intervention and give the floor to a chosen waiting request."""
    _claim(dbs, session, version, now)
    request = _waiting_request(dbs, session, request_id)
    _end_current(dbs, session, now)
    return _start(dbs, session, request, now)


def pause(dbs: DbSession, session: MeetingSession, version, now: datetime) -> Intervention:
    _claim(dbs, session, version, now)
    iv = current_intervention(dbs, session.id)
    if iv is None or iv.paused_at is not None:
        raise Conflict(_l("Nobody is speaking."), code="not_speaking")
    iv.paused_at = now
    get_floor(dbs, session.id, now).limit_due_at = None
    return iv


def resume(dbs: DbSession, session: MeetingSession, version, now: datetime) -> Intervention:
    _claim(dbs, session, version, now)
    iv = current_intervention(dbs, session.id)
    if iv is None or iv.paused_at is None:
        raise Conflict(_l("The intervention is not paused."), code="not_paused")
    iv.paused_total += max(0.0, (now - iv.paused_at).total_seconds())
    iv.paused_at = None
    _set_due(dbs, session, iv, now)
    return iv


def end(dbs: DbSession, session: MeetingSession, version, now: datetime) -> Intervention:
    _claim(dbs, session, version, now)
    iv = current_intervention(dbs, session.id)
    if iv is None:
        raise Conflict(_l("Nobody has the floor."), code="nobody_speaking")
    _finish(dbs, iv, now, "chair")
    return iv


def set_list_closed(dbs: DbSession, session: MeetingSession, version, closed: bool,
                    now: datetime) -> FloorState:
    floor = _claim(dbs, session, version, now)
    floor.list_closed = bool(closed)
    return floor


def move(dbs: DbSession, session: MeetingSession, version, request_id, to_index,
         now: datetime) -> None:
    """Put a waiting request at ``to_index`` (0 = first) of the queue. The queue's sort keys
    are dealt out again in the new order, so later requests still join by the usual rule."""
    _claim(dbs, session, version, now)
    request = _waiting_request(dbs, session, request_id)
    if isinstance(to_index, bool) or not isinstance(to_index, int):
        raise ValidationError(fields={"to_index": _l("A position in the queue, from 0.")})
    queue = waiting(dbs, session.id)
    keys = [(r.rank, r.position) for r in queue]
    queue.remove(request)
    queue.insert(max(0, min(to_index, len(queue))), request)
    previous = None
    for item, (rank, position) in zip(queue, keys, strict=True):
        if previous is not None and (rank, position) <= previous:  # equal keys: keep apart
            rank, position = previous[0], previous[1] + 1e-6
        item.rank, item.position = rank, position
        previous = (rank, position)


def _clean_request(data: dict) -> tuple[str, str]:
    kind = data.get("kind", "statement")
    language = data.get("language")
    errors = {}
    if kind not in KINDS:
        errors["kind"] = _l("One of: statement, point_of_order, reply.")
    if not isinstance(language, str) or len(language.strip()) != 2 or \
            pycountry.languages.get(alpha_2=language.strip().lower()) is None:
        errors["language"] = _l("The language you will speak, as an ISO 639-1 code (es, en, "
                                "pt, fr...).")
    if errors:
        raise ValidationError(fields=errors)
    return kind, language.strip().lower()


def ask(dbs: DbSession, session: MeetingSession, registration: Registration, data: dict,
        now: datetime, *, by_chair: bool = False, version=None) -> FloorRequest:
    """A participant asks for the floor (or the chair adds them on their behalf)."""
    kind, language = _clean_request(data)
    if registration.meeting_id != session.meeting_id or not registration.is_active:
        raise Forbidden(_l("Only participants registered for this meeting can ask for the "
                           "floor."), code="not_registered")
    if by_chair:
        floor = _claim(dbs, session, version, now)
    else:
        _cas(dbs, session.id, None, now)
        _end_if_due(dbs, session, now)
        floor = get_floor(dbs, session.id, now)
        if floor.list_closed:
            raise Forbidden(_l("The list of speakers is closed."), code="list_closed")
    already = dbs.execute(select(FloorRequest.id).where(
        FloorRequest.session_id == session.id, FloorRequest.status == "waiting",
        FloorRequest.registration_id == registration.id)).first()
    if already is not None:
        raise Conflict(_l("You are already waiting for the floor in this session."),
                       code="already_waiting")
    request = FloorRequest(session_id=session.id, registration_id=registration.id, kind=kind,
                           language=language, requested_at=now, status="waiting",
                           rank=PRIORITY[kind],
                           position=(now - POSITION_EPOCH).total_seconds(),
                           added_by_chair=by_chair)
    dbs.add(request)
    dbs.flush()
    return request


def withdraw(dbs: DbSession, session: MeetingSession, request_id, now: datetime, *,
             registration: Registration | None = None, version=None) -> FloorRequest:
    """Withdraw a waiting request: the participant's own (``registration``), or by the chair
    (removed; checked against ``version`` when given)."""
    if version is not None:
        _claim(dbs, session, version, now)
    else:
        _cas(dbs, session.id, None, now)
        _end_if_due(dbs, session, now)
    request = _waiting_request(dbs, session, request_id)
    if registration is not None and request.registration_id != registration.id:
        raise NotFound(_l("There is no such request waiting for the floor."))
    request.status = "withdrawn" if registration is not None else "removed"
    request.closed_at = now
    return request


def own_request(dbs: DbSession, session: MeetingSession, registration: Registration
                ) -> FloorRequest | None:
    return dbs.execute(select(FloorRequest).where(
        FloorRequest.session_id == session.id, FloorRequest.status == "waiting",
        FloorRequest.registration_id == registration.id)).scalar_one_or_none()


def participants(dbs: DbSession, session: MeetingSession) -> list[Registration]:
    """Active participants of the session's meeting, by name (the chair adds on behalf)."""
    return list(dbs.execute(select(Registration).where(
        Registration.meeting_id == session.meeting_id, Registration.status == "active")
        .order_by(Registration.name)).scalars())


def find_registration(dbs: DbSession, session: MeetingSession, registration_id
                      ) -> Registration:
    registration = dbs.get(Registration, registration_id) \
        if fits_integer(registration_id) else None
    if registration is None or registration.meeting_id != session.meeting_id:
        raise ValidationError(fields={"registration_id": _l(
            "A participant registered for this meeting.")})
    return registration


# --- reading -------------------------------------------------------------------------------


def participant_dict(registration: Registration) -> dict:
    return {"id": registration.id, "name": registration.name,
            "organization": registration.organization, "country": registration.country,
            "category": registration.category}


class Timing(NamedTuple):
    """The running intervention's timestamps, detached from the database: all a state needs
    to be told again at a later instant (:func:`retimed`)."""

    started_at: datetime
    paused_at: datetime | None
    paused_total: float
    limit_seconds: int
    ended_at: datetime | None = None


def timer(iv: Intervention | Timing, now: datetime) -> dict:
    """The fields of the current intervention that move with the clock."""
    spoken = elapsed(iv, now)
    return {
        "elapsed_seconds": int(spoken),
        "remaining_seconds": math.ceil(max(0.0, iv.limit_seconds - spoken)),
        "overtime_seconds": int(max(0.0, spoken - iv.limit_seconds)),
        "elapsed_ms": int(spoken * 1000),
    }


def build_state(dbs: DbSession, session: MeetingSession, now: datetime
                ) -> tuple[dict, Timing | None]:
    """The floor state of the contract at ``now`` (read it after :func:`enforce_due`), and the
    timing of its current intervention (None when nobody has the floor)."""
    floor = get_floor(dbs, session.id, now)
    meeting = session.meeting
    current = timing = None
    iv = current_intervention(dbs, session.id)
    if iv is not None:
        timing = Timing(iv.started_at, iv.paused_at, iv.paused_total, iv.limit_seconds)
        due = deadline(iv)
        current = {
            "intervention_id": iv.id,
            "participant": participant_dict(iv.registration),
            "kind": iv.kind,
            "language": iv.language,
            "state": "paused" if iv.paused_at is not None else "speaking",
            "started_at": iso_ms(iv.started_at),
            "paused_at": iso_ms(iv.paused_at),
            "paused_seconds": round(iv.paused_total, 3),
            "limit_seconds": iv.limit_seconds,
            **timer(timing, now),
            "deadline_at": iso_ms(due),
            "warning_at": iso_ms(due - timedelta(seconds=meeting.warning_seconds))
            if due else None,
        }
    queue = [{
        "request_id": r.id,
        "participant": participant_dict(r.registration),
        "kind": r.kind,
        "language": r.language,
        "requested_at": _iso(r.requested_at),
        "added_by_chair": r.added_by_chair,
    } for r in waiting(dbs, session.id)]
    done = [{
        "intervention_id": d.id,
        "participant": participant_dict(d.registration),
        "kind": d.kind,
        "language": d.language,
        "started_at": _iso(d.started_at),
        "ended_at": _iso(d.ended_at),
        "limit_seconds": d.limit_seconds,
        "spoken_seconds": round(elapsed(d, now)),
        "overtime_seconds": round(max(0.0, elapsed(d, now) - d.limit_seconds)),
        "ended_by": d.ended_by,
    } for d in finished(dbs, session.id)]
    state = {
        "session_id": session.id,
        "version": floor.version,
        "server_now": iso_ms(now),
        "limit_seconds": iv.limit_seconds if iv is not None else limit_for(dbs, session, now),
        "warning_seconds": meeting.warning_seconds,
        "enforcement": meeting.enforcement,
        "list_closed": floor.list_closed,
        "current": current,
        "queue": queue,
        "done": done,
    }
    return state, timing


def state_dict(dbs: DbSession, session: MeetingSession, now: datetime) -> dict:
    """The floor state of the contract, at ``now`` (read it after :func:`enforce_due`)."""
    return build_state(dbs, session, now)[0]


def retimed(state: dict, timing: Timing | None, now: datetime) -> dict:
    """``state``, built earlier at the same version, as it reads at ``now``: the same as
    building it again, without the database (only the server's clock and the current
    intervention's timer move between versions)."""
    again = dict(state, server_now=iso_ms(now))
    if timing is not None:
        again["current"] = dict(state["current"], **timer(timing, now))
    return again


def read_state(dbs: DbSession, session: MeetingSession, now: datetime) -> dict:
    """Apply a due limit, then the state (the caller commits)."""
    enforce_due(dbs, session.id, now)
    return state_dict(dbs, session, now)


def etag(state: dict) -> str:
    """The (weak) entity tag of a state: it changes with the floor's version and with what a
    state may change between versions (the limit of the next turn, set by the agenda item
    under way; the meeting's warning and enforcement). The timer itself is computed by the
    client from the timestamps."""
    return (f"floor-{state['session_id']}-{state['version']}-{state['limit_seconds']}-"
            f"{state['warning_seconds']}-{state['enforcement']}")


def etag_version(tag: str | None, session_id: int) -> int:
    """The version an entity tag of ours names for ``session_id`` (0 when it names none)."""
    prefix = f"floor-{session_id}-"
    if not isinstance(tag, str) or not tag.startswith(prefix):
        return 0
    head = tag[len(prefix):].partition("-")[0]
    return int(head) if head.isdigit() and len(head) < 11 else 0


def hard_due(state: dict) -> str | None:
    """The hard deadline a state runs to (ISO, ms), None when nothing is due."""
    current = state["current"]
    if current is None or state["enforcement"] != "hard":
        return None
    return current["deadline_at"]


def versions(dbs: DbSession) -> list[tuple[int, int, datetime | None]]:
    """Every floor's (session id, version, hard deadline): the broadcaster's one query."""
    return [tuple(row) for row in dbs.execute(select(
        FloorState.session_id, FloorState.version, FloorState.limit_due_at))]


# --- the job -------------------------------------------------------------------------------


def limit_job_id(session_id: int) -> str:
    return f"floor-limit-{session_id}"


def sync_limit_job(dbs: DbSession, session_id: int, now: datetime) -> None:
    """After a commit: schedule the limit job at the current hard deadline, or cancel it."""
    from .. import scheduler

    due = get_floor(dbs, session_id, now).limit_due_at
    if due is None:
        scheduler.cancel(limit_job_id(session_id))
    else:
        scheduler.schedule_once(limit_job_id(session_id), "meetops.floor.jobs:enforce_limit",
                                due, {"session_id": session_id})


# --- totals --------------------------------------------------------------------------------


def totals(dbs: DbSession, session: MeetingSession, now: datetime, *,
           whole_meeting: bool = False) -> dict:
    """Interventions, spoken seconds and overtime per participant and per stakeholder
    category, in the session or in every session of its meeting (the current intervention
    counted up to ``now``)."""
    people: dict[int, dict] = {}
    categories: dict[str, dict] = {}
    session_ids = [s.id for s in session.meeting.sessions] if whole_meeting else [session.id]
    rows = dbs.execute(select(Intervention).where(Intervention.session_id.in_(session_ids))
                       .order_by(Intervention.started_at)).scalars()
    for iv in rows:
        spoken = elapsed(iv, now)
        over = max(0.0, spoken - iv.limit_seconds)
        reg = iv.registration
        person = people.setdefault(reg.id, {"participant": participant_dict(reg),
                                            "interventions": 0, "spoken": 0.0,
                                            "overtime": 0.0, "ended_by_limit": 0})
        cat = categories.setdefault(reg.category, {"category": reg.category,
                                                   "interventions": 0, "spoken": 0.0,
                                                   "overtime": 0.0, "ended_by_limit": 0})
        for bucket in (person, cat):
            bucket["interventions"] += 1
            bucket["spoken"] += spoken
            bucket["overtime"] += over
            bucket["ended_by_limit"] += iv.ended_by == "limit"

    def whole(bucket: dict) -> dict:
        out = {k: v for k, v in bucket.items() if k not in ("spoken", "overtime")}
        out["spoken_seconds"] = round(bucket["spoken"])
        out["overtime_seconds"] = round(bucket["overtime"])
        return out

    return {
        "session_id": session.id,
        "scope": "meeting" if whole_meeting else "session",
        "participants": sorted((whole(p) for p in people.values()),
                               key=lambda p: (-p["spoken_seconds"], p["participant"]["name"])),
        "categories": sorted((whole(c) for c in categories.values()),
                             key=lambda c: -c["spoken_seconds"]),
    }


def totals_csv(data: dict) -> str:
    """Both tables in one CSV: a ``level`` column says which."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["level", "name", "organization", "country", "category", "interventions",
                     "spoken_seconds", "overtime_seconds", "ended_by_limit"])
    for p in data["participants"]:
        who = p["participant"]
        writer.writerow(["participant", who["name"], who["organization"], who["country"],
                         who["category"], p["interventions"], p["spoken_seconds"],
                         p["overtime_seconds"], p["ended_by_limit"]])
    for c in data["categories"]:
        writer.writerow(["category", str(CATEGORIES.get(c["category"], c["category"])), "", "",
                         c["category"], c["interventions"], c["spoken_seconds"],
                         c["overtime_seconds"], c["ended_by_limit"]])
    return out.getvalue()

