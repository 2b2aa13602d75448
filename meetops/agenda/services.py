"""Building the agenda: place, fit, reorder, publish; moving sessions.

Rules: an item lies inside its session and never overlaps another; what does not fit is
refused with a message that says why and by how many minutes. Local times are read in the
meeting's zone, and a time that does not exist or happens twice at a daylight-saving change
is refused. Every change to a session or its agenda raises the session's ``revision`` (the
SEQUENCE of the calendar files).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from ..dbtypes import fits_integer
from ..errors import Conflict, NotFound, ValidationError
from ..i18n import pick
from ..meetings.models import Meeting, MeetingSession
from ..meetings.services import read_instant, session_dict
from ..registration.models import Registration
from ..timezones import iso_local, iso_utc, to_local
from ..web import zone_label
from .models import KINDS, AgendaItem, AgendaItemArea

MAX_TITLE = 300
MAX_TEXT = 5000
MAX_MINUTES = 24 * 60


KIND_LABELS = {
    "opening": _l("Opening"),
    "presentation": _l("Presentation"),
    "panel": _l("Panel"),
    "discussion": _l("Discussion"),
    "break": _l("Break"),
    "closing": _l("Closing"),
    "other": _l("Other"),
}


class DoesNotFit(Conflict):
    code = "does_not_fit"


class Overlaps(Conflict):
    code = "overlaps"


# --- reading --------------------------------------------------------------------------------


def get_item(dbs: DbSession, item_id: int) -> AgendaItem:
    item = dbs.get(AgendaItem, item_id)
    if item is None:
        raise NotFound(_l("There is no such agenda item."))
    return item


def session_items(dbs: DbSession, session: MeetingSession, *, published_only: bool = False
                  ) -> list[AgendaItem]:
    query = select(AgendaItem).filter_by(session_id=session.id)
    if published_only:
        query = query.filter_by(published=True)
    return list(dbs.execute(query.order_by(AgendaItem.starts_at, AgendaItem.id)).scalars())


def current_item(dbs: DbSession, session: MeetingSession, now: datetime) -> AgendaItem | None:
    """The published item whose time span contains ``now`` (start inclusive, end exclusive)."""
    return dbs.execute(
        select(AgendaItem).filter_by(session_id=session.id, published=True)
        .where(AgendaItem.starts_at <= now, AgendaItem.ends_at > now)
        .order_by(AgendaItem.starts_at).limit(1)).scalar_one_or_none()


def item_dict(item: AgendaItem, *, staff: bool = False) -> dict:
    zone = item.session.meeting.timezone
    data = {
        "id": item.id,
        "session_id": item.session_id,
        "position": item.position,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "speakers": item.speaker_names,
        "starts_at": iso_utc(item.starts_at),
        "ends_at": iso_utc(item.ends_at),
        "starts_at_local": iso_local(item.starts_at, zone),
        "ends_at_local": iso_local(item.ends_at, zone),
        "duration_seconds": item.duration_seconds,
        "intervention_seconds": item.intervention_seconds,
        "priority_area_codes": item.priority_area_codes,
        "published": item.published,
    }
    if staff:
        data["documents"] = item.documents or []
        data["speaker_registration_ids"] = [r.id for r in item.speaker_registrations]
    return data


def agenda_session_dict(dbs: DbSession, session: MeetingSession, *, staff: bool = False
                        ) -> dict:
    data = session_dict(session)
    data.update(revision=session.revision, cancelled=session.cancelled,
                items=[item_dict(i, staff=staff)
                       for i in session_items(dbs, session, published_only=not staff)])
    return data


def agenda_dict(dbs: DbSession, meeting: Meeting, *, staff: bool = False) -> dict:
    """The agenda of every session: published items only, unless for staff (drafts too)."""
    return {"slug": meeting.slug, "timezone": meeting.timezone,
            "sessions": [agenda_session_dict(dbs, s, staff=staff) for s in meeting.sessions]}


# --- messages -------------------------------------------------------------------------------


def minutes_text(seconds: float) -> LazyString:
    """A span rounded up to whole minutes, "1 minute" / "25 minutes", in the reader's language."""
    count = max(1, math.ceil(seconds / 60))
    return LazyString(lambda: ngettext("%(num)d minute", "%(num)d minutes", count))


def _hhmm(instant: datetime, zone: str) -> str:
    return to_local(instant, zone).strftime("%H:%M")


def _lazy_title(item: AgendaItem) -> LazyString:
    title = dict(item.title)
    return LazyString(lambda: pick(title))


