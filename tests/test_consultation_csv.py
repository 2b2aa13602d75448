"""The comments as a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io

import pytest

from meetops.consultation.services import load_consultation
from meetops.extensions import db

from .conftest import DEMO_SLUG, bearer

COMMENTS = f"/api/v1/meetings/{DEMO_SLUG}/comments"
CSV_URL = f"/admin/meetings/{DEMO_SLUG}/comments.csv"


@pytest.fixture
def comments(client, meeting, register):
    load_consultation(db.session, meeting)
    db.session.commit()
    state = register(name="Ana Pérez", category="lac_state", organization="Cancillería",
                     email="ana@example.org")
    donor = register(name="+Evil", category="donor_state", organization="@Agency",
                     email="evil@example.org")
    client.post(COMMENTS, headers=bearer(state["token"]), json={
        "priority_areas": ["A1.1", "A3.2"], "horizon": "short",
        "text": "Línea 1\nLínea 2, con coma y \"comillas\""})
    client.post(COMMENTS, headers=bearer(donor["token"]), json={
        "priority_areas": ["A2.1"], "horizon": "long", "support_type": "financial",
        "support_description": "=HYPERLINK(\"http://evil\")", "text": "-2+3"})


def rows(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_comments_csv_is_complete_and_spreadsheet_safe(client, comments, make_user):
    _, admin = make_user("admin")
    response = client.get(CSV_URL, headers=bearer(admin))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{DEMO_SLUG}-comments.csv"')
    first, second = rows(response)
    assert first["name"] == "Ana Pérez" and first["category"] == "lac_state"
    assert first["priority_areas"] == "A1.1 A3.2"
    assert first["text"] == "Línea 1\nLínea 2, con coma y \"comillas\""
    assert first["support_type"] == "" and first["horizon"] == "short"
    assert first["created_at"] == "2025-11-10T15:00:00Z"
    assert first["created_at_local"] == "2025-11-10T12:00:00-03:00"
    # cells a spreadsheet would run as formulas are neutralised
    assert second["name"] == "'+Evil"
    assert second["organization"] == "'@Agency"
    assert second["support_description"] == "'=HYPERLINK(\"http://evil\")"
    assert second["text"] == "'-2+3"
    assert second["support_type"] == "financial"


def test_comments_csv_follows_the_filters(client, comments, make_user):
    _, admin = make_user("admin")
    only = rows(client.get(CSV_URL + "?category=donor_state", headers=bearer(admin)))
    assert [r["email"] for r in only] == ["evil@example.org"]
    by_area = rows(client.get(CSV_URL + "?area=A3.2", headers=bearer(admin)))
    assert [r["email"] for r in by_area] == ["ana@example.org"]


def test_comments_csv_is_for_admins(client, comments, make_user, register):
    assert client.get(CSV_URL).status_code == 302
    _, chair = make_user("chair")
    assert client.get(CSV_URL, headers=bearer(chair)).status_code == 403
    assert client.get(CSV_URL, headers=bearer(register()["token"])).status_code == 401
