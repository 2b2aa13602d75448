"""The retention job: run daily by the scheduler runner."""

from __future__ import annotations

import logging

from flask import current_app

from ..audit.services import record
from ..clock import now
from ..extensions import db
from ..scheduler import job_app_context
from .services import purge_due

log = logging.getLogger(__name__)


def purge_expired() -> list[str]:
    """Purge the personal data of every meeting past its retention period."""
    with job_app_context():
        instant = now()
        purged = purge_due(db.session, now=instant,
                           retention_days=int(current_app.config["MEETOPS_RETENTION_DAYS"]))
        for slug in purged:
            record(db.session, now=instant, actor="retention job", action="retention.purge",
                   target=f"meeting:{slug}")
        db.session.commit()
        if purged:
            log.info("purged the personal data of %s", ", ".join(purged))
        return purged
