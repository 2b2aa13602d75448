"""Journey 1 in a real browser: a participant registers in Spanish through the form, lands on
their personal page with the confirmation, and follows "Agregar a mi calendario"."""

from __future__ import annotations

import re

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

    # "Agregar a mi calendario": the participant's own invite. Until calendar files exist the
    # route redirects back to the page; once it serves the file it must be text/calendar.
    link = page.get_by_role("link", name="Agregar a mi calendario")
    href = link.get_attribute("href")
    assert href.endswith("/calendar.ics")
    response = page.request.get(href, max_redirects=0)
    assert response.status == 200 or 300 <= response.status < 400, response.status
    content_type = response.headers.get("content-type", "")
    if response.status == 200:
        assert content_type.startswith("text/calendar"), content_type
        body = response.text()
        assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body
