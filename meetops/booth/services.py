"""Adding, removing and reading the booth notes of a session."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from ..agenda.models import AgendaItem
from ..audit.services import record
from ..errors import NotFound, ValidationError
from ..meetings.models import MeetingSession
from .models import KINDS, BoothNote

MAX_TEXT = 2000


def session_notes(dbs: DbSession, session: MeetingSession) -> list[BoothNote]:
    """Every note of the session, oldest first."""
    return list(dbs.execute(select(BoothNote).filter_by(session_id=session.id)
                            .order_by(BoothNote.created_at, BoothNote.id)).scalars())


def clean_note(dbs: DbSession, session: MeetingSession, data: dict) -> dict:
    """The fields of a new note, or :class:`ValidationError` naming the wrong ones."""
    errors: dict = {}
    kind = data.get("kind") or "note"
    if kind not in KINDS:
        errors["kind"] = _l("Choose a note or a glossary link.")
    text = " ".join(str(data.get("text") or "").split()) if kind == "glossary" \
        else str(data.get("text") or "").strip()
    if not text:
        errors["text"] = _l("Write the note (or the glossary's title).")
    elif len(text) > MAX_TEXT:
        errors["text"] = _l("At most %(n)d characters.", n=MAX_TEXT)
    url = str(data.get("url") or "").strip() or None
    if kind == "glossary" and url is None:
        errors["url"] = _l("A glossary needs its link.")
    if url is not None and (urlsplit(url).scheme not in ("http", "https")
                            or not urlsplit(url).netloc or len(url) > 1000):
        errors["url"] = _l("A link starting with https:// or http://.")
    item_id = data.get("item_id")
    if item_id in ("", None):
        item_id = None
    else:
        try:
            item_id = int(item_id)
        except (TypeError, ValueError):
            item_id = -1
        item = dbs.get(AgendaItem, item_id)
        if item is None or item.session_id != session.id:
            errors["item_id"] = _l("Choose an item of this session.")
    if errors:
        raise ValidationError(fields=errors)
    return {"kind": kind, "text": text, "url": url, "item_id": item_id}


def add_note(dbs: DbSession, session: MeetingSession, data: dict, *, author, now: datetime
             ) -> BoothNote:
    fields = clean_note(dbs, session, data)
    note = BoothNote(session_id=session.id, created_at=now, author=author.email, **fields)
    dbs.add(note)
    dbs.flush()
    record(dbs, now=now, actor=author, action="booth_note.add", target=f"booth_note:{note.id}",
           after=dict(fields), meeting_id=session.meeting_id)
    return note


def remove_note(dbs: DbSession, session: MeetingSession, note_id, *, author, now: datetime
                ) -> None:
    try:
        note = dbs.get(BoothNote, int(note_id))
    except (TypeError, ValueError):
        note = None
    if note is None or note.session_id != session.id:
        raise NotFound(_l("There is no such note."))
    record(dbs, now=now, actor=author, action="booth_note.remove",
           target=f"booth_note:{note.id}",
           before={"kind": note.kind, "text": note.text, "url": note.url,
                   "item_id": note.item_id}, meeting_id=session.meeting_id)
    dbs.delete(note)
