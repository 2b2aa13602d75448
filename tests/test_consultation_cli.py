"""Loading the provisional areas with the demo, importing the secretariat's list."""

from __future__ import annotations

import json

from meetops.consultation.models import CommentDeadline, PriorityArea
from meetops.extensions import db

from .conftest import DEMO_SLUG, santiago


def test_load_demo_loads_areas_and_deadlines_once(runner, app):
    for _ in range(2):
        result = runner.invoke(args=["meetops", "load-demo"])
        assert result.exit_code == 0, result.output
    assert db.session.query(PriorityArea).count() == 15
    deadlines = {d.category: d.closes_at for d in db.session.query(CommentDeadline)}
    assert deadlines == {"lac_state": santiago(2025, 11, 10, 23, 59, 59),
                         "default": santiago(2025, 11, 14, 23, 59, 59)}


def test_import_areas_from_csv(runner, app, tmp_path):
    runner.invoke(args=["meetops", "load-demo"])
    path = tmp_path / "areas.csv"
    path.write_text(
        "code,chapter,chapter_title_en,chapter_title_es,title_en,title_es\n"
        "P1,1,Protection,Protección,Asylum,Asilo\n"
        "P2,1,Protection,Protección,\"Borders, routes\",\"Fronteras, rutas\"\n"
        "S1,2,Solutions,Soluciones,Jobs,Empleo\n", encoding="utf-8-sig")
    result = runner.invoke(args=["meetops", "import-areas", DEMO_SLUG, str(path)])
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated, 15 removed." in result.output
    areas = db.session.query(PriorityArea).order_by(PriorityArea.position).all()
    assert [(a.code, a.chapter, a.title_es, a.provisional) for a in areas] == [
        ("P1", 1, "Asilo", False), ("P2", 1, "Fronteras, rutas", False),
        ("S1", 2, "Empleo", False)]
    assert areas[2].chapter_title == {"en": "Solutions", "es": "Soluciones"}


def test_import_areas_from_json_and_errors(runner, app, tmp_path):
    runner.invoke(args=["meetops", "load-demo"])
    path = tmp_path / "areas.json"
    path.write_text(json.dumps({"areas": [
        {"code": "A1.1", "chapter": 1, "title_en": "Routes", "title_es": "Rutas"}]}))
    result = runner.invoke(args=["meetops", "import-areas", DEMO_SLUG, str(path),
                                 "--keep-others"])
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated, 0 removed." in result.output
    assert db.session.query(PriorityArea).count() == 15
    path.write_text(json.dumps([{"code": "A1.1", "chapter": 1, "title_en": "x"}]))
    bad = runner.invoke(args=["meetops", "import-areas", DEMO_SLUG, str(path)])
    assert bad.exit_code != 0
    assert "areas[1].title_es" in bad.output
    missing = runner.invoke(args=["meetops", "import-areas", "no-such-meeting", str(path)])
    assert missing.exit_code != 0
