"""Journey 3 in a real browser: an interpreter follows the session in the booth. The agenda
shows Spanish and English side by side with the current item marked; each new speaker, their
language and the change of language arrive live, without reloading the page."""

from __future__ import annotations

import re

import pytest

from .axe import assert_accessible
from .booth import INTERPRETER_EMAIL, ask, chair_action, clear_floor, sign_in

pytestmark = pytest.mark.e2e


def booth(page, name: str):
    return page.locator(f'[data-booth="{name}"]')


def test_interpreter_sees_the_new_speaker_and_language_live(booth_app, booth_context):
    base, world = booth_app.url, booth_app.world
    clear_floor(base, world)
    carolina, james, luiza = (world.participants[i] for i in (0, 1, 2))

    page = booth_context.new_page()
    sign_in(page, INTERPRETER_EMAIL, lang="es")
    page.goto(f"/sessions/{world.session_id}/interpret?lang=es")
    page.get_by_role("heading", level=1, name=re.compile("Vista de intérpretes|Intérpretes",
                                                          re.I)).wait_for()
    # the agenda, both languages side by side, the current item marked in words
    current = page.locator('tr[aria-current="true"]')
    assert current.count() == 1
    assert "Ahora" in current.inner_text()
    assert "Diálogo sobre las áreas prioritarias" in current.locator('td[lang="es"]').inner_text()
    assert "Dialogue on the priority areas" in current.locator('td[lang="en"]').inner_text()
    panel = page.locator('[data-item-panel]:not([hidden])')
    assert "Declaración y Plan de Acción de Chile 2024-2034 (PDF)" in panel.inner_text()
    assert "Glosario del Plan de Acción" in panel.inner_text()
    assert "relé por la cabina inglesa" in panel.inner_text()
    # read-only: no control of the floor on the interpreter's page
    assert page.locator("#floor button, #floor form").count() == 0
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page reloads

    # three ask for the floor: the booth sees who comes and in which language
    for person in (carolina, james, luiza):
        ask(base, world, person)
    booth(page, "next").locator("li").nth(2).wait_for()
    upcoming = booth(page, "next").locator("li").all_inner_texts()
    assert [u.split(" · ")[0] for u in upcoming] == [
        "Carolina Fuentes", "James Whitfield", "Luiza Andrade"]
    assert "ES" in upcoming[0] and "EN" in upcoming[1] and "PT" in upcoming[2]
    assert "cambio desde ES" in upcoming[1] and "se necesita relé" in upcoming[2]

    # the chair gives the floor: Spanish first
    chair_action(base, world, "next")
    page.locator('[data-floor="name"]', has_text="Carolina Fuentes").wait_for()
    assert booth(page, "language").inner_text().startswith("ES")
    assert booth(page, "country").inner_text() == "CL"
    assert booth(page, "organization").inner_text() == "Ministerio de Relaciones Exteriores"
    assert booth(page, "kind").inner_text() == "Declaración"
    remaining = booth(page, "remaining").inner_text()
    assert re.fullmatch(r"[0-3]:\d\d", remaining), remaining
    page.locator('[data-booth="elapsed"]', has_text=re.compile(r"0:0[1-9]")).wait_for()

    # then English: the change of language is marked in words and with an icon
    chair_action(base, world, "next")
    page.locator('[data-floor="name"]', has_text="James Whitfield").wait_for()
    change = booth(page, "change")
    page.locator('[data-booth="change"][data-kind="change"]').wait_for()
    assert "Cambio de idioma: ES → EN" in change.inner_text()
    # screen readers hear it once, politely, with the speaker's name
    page.locator('[data-floor="announce"]',
                 has_text="James Whitfield tiene la palabra. Cambio de idioma").wait_for()
    icon = page.evaluate("""() => getComputedStyle(
        document.querySelector('[data-booth="change-icon"]'), '::before').content""")
    assert "⇄" in icon
    assert booth(page, "language").inner_text().startswith("EN")

    # Portuguese: neither booth language, relay needed
    chair_action(base, world, "next")
    page.locator('[data-floor="name"]', has_text="Luiza Andrade").wait_for()
    page.locator('[data-booth="change"][data-kind="relay"]').wait_for()
    text = change.inner_text()
    assert "EN → PT" in text and "Se necesita relé" in text
    assert booth(page, "language").inner_text().startswith("PT")
    assert page.locator('[data-floor="queue-empty"]').is_visible()

    assert page.evaluate("() => window.__sameDocument === true")
    assert_accessible(page)  # with a speaker on the floor, in the dark theme
    chair_action(base, world, "end")
    page.locator('[data-booth="change"][data-kind="none"]').wait_for()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_interpreters_view_is_accessible_with_a_session_under_way(booth_app, booth_context,
                                                                  lang):
    base, world = booth_app.url, booth_app.world
    clear_floor(base, world)
    for person in world.participants[3:7]:
        ask(base, world, person)
    chair_action(base, world, "next")
    page = booth_context.new_page()
    sign_in(page, INTERPRETER_EMAIL, lang=lang)
    page.goto(f"/sessions/{world.session_id}/interpret?lang={lang}")
    page.locator('[data-floor="name"]', has_text="Diego Ramírez").wait_for()
    booth(page, "next").locator("li").nth(2).wait_for()
    assert page.locator("html").get_attribute("class") == "theme-booth"
    assert_accessible(page)
    clear_floor(base, world)