def check_fits(session: MeetingSession, start: datetime, end: datetime,
               others: list[AgendaItem]) -> None:
    """Refuse a span outside the session or overlapping another item, saying by how much."""
    zone = session.meeting.timezone
    if start < session.starts_at:
        raise DoesNotFit(_l(
            "This item does not fit: it would start %(minutes)s before the session starts "
            "(%(start)s, %(zone)s time).", minutes=minutes_text(
                (session.starts_at - start).total_seconds()),
            start=_hhmm(session.starts_at, zone), zone=zone_label(zone)))
    if end > session.ends_at:
        raise DoesNotFit(_l(
            "This item does not fit: it would end %(minutes)s after the session ends "
            "(%(end)s, %(zone)s time). Shorten it or move it earlier.",
            minutes=minutes_text((end - session.ends_at).total_seconds()),
            end=_hhmm(session.ends_at, zone), zone=zone_label(zone)))
    for other in others:
        overlap = (min(end, other.ends_at) - max(start, other.starts_at)).total_seconds()
        if overlap > 0:
            raise Overlaps(_l(
                "This item would overlap “%(title)s” (%(start)s–%(end)s, %(zone)s time) by "
                "%(minutes)s.", title=_lazy_title(other), start=_hhmm(other.starts_at, zone),
                end=_hhmm(other.ends_at, zone), zone=zone_label(zone),
                minutes=minutes_text(overlap)))


# --- input ----------------------------------------------------------------------------------


def _bilingual(value, name: str, errors: dict, *, limit: int, required: bool) -> dict | None:
    if not isinstance(value, dict) or set(value) - {"en", "es"} or not all(
            isinstance(v, str) for v in value.values()):
        errors[name] = _l('An object with the texts in English and Spanish: {"en": ..., '
                          '"es": ...}.')
        return None
    cleaned = {lang: value.get(lang, "").strip() for lang in ("en", "es")}
    if name == "title":
        cleaned = {lang: " ".join(text.split()) for lang, text in cleaned.items()}
    if required and not any(cleaned.values()):
        errors[name] = _l("Give the text in at least one language.")
        return None
    if any(len(text) > limit for text in cleaned.values()):
        errors[name] = _l("At most %(n)d characters.", n=limit)
        return None
    return cleaned


def _duration(data: dict, errors: dict) -> timedelta | None:
    if "duration_seconds" in data:
        value, unit, high = data["duration_seconds"], "seconds", MAX_MINUTES * 60
    else:
        value, unit, high = data.get("duration_minutes"), "minutes", MAX_MINUTES
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        errors["duration_minutes"] = _l("A whole number of minutes from 1 to %(high)d.",
                                        high=MAX_MINUTES)
        return None
    return timedelta(**{unit: value})


def _codes(value, errors: dict) -> list[str] | None:
    if not isinstance(value, list) or not all(
            isinstance(c, str) and c.strip() and len(c.strip()) <= 40 for c in value):
        errors["priority_area_codes"] = _l("A list of priority area codes.")
        return None
    return sorted({c.strip() for c in value})


def _documents(value, errors: dict) -> list[dict] | None:
    if not isinstance(value, list):
        errors["documents"] = _l('A list of links: [{"title": ..., "url": "https://..."}].')
        return None
    documents = []
    for entry in value:
        url = entry.get("url") if isinstance(entry, dict) else None
        title = entry.get("title", "") if isinstance(entry, dict) else None
        if not isinstance(url, str) or not isinstance(title, str) or \
                urlsplit(url.strip()).scheme not in ("http", "https") or len(url) > 1000:
            errors["documents"] = _l('A list of links: [{"title": ..., "url": "https://..."}].')
            return None
        documents.append({"title": " ".join(title.split())[:MAX_TITLE], "url": url.strip()})
    return documents


def _speaker_registrations(dbs: DbSession, meeting: Meeting, value, errors: dict
                           ) -> list[Registration] | None:
    if not isinstance(value, list) or not all(fits_integer(v) for v in value):
        errors["speaker_registration_ids"] = _l("Choose registrations of this meeting.")
        return None
    found = list(dbs.execute(select(Registration).where(
        Registration.id.in_(value), Registration.meeting_id == meeting.id)).scalars())
    if len(found) != len(set(value)):
        errors["speaker_registration_ids"] = _l("Choose registrations of this meeting.")
        return None
    return found


FIELDS = {"title", "description", "kind", "duration_minutes", "duration_seconds", "starts_at",
          "speakers", "speaker_registration_ids", "intervention_seconds", "priority_area_codes",
          "documents", "published", "position"}


