"""A realistic session for the floor's browser tests and the screenshots: the demo meeting's
first session under way (the app's clock at 11:25 in Santiago, inside the second agenda item),
a published agenda with documents, notes and a glossary for the booths, a chair, an
interpreter and a dozen registered participants; helpers to drive the floor through the API."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta

#: 27 November 2025, 11:25 Santiago: the first session is under way, in its second item
BOOTH_CLOCK = "2025-11-27T11:25:00-03:00"
CHAIR_EMAIL, INTERPRETER_EMAIL = "chair@example.org", "booth@example.org"
PASSWORD = "interpreters need quiet booths"

#: (name, organization, country, language of their intervention, category)
PEOPLE = [
    ("Carolina Fuentes", "Ministerio de Relaciones Exteriores", "CL", "es", "lac_state"),
    ("James Whitfield", "Foreign, Commonwealth & Development Office", "GB", "en", "donor_state"),
    ("Luiza Andrade", "Ministério das Relações Exteriores", "BR", "pt", "lac_state"),
    ("Diego Ramírez", "Cancillería de Colombia", "CO", "es", "lac_state"),
    ("Amina Diallo", "UN Environment Programme", "SN", "fr", "un_agency"),
    ("Sofía Morales", "Fundación Terram", "CL", "es", "civil_society"),
    ("Peter Lindqvist", "Swedish International Development Agency", "SE", "en", "donor_state"),
    ("Valentina Rojas", "Universidad de Chile", "CL", "es", "academia"),
    ("Kenji Watanabe", "Japan International Cooperation Agency", "JP", "en", "donor_state"),
    ("Marcela Quispe", "Ministerio de Ambiente del Perú", "PE", "es", "lac_state"),
    ("Ana Paula Costa", "Instituto Clima e Sociedade", "BR", "pt", "civil_society"),
    ("Robert Mensah", "African Development Bank", "GH", "en", "financial_institution"),
]

#: (minutes from 11:00, length, kind, Spanish, English, documents)
AGENDA = [
    (0, 20, "opening", "Apertura y palabras de bienvenida", "Opening and welcome remarks", []),
    (20, 50, "discussion", "Diálogo sobre las áreas prioritarias del Plan de Acción",
     "Dialogue on the priority areas of the Plan of Action",
     [{"title": "Declaración y Plan de Acción de Chile 2024-2034 (PDF)",
       "url": "https://docs.example.org/pac/plan-de-accion.pdf"},
      {"title": "Priority areas: background note",
       "url": "https://docs.example.org/pac/background-note.pdf"}]),
    (70, 15, "break", "Pausa", "Break", []),
    (85, 75, "panel", "Ofertas de apoyo técnico, material y financiero",
     "Offers of technical, material and financial support",
     [{"title": "Matriz de apoyo (borrador)", "url": "https://docs.example.org/pac/matrix.pdf"}]),
    (160, 20, "closing", "Conclusiones y cierre", "Conclusions and closing", []),
]


@dataclass
class BoothWorld:
    """What the seed made, for the tests to use."""
    session_id: int = 0
    chair_token: str = ""
    interpreter_token: str = ""
    participants: list[dict] = field(default_factory=list)  # name, language, token, id
    items: list[int] = field(default_factory=list)


def seed(world: BoothWorld):
    """A ``seed`` for :func:`tests.e2e.server.start_server` that fills ``world``."""

    def run(database_url: str) -> None:
        from meetops import create_app
        from meetops.agenda.models import AgendaItem
        from meetops.auth.services import create_user
        from meetops.booth.models import BoothNote
        from meetops.extensions import db
        from meetops.meetings.models import Meeting
        from meetops.registration.services import register
        from meetops.timezones import to_utc

        from ..conftest import OPEN_INSTANT, registration_payload, wall

        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seed"})
        with app.app_context():
            meeting = db.session.query(Meeting).one()
            session = meeting.sessions[0]
            world.session_id = session.id
            start = to_utc(wall(2025, 11, 27, 11, 0), meeting.timezone)
            for position, (offset, minutes, kind, es, en, documents) in enumerate(AGENDA, 1):
                item = AgendaItem(
                    session_id=session.id, position=position, kind=kind, title_es=es,
                    title_en=en, starts_at=start + timedelta(minutes=offset),
                    ends_at=start + timedelta(minutes=offset + minutes), published=True,
                    documents=documents)
                db.session.add(item)
                db.session.flush()
                world.items.append(item.id)
            for n, (name, org, country, language, category) in enumerate(PEOPLE, 1):
                person = register(db.session, meeting, registration_payload(
                    name=name, email=f"booth.person{n}@example.org", organization=org,
                    country=country, category=category,
                    language="es" if language == "es" else "en"), now=OPEN_INSTANT)
                db.session.flush()
                world.participants.append({"name": name, "language": language,
                                           "token": person.token, "id": person.id})
            _, world.chair_token = create_user(db.session, CHAIR_EMAIL, "chair",
                                               now=OPEN_INSTANT, password=PASSWORD)
            _, world.interpreter_token = create_user(
                db.session, INTERPRETER_EMAIL, "interpreter", now=OPEN_INSTANT,
                password=PASSWORD)
            dialogue = world.items[1]
            db.session.add_all([
                BoothNote(session_id=session.id, item_id=dialogue, kind="glossary",
                          text="Glosario del Plan de Acción (es/en/pt)",
                          url="https://docs.example.org/pac/glosario.xlsx",
                          created_at=OPEN_INSTANT, author="admin@example.org"),
                BoothNote(session_id=session.id, item_id=dialogue, kind="note",
                          text="La delegación de Brasil intervendrá en portugués: relé por la "
                               "cabina inglesa.", created_at=OPEN_INSTANT,
                          author="admin@example.org"),
                BoothNote(session_id=session.id, item_id=None, kind="note",
                          text="Names of ministers and agencies are in the glossary. "
                               "The chair speaks Spanish.", created_at=OPEN_INSTANT,
                          author="admin@example.org"),
            ])
            db.session.commit()
            db.session.remove()
            db.engine.dispose()

    return run


# --- driving the floor through the API --------------------------------------------------------


def call(base: str, method: str, path: str, token: str | None = None, body: dict | None = None
         ) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Content-Type": "application/json", **({"Authorization": f"Bearer {token}"}
                                               if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def floor(base: str, session_id: int) -> dict:
    status, state = call(base, "GET", f"/api/v1/sessions/{session_id}/floor")
    assert status == 200, state
    return state


def chair_action(base: str, world: BoothWorld, action: str, **extra) -> dict:
    """next, pause, resume, end, give...: the chair's action on the current version."""
    state = floor(base, world.session_id)
    status, body = call(base, "POST", f"/api/v1/sessions/{world.session_id}/floor/{action}",
                        world.chair_token, {"version": state["version"], **extra})
    assert status == 200, (action, status, body)
    return body


def ask(base: str, world: BoothWorld, person: dict, kind: str = "statement") -> int:
    status, body = call(base, "POST", f"/api/v1/sessions/{world.session_id}/floor/requests",
                        person["token"], {"kind": kind, "language": person["language"]})
    assert status == 201, body
    return body["request_id"]


def clear_floor(base: str, world: BoothWorld) -> None:
    """Nobody speaking, nobody waiting: each test starts from an empty floor."""
    state = floor(base, world.session_id)
    if state["current"] is not None:
        chair_action(base, world, "end")
    for waiting in floor(base, world.session_id)["queue"]:
        version = floor(base, world.session_id)["version"]
        status, body = call(base, "DELETE", f"/api/v1/sessions/{world.session_id}/floor/"
                            f"requests/{waiting['request_id']}?version={version}",
                            world.chair_token)
        assert status in (200, 204), body


def sign_in(page, email: str, password: str = PASSWORD, lang: str = "en") -> None:
    page.goto(f"/login?lang={lang}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.url
