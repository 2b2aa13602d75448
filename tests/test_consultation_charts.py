"""The support matrix drawn as SVG on the server, and as CSV."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from meetops.consultation.services import load_consultation
from meetops.extensions import db

from .conftest import DEMO_SLUG, bearer

SVG = "{http://www.w3.org/2000/svg}"
COMMENTS = f"/api/v1/meetings/{DEMO_SLUG}/comments"
PAGE = f"/admin/meetings/{DEMO_SLUG}/support"


@pytest.fixture
def offers(client, meeting, register):
    """A1.1: technical 1; A2.1: technical 1, financial 2; everything else: nothing."""
    load_consultation(db.session, meeting)
    db.session.commit()
    donor = register(category="donor_state", organization="=Agency")
    bank = register(category="financial_institution", organization="Bank")
    for who, areas, kind in ((donor, ["A1.1", "A2.1"], "technical"),
                             (donor, ["A2.1"], "financial"), (bank, ["A2.1"], "financial")):
        response = client.post(COMMENTS, headers=bearer(who["token"]), json={
            "priority_areas": areas, "horizon": "medium", "support_type": kind,
            "support_description": "offer", "text": "text"})
        assert response.status_code == 201


@pytest.fixture
def admin(make_user):
    return make_user("admin")[1]


def svg_files(client, admin, lang):
    for chart in ("gaps", "totals"):
        response = client.get(f"/admin/meetings/{DEMO_SLUG}/support-{chart}.svg?lang={lang}",
                              headers=bearer(admin))
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        yield chart, ET.fromstring(response.data)  # noqa: S314  (our own output)


def texts(root) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_gaps_chart_marks_every_missing_cell_with_words(client, offers, admin):
    charts = dict(svg_files(client, admin, "en"))
    gaps = charts["gaps"]
    assert gaps.get("role") == "img"
    assert gaps.find(f"{SVG}title").text.startswith("Where support is missing")
    desc = gaps.find(f"{SVG}desc").text
    assert "Priority areas without any offer: 13 of 15" in desc
    assert "without technical support: 13; without material support: 15; without " \
           "financial support: 14" in desc
    labels = texts(gaps)
    # 15 areas x 3 types = 45 cells; 3 have offers: 42 are labelled missing (plus the legend)
    assert labels.count("✗ missing") == 42
    assert labels.count("2") >= 1 and labels.count("1") >= 2
    full_names = [g.find(f"{SVG}title").text for g in gaps.iter(f"{SVG}g")]
    assert "A2.1 · Socio-economic inclusion through employment" in full_names  # the tooltip
    assert any(t.startswith("A2.1 · Socio-economic inclusion") for t in labels)
    assert {"Technical", "Material", "Financial"} <= set(labels)
    dashed = [r for r in gaps.iter(f"{SVG}rect") if r.get("stroke-dasharray")]
    assert len(dashed) == 42 + 1  # hatched and dashed, not colour alone (+ the legend's)


def test_totals_chart_in_spanish(client, offers, admin):
    charts = dict(svg_files(client, admin, "es"))
    totals = charts["totals"]
    assert totals.find(f"{SVG}title").text == "Ofertas de apoyo para cada área prioritaria"
    labels = texts(totals)
    assert labels.count("✗ sin ofertas") == 13
    assert "3 ofertas" in labels and "1 oferta" in labels
    assert "Dónde falta apoyo" in "".join(texts(charts["gaps"])) or \
        charts["gaps"].find(f"{SVG}title").text.startswith("Dónde falta apoyo")


def test_support_page_embeds_accessible_charts_without_scripts(client, offers, admin):
    for lang, word in (("en", "✗ missing"), ("es", "✗ falta")):
        page = client.get(f"{PAGE}?lang={lang}", headers=bearer(admin)).get_data(as_text=True)
        assert page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
        assert page.count("<desc id=") == 2
        assert word in page
        assert "<script>" not in page and " style=" not in page and " on" + "click" not in page
        ids = re.findall(r' id="([^"]+)"', page)
        assert len(ids) == len(set(ids))  # two charts on one page: no clashing ids


def test_svg_is_for_admins_and_names_are_known(client, offers, admin, make_user):
    url = f"/admin/meetings/{DEMO_SLUG}/support-gaps.svg"
    _, chair = make_user("chair")
    assert client.get(url, headers=bearer(chair)).status_code == 403
    assert client.get(url).status_code == 302
    assert client.get(f"/admin/meetings/{DEMO_SLUG}/support-pie.svg",
                      headers=bearer(admin)).status_code == 404


def test_matrix_csv(client, offers, admin):
    response = client.get(f"/admin/meetings/{DEMO_SLUG}/support-matrix.csv",
                          headers=bearer(admin))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 15
    a21 = next(r for r in rows if r["area"] == "A2.1")
    assert (a21["technical"], a21["material"], a21["financial"], a21["total"]) == (
        "1", "0", "2", "3")
    assert a21["offered_by"] == "'=Agency (technical); =Agency (financial); Bank (financial)"
    assert a21["title_es"] == "Inclusión socioeconómica mediante el empleo"
