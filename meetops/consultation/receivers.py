"""Consultation rules that registration must respect."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import object_session

from ..errors import ValidationError
from ..registration.models import Registration
from ..registration.signals import category_changing
from .services import deadline_for, is_open


@category_changing.connect
def keep_comment_deadline(registration: Registration, *, new_category: str,
                          now: datetime) -> None:
    """A participant whose comment deadline has passed cannot reopen it by switching to a
    category with a later one."""
    dbs = object_session(registration)
    old = deadline_for(dbs, registration.meeting, registration.category)
    new = deadline_for(dbs, registration.meeting, new_category)
    if not is_open(old, now) and is_open(new, now):
        raise ValidationError(fields={"category": _l(
            "The category can no longer be changed: the period for comments of your "
            "category has closed.")})