def clean_item(dbs: DbSession, meeting: Meeting, data: dict, *, partial: bool) -> dict:
    """Validate item fields; raise :class:`ValidationError` naming every bad field."""
    if not isinstance(data, dict):
        raise ValidationError(_l("The body must be a JSON object."))
    errors: dict = {}
    out: dict = {}
    for name in set(data) - FIELDS:
        errors[name] = _l("Unknown field.")
    if "title" in data or not partial:
        out["title"] = _bilingual(data.get("title"), "title", errors, limit=MAX_TITLE,
                                  required=True)
    if "description" in data:
        out["description"] = _bilingual(data["description"], "description", errors,
                                        limit=MAX_TEXT, required=False)
    if "kind" in data or not partial:
        kind = data.get("kind", "other")
        if kind not in KINDS:
            errors["kind"] = _l("Choose one of: %(kinds)s.", kinds=", ".join(KINDS))
        out["kind"] = kind
    if "duration_minutes" in data or "duration_seconds" in data or not partial:
        out["duration"] = _duration(data, errors)
    if data.get("starts_at") is not None:
        out["starts_at"] = read_instant(data["starts_at"], meeting.timezone, "starts_at", errors)
    if "speakers" in data:
        speakers = data["speakers"]
        if isinstance(speakers, list) and all(isinstance(s, str) for s in speakers):
            speakers = "\n".join(" ".join(s.split()) for s in speakers if s.strip())
        if not isinstance(speakers, str) or len(speakers) > MAX_TEXT:
            errors["speakers"] = _l("The speakers as text, or a list of names.")
        else:
            out["speakers"] = speakers.strip()
    if "speaker_registration_ids" in data:
        out["speaker_registrations"] = _speaker_registrations(
            dbs, meeting, data["speaker_registration_ids"], errors)
    if "intervention_seconds" in data:
        value = data["intervention_seconds"]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 1 <= value <= 3600):
            errors["intervention_seconds"] = _l(
                "A whole number of seconds from %(low)d to %(high)d.", low=1, high=3600)
        out["intervention_seconds"] = value
    if "priority_area_codes" in data:
        out["priority_area_codes"] = _codes(data["priority_area_codes"], errors)
    if "documents" in data:
        out["documents"] = _documents(data["documents"], errors)
    if "published" in data:
        if not isinstance(data["published"], bool):
            errors["published"] = _l("true or false.")
        out["published"] = data["published"]
    if "position" in data:
        if isinstance(data["position"], bool) or not isinstance(data["position"], int) \
                or data["position"] < 1:
            errors["position"] = _l("A position from 1.")
        out["position"] = data["position"]
    if errors:
        raise ValidationError(fields=errors)
    return out


# --- changing -------------------------------------------------------------------------------


def lock(dbs: DbSession, session: MeetingSession) -> None:
    """Serialise changes to one session's agenda (row lock on PostgreSQL), so two editors
    cannot both place an item in the same free slot."""
    dbs.execute(select(MeetingSession.id).where(MeetingSession.id == session.id)
                .with_for_update())


def touch(session: MeetingSession) -> None:
    """Record a change that calendar files must announce (SEQUENCE)."""
    session.revision = (session.revision or 0) + 1


def _renumber(items: list[AgendaItem]) -> None:
    for index, item in enumerate(sorted(items, key=lambda i: (i.starts_at, i.id or 0)), 1):
        item.position = index


def _apply(item: AgendaItem, fields: dict) -> None:
    if "title" in fields:
        item.title_en, item.title_es = fields["title"]["en"], fields["title"]["es"]
    if "description" in fields:
        item.description_en = fields["description"]["en"]
        item.description_es = fields["description"]["es"]
    for name in ("kind", "speakers", "intervention_seconds", "documents", "published"):
        if name in fields:
            setattr(item, name, fields[name])
    if "speaker_registrations" in fields:
        item.speaker_registrations = fields["speaker_registrations"]
    if "priority_area_codes" in fields:
        wanted = fields["priority_area_codes"]
        item.areas = [a for a in item.areas if a.area_code in wanted] + [
            AgendaItemArea(area_code=code) for code in wanted
            if code not in item.priority_area_codes]


def add_item(dbs: DbSession, session: MeetingSession, data: dict) -> AgendaItem:
    """Add an item after the last one (at the session's start when it is the first), or at
    ``starts_at`` when given; refused when it does not fit or overlaps."""
    fields = clean_item(dbs, session.meeting, data, partial=False)
    lock(dbs, session)
    items = session_items(dbs, session)
    start = fields.get("starts_at") or (items[-1].ends_at if items else session.starts_at)
    end = start + fields["duration"]
    check_fits(session, start, end, items)
    item = AgendaItem(session=session, starts_at=start, ends_at=end, speakers="",
                      description_en="", description_es="", documents=[], published=False)
    _apply(item, fields)
    dbs.add(item)
    _renumber([*items, item])
    touch(session)
    dbs.flush()
    return item


