"""Participants: found by the Bearer token (API) or the personal link (pages)."""

from __future__ import annotations

from flask import g

from ..auth.access import bearer_token
from ..errors import NotFound, Unauthorized
from ..extensions import db
from .models import Registration
from .services import find_by_token


def participant_from_link(token: str) -> Registration:
    """The registration of a personal link; 404 for a wrong or unknown token."""
    registration = find_by_token(db.session, token)
    if registration is None:
        raise NotFound()
    g.participant = registration
    return registration


def current_participant(*, required: bool = True) -> Registration | None:
    """The participant whose token is in ``Authorization: Bearer``; 401 when required and
    missing or wrong."""
    registration = find_by_token(db.session, bearer_token())
    if registration is None:
        if required:
            raise Unauthorized()
        return None
    g.participant = registration
    return registration
