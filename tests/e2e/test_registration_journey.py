"""Journey 1 in a real browser: a participant registers in Spanish through the form, lands on
their personal page with the confirmation, and follows "Agregar a mi calendario"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .axe import assert_accessible

pytestmark = pytest.mark.e2e

SLUG = "pac-support-platform-2025"


def test_participant_registers_in_spanish_and_gets_the_invite(page, live_app):
    page.goto(f"/meetings/{SLUG}/register?lang=es")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("heading", level=1, name="Inscribirse").wait_for()
    assert_accessible(page)

    page.get_by_label("Nombre completo", exact=True).fill("María José Núñez")
    page.get_by_label("Correo electrónico", exact=True).fill("Maria.Nunez@Example.org")
    page.get_by_label("Organización", exact=True).fill("Ministerio de Relaciones Exteriores")
    page.get_by_label("Cargo", exact=True).fill("Directora")
    page.get_by_label("Categoría de actor").select_option("lac_state")
    page.get_by_label("País", exact=True).select_option("CL")
    assert page.get_by_label("Idioma preferido").input_value() == "es"
    page.get_by_label("Consiento el tratamiento de mis datos personales").check()
    page.get_by_role("button", name="Inscribirse").click()

    # The personal page, with the confirmation and the link to keep.
    page.wait_for_url(re.compile(r"/r/[A-Za-z0-9_-]{20,}$"))
    page.get_by_role("heading", level=1, name="Su inscripción").wait_for()
    confirmation = page.get_by_role("status")
    assert "enlace personal" in confirmation.inner_text()
    summary = page.locator("dl.summary").inner_text()
    assert "María José Núñez" in summary and "Maria.Nunez@example.org" in summary
    assert_accessible(page)
    personal_url = page.url

    # The confirmation mail, in Spanish, carries the personal link (the outbox keeps it: no SMTP).
    outbox = page.request.get("/admin/outbox?to=Maria.Nunez@example.org",
                              headers={"Authorization": f"Bearer {live_app.admin_token}"})
    assert outbox.ok
    assert personal_url in outbox.text()
    assert "Su inscripción" in outbox.text()

    # "Agregar a mi calendario": the participant's own invite, a calendar file with the
    # meeting's sessions as events (27 November 2025, 11:00-14:00 Santiago time).
    link = page.get_by_role("link", name="Agregar a mi calendario")
    href = link.get_attribute("href")
    assert href.endswith("/calendar.ics")
    response = page.request.get(href, max_redirects=0)
    assert response.status == 200, response.status
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith("text/calendar"), content_type
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    body = Path(download.path()).read_bytes().decode("utf-8")
    assert "\r\n" in body  # iCalendar lines end with CRLF
    events = parse_events(body)
    assert body.startswith("BEGIN:VCALENDAR") and events
    first = events[0]
    assert first["DTSTART"].endswith(("20251127T140000Z", "20251127T110000"))
    assert first["DTEND"].endswith(("20251127T170000Z", "20251127T140000"))
    assert "Primera sesión" in first["SUMMARY"] or "First session" in first["SUMMARY"]
    assert personal_url not in body  # the personal link stays out of calendar files


def parse_events(body: str) -> list[dict]:
    """The VEVENTs of an iCalendar text: {property: value} (folded lines joined)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", body)
    events, current = [], None
    for line in unfolded.splitlines():
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            name, _, value = line.partition(":")
            current.setdefault(name.split(";")[0], line if name != name.split(";")[0]
                               else value)
    return events