def update_item(dbs: DbSession, item: AgendaItem, data: dict) -> AgendaItem:
    """Change an item. A new ``position`` reorders (re-timing the items from there on); a new
    start or duration must still fit."""
    session = item.session
    fields = clean_item(dbs, session.meeting, data, partial=True)
    if "position" in fields and ("starts_at" in fields or "duration" in fields):
        raise ValidationError(fields={"position": _l(
            "Reorder on its own, without changing the start or the duration.")})
    lock(dbs, session)
    items = session_items(dbs, session)
    others = [i for i in items if i.id != item.id]
    if "starts_at" in fields or "duration" in fields:
        start = fields.get("starts_at") or item.starts_at
        end = start + (fields.get("duration") or (item.ends_at - item.starts_at))
        check_fits(session, start, end, others)
        item.starts_at, item.ends_at = start, end
    _apply(item, fields)
    if "position" in fields:
        move_item(items, item, fields["position"])
    _renumber(items)
    touch(session)
    dbs.flush()
    return item


def move_item(items: list[AgendaItem], item: AgendaItem, position: int) -> None:
    """Move ``item`` to ``position`` (1-based, clamped) in ``items`` (in start order) and
    re-time: from the first slot the move touches, the items follow one another without gaps,
    each keeping its duration, starting where that slot started. The block keeps its total
    length, so it still ends inside the session and overlaps nothing before it."""
    order = list(items)
    old = order.index(item)
    new = min(max(position, 1), len(order)) - 1
    if old == new:
        return
    first = min(old, new)
    cursor = order[first].starts_at
    order.insert(new, order.pop(old))
    for moved in order[first:]:
        length = moved.ends_at - moved.starts_at
        moved.starts_at, moved.ends_at = cursor, cursor + length
        cursor += length


def remove_item(dbs: DbSession, item: AgendaItem) -> None:
    """Remove an item; the others keep their times (its slot becomes free)."""
    session = item.session
    lock(dbs, session)
    dbs.delete(item)
    dbs.flush()
    _renumber(session_items(dbs, session))
    touch(session)


def publish(dbs: DbSession, session: MeetingSession, published: bool = True) -> int:
    """Publish (or withdraw) every item of the session; returns how many items it has."""
    items = session_items(dbs, session)
    for item in items:
        item.published = published
    touch(session)
    return len(items)


SESSION_FIELDS = {"starts_at", "ends_at", "title", "join_url", "cancelled"}


def update_session(dbs: DbSession, session: MeetingSession, data: dict) -> bool:
    """Change a session's times, titles, join link or cancellation. Moving the start moves its
    agenda with it (and the end, unless a new end is given). Returns whether the session's
    time or cancellation changed (its reminders must be planned again)."""
    if not isinstance(data, dict):
        raise ValidationError(_l("The body must be a JSON object."))
    zone = session.meeting.timezone
    errors: dict = {}
    for name in set(data) - SESSION_FIELDS:
        errors[name] = _l("This field cannot be changed here.")
    start = session.starts_at
    end = session.ends_at
    if "starts_at" in data:
        start = read_instant(data["starts_at"], zone, "starts_at", errors) or start
        end = session.ends_at + (start - session.starts_at)
    if "ends_at" in data:
        end = read_instant(data["ends_at"], zone, "ends_at", errors) or end
    title = _bilingual(data["title"], "title", errors, limit=MAX_TITLE, required=True) \
        if "title" in data else None
    join_url = data.get("join_url", session.join_url)
    if "join_url" in data and join_url is not None and (
            not isinstance(join_url, str) or len(join_url) > 500
            or urlsplit(join_url.strip()).scheme not in ("http", "https")):
        errors["join_url"] = _l("A web address (https://...).")
    cancelled = data.get("cancelled", session.cancelled)
    if not isinstance(cancelled, bool):
        errors["cancelled"] = _l("true or false.")
    if not errors and end <= start:
        errors["ends_at"] = _l("The session must end after it starts.")
    if errors:
        raise ValidationError(fields=errors)
    lock(dbs, session)
    shift = start - session.starts_at
    items = session_items(dbs, session)
    if items:
        last_end = max(i.ends_at for i in items) + shift
        if last_end > end:
            raise DoesNotFit(_l(
                "The session would end %(minutes)s before its last agenda item ends "
                "(%(end)s, %(zone)s time). Shorten or remove items first.",
                minutes=minutes_text((last_end - end).total_seconds()),
                end=_hhmm(last_end, zone), zone=zone_label(zone)))
    moved = (start, end, cancelled) != (session.starts_at, session.ends_at, session.cancelled)
    for item in items:
        item.starts_at += shift
        item.ends_at += shift
    session.starts_at, session.ends_at, session.cancelled = start, end, cancelled
    if title is not None:
        session.title_en, session.title_es = title["en"], title["es"]
    if "join_url" in data:
        session.join_url = join_url.strip() if join_url else None
    touch(session)
    dbs.flush()
    return moved
