"""Registration and consultation together: the category decides the comment deadline."""

from __future__ import annotations

import pytest

from meetops.consultation.services import load_consultation
from meetops.extensions import db
from meetops.registration.models import Registration

from .conftest import santiago


@pytest.fixture
def consultation(meeting):
    load_consultation(db.session, meeting)
    db.session.commit()
    return meeting


FORM = {"name": "Ana", "organization": "Cancillería", "category": "other", "country": "CL",
        "language": "en"}


def test_changing_category_cannot_reopen_a_closed_comment_deadline(client, consultation,
                                                                   register, clock):
    """A Latin American State past 10 November cannot become 'other' to comment until 14."""
    token = register(category="lac_state")["token"]
    clock.set(santiago(2025, 11, 11, 9, 0))
    response = client.post(f"/r/{token}/edit?lang=en", data=FORM)
    assert response.status_code == 422
    assert "can no longer be changed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(Registration).one().category == "lac_state"


def test_category_can_be_corrected_while_comments_are_open(client, consultation, register,
                                                           clock):
    token = register(category="lac_state")["token"]
    clock.set(santiago(2025, 11, 10, 9, 0))
    assert client.post(f"/r/{token}/edit", data=FORM).status_code == 302
    db.session.expire_all()
    assert db.session.query(Registration).one().category == "other"


def test_moving_to_an_earlier_deadline_is_allowed(client, consultation, register, clock):
    token = register(category="civil_society")["token"]
    clock.set(santiago(2025, 11, 12, 9, 0))
    data = dict(FORM, category="lac_state")
    assert client.post(f"/r/{token}/edit", data=data).status_code == 302
