"""The scheduled job that ends an intervention at its limit (hard enforcement).

Scheduled by import path (``meetops.floor.jobs:enforce_limit``) at the deadline whenever an
intervention starts or resumes, cancelled when it pauses or ends. Idempotent: it ends only an
intervention that is due, and the compare-and-set on the floor version makes it safe next to
the lazy enforcement of reads and the broadcasters' ticks.
"""

from __future__ import annotations

from flask import has_app_context


def enforce_limit(session_id: int) -> bool:
    """End the session's current intervention if its hard limit has passed; True if ended.
    Opens its own app context when called outside one (the scheduler's runner)."""
    if has_app_context():
        return _enforce(session_id)
    from .. import create_app
    from ..extensions import db

    with create_app().app_context():
        try:
            return _enforce(session_id)
        finally:
            db.session.remove()
            db.engine.dispose()  # this app lives for one run: leave no connection behind


def _enforce(session_id: int) -> bool:
    from ..clock import now
    from ..extensions import db
    from .services import enforce_due, sync_limit_job

    instant = now()
    ended = enforce_due(db.session, session_id, instant)
    db.session.commit()
    sync_limit_job(db.session, session_id, instant)  # cancels, or re-arms a job run too early
    db.session.commit()
    return ended  # (the commit woke this process's broadcaster)
