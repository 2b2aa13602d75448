"""The app's JSON encoder (orjson behind Flask's provider) gives what Flask's own gives."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from meetops.web import FastJSONProvider


def test_the_same_json_as_flask_s_own(app):
    value = {"b": [1, 2.5, None, True], "a": "Chile — Santiago, niñas",
             "when": datetime(2025, 11, 27, 14, 0, tzinfo=UTC), "day": date(2025, 11, 27),
             "amount": Decimal("1.50"), "nested": {"z": 1, "y": {"x": []}}}
    fast, standard = FastJSONProvider(app), DefaultJSONProvider(app)
    assert json.loads(fast.dumps(value)) == json.loads(standard.dumps(value))
    assert fast.dumps({"b": 1, "a": 2}) == '{"a":2,"b":1}'  # sorted, compact
    assert "niñas" in fast.dumps(value)  # UTF-8, not \\u escapes


def test_lazy_translations_and_huge_integers(app):
    fast = FastJSONProvider(app)
    with app.test_request_context(), force_locale("es"):
        assert json.loads(fast.dumps({"m": _l("The request body is not valid JSON.")})) == \
            {"m": "El cuerpo de la solicitud no es JSON válido."}
    huge = 2 ** 70  # beyond orjson: the standard encoder takes it
    assert json.loads(fast.dumps({"n": huge})) == {"n": huge}


def test_responses_use_it(app, client):
    assert isinstance(app.json, FastJSONProvider)
    response = client.get("/api/v1/sessions/1/floor/clock")
    assert response.get_json()["server_now"].endswith("Z")
