"""The interpreters' view and the secretariat's notes for the booths."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from meetops.agenda.models import AgendaItem
from meetops.audit.models import AuditEntry
from meetops.booth.models import BoothNote
from meetops.extensions import db

from .conftest import bearer, santiago
from .test_floor_pages import no_inline_code


@pytest.fixture
def agenda(floor_session):
    """Two published items of the first session (11:00-11:20 and 11:20-12:00 Santiago) and a
    draft; the clock (11:30) is inside the second."""
    made = []
    for position, (es, en, start, minutes, published, documents) in enumerate([
        ("Apertura", "Opening", santiago(2025, 11, 27, 11, 0), 20, True, []),
        ("Diálogo sobre el Plan de Acción", "Dialogue on the Plan of Action",
         santiago(2025, 11, 27, 11, 20), 40, True,
         [{"title": "Plan de Acción de Chile (PDF)", "url": "https://docs.example.org/plan.pdf"}]),
        ("Borrador secreto", "Secret draft", santiago(2025, 11, 27, 12, 0), 10, False, []),
    ], start=1):
        item = AgendaItem(session_id=floor_session.id, position=position, kind="discussion",
                          title_es=es, title_en=en, starts_at=start,
                          ends_at=start + timedelta(minutes=minutes), published=published,
                          documents=documents)
        db.session.add(item)
        made.append(item)
    db.session.commit()
    return made


def test_the_view_shows_both_languages_and_marks_the_current_item(client, floor_session, agenda,
                                                                  make_user):
    interpreter = bearer(make_user("interpreter")[1])
    page = client.get(f"/sessions/{floor_session.id}/interpret?lang=es", headers=interpreter)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    no_inline_code(html)
    assert "theme-booth" in html and "js/interpret.js" in html and "css/interpret.css" in html
    # Spanish and English side by side, drafts left out
    assert '<td lang="es">Apertura</td>' in html and '<td lang="en">Opening</td>' in html
    assert "Secret draft" not in html
    # the current item: aria-current and a word, not a colour alone
    current = re.search(r'<tr data-item="(\d+)"[^>]*aria-current="true"', html)
    assert current and int(current.group(1)) == agenda[1].id
    row = html[current.start():html.index("</tr>", current.start())]
    mark = re.search(r'<span class="booth-now-mark"[^>]*>', row).group(0)
    assert "Ahora" in row and " hidden" not in mark
    # its documents are shown; the other items' panels are hidden
    assert 'href="https://docs.example.org/plan.pdf"' in html
    panel = re.search(rf'data-item-panel="{agenda[1].id}"[^>]*>', html).group(0)
    assert "hidden" not in panel
    assert "hidden" in re.search(rf'data-item-panel="{agenda[0].id}"[^>]*>', html).group(0)
    # live and polite: the floor stream, the timer hidden from screen readers, a polite region
    assert f'data-stream="/sessions/{floor_session.id}/floor/stream"' in html
    assert 'aria-live="polite"' in html
    assert re.search(r'data-floor="timer" aria-hidden="true"', html)
    # read-only for interpreters: no form but the sign-out
    assert "booth-notes" not in html
    assert html.count("<form") == 1 and "/logout" in html


def test_without_a_current_item_the_view_says_so(client, floor_session, agenda, make_user, clock):
    clock.set(santiago(2025, 11, 27, 13, 0))
    html = client.get(f"/sessions/{floor_session.id}/interpret?lang=en",
                      headers=bearer(make_user("chair")[1])).get_data(as_text=True)
    assert not re.search(r'<tr [^>]*aria-current', html)
    assert re.search(r'data-item-panel="none">', html)
    assert "No agenda item is under way." in html


def test_admins_leave_notes_and_glossaries_for_the_booths(client, floor_session, agenda,
                                                         make_user):
    admin_user, token = make_user("admin")
    admin = bearer(token)
    url = f"/sessions/{floor_session.id}/booth-notes"
    page = client.get(f"/sessions/{floor_session.id}/interpret?lang=en", headers=admin)
    assert url in page.get_data(as_text=True)

    response = client.post(url, headers=admin, data={
        "item_id": str(agenda[1].id), "kind": "glossary", "text": "Glosario PAC  2025",
        "url": "https://docs.example.org/glossary"})
    assert response.status_code == 302 and "/interpret" in response.headers["Location"]
    client.post(url, headers=admin, data={"item_id": "", "kind": "note",
                                          "text": "La delegación de Brasil hablará en portugués."})
    notes = db.session.query(BoothNote).order_by(BoothNote.id).all()
    assert [(n.kind, n.item_id, n.text, n.author) for n in notes] == [
        ("glossary", agenda[1].id, "Glosario PAC 2025", admin_user.email),
        ("note", None, "La delegación de Brasil hablará en portugués.", admin_user.email)]
    assert db.session.query(AuditEntry).filter_by(action="booth_note.add").count() == 2

    interpreter = bearer(make_user("interpreter")[1])
    html = client.get(f"/sessions/{floor_session.id}/interpret", headers=interpreter
                      ).get_data(as_text=True)
    assert '<a href="https://docs.example.org/glossary"' in html
    assert "La delegación de Brasil hablará en portugués." in html

    client.post(f"{url}/remove", headers=admin, data={"note_id": str(notes[0].id)})
    db.session.expire_all()
    assert [n.kind for n in db.session.query(BoothNote)] == ["note"]
    assert db.session.query(AuditEntry).filter_by(action="booth_note.remove").count() == 1


@pytest.mark.parametrize("data, field", [
    ({"kind": "note", "text": ""}, "text"),
    ({"kind": "glossary", "text": "Glossary"}, "url"),
    ({"kind": "note", "text": "x", "url": "javascript:alert(1)"}, "url"),
    ({"kind": "memo", "text": "x"}, "kind"),
    ({"kind": "note", "text": "x", "item_id": "999999"}, "item_id"),
    ({"kind": "note", "text": "x" * 2001}, "text"),
])
def test_bad_notes_are_refused_with_a_message(client, floor_session, agenda, make_user, data,
                                              field):
    admin = bearer(make_user("admin")[1])
    response = client.post(f"/sessions/{floor_session.id}/booth-notes?lang=en", headers=admin,
                           data=data)
    assert response.status_code == 302
    assert db.session.query(BoothNote).count() == 0
    page = client.get(response.headers["Location"], headers=admin).get_data(as_text=True)
    assert 'class="flash"' in page


def test_a_note_of_another_session_cannot_be_removed_from_this_one(client, meeting, agenda,
                                                                    make_user):
    admin = bearer(make_user("admin")[1])
    first, second = meeting.sessions[0], meeting.sessions[1]
    client.post(f"/sessions/{first.id}/booth-notes", headers=admin,
                data={"kind": "note", "text": "keep me"})
    note = db.session.query(BoothNote).one()
    response = client.post(f"/sessions/{second.id}/booth-notes/remove", headers=admin,
                           data={"note_id": str(note.id)})
    assert response.status_code == 404
    assert client.post(f"/sessions/{first.id}/booth-notes/remove", headers=admin,
                       data={"note_id": "abc"}).status_code == 404
    db.session.expire_all()
    assert db.session.query(BoothNote).count() == 1


def test_only_admins_write_notes(client, floor_session, make_user):
    for role in ("interpreter", "chair"):
        response = client.post(f"/sessions/{floor_session.id}/booth-notes",
                               headers=bearer(make_user(role)[1]),
                               data={"kind": "note", "text": "x"})
        assert response.status_code == 403
    assert db.session.query(BoothNote).count() == 0


def test_notes_go_with_their_session(client, meeting, floor_session, agenda, make_user):
    admin = bearer(make_user("admin")[1])
    client.post(f"/sessions/{floor_session.id}/booth-notes", headers=admin,
                data={"kind": "note", "text": "x", "item_id": str(agenda[0].id)})
    db.session.delete(db.session.get(AgendaItem, agenda[0].id))
    db.session.commit()
    db.session.expire_all()
    assert db.session.query(BoothNote).count() == 0


def test_notes_travel_with_the_meeting_export(client, floor_session, agenda, make_user, clock):
    from meetops.transfer import export_meeting

    from .conftest import DEMO_SLUG

    admin = bearer(make_user("admin")[1])
    client.post(f"/sessions/{floor_session.id}/booth-notes", headers=admin,
                data={"kind": "glossary", "text": "Glosario", "item_id": str(agenda[1].id),
                      "url": "https://docs.example.org/g"})
    document = export_meeting(db.session, DEMO_SLUG, now=clock.now())
    (row,) = document["tables"]["booth_notes"]
    assert (row["kind"], row["url"], row["item_id"]) == (
        "glossary", "https://docs.example.org/g", agenda[1].id)
