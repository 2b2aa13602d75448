"""The OpenAPI 3 document of ``/api/v1``, generated from the code (apispec).

Each API view documents its operations in its docstring, after a ``---`` line, in YAML; response
and request bodies name marshmallow schemas registered here with :func:`component`. The document
is built from the app's URL map, so a route cannot be served without being listed (a test checks
every ``/api/v1`` rule), and schemathesis checks in the test suite that responses match it.
"""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import Blueprint, Flask, current_app, jsonify, render_template
from marshmallow import Schema, fields
from werkzeug.routing import IntegerConverter

SCHEMAS: dict[str, type[Schema]] = {}
ERROR_STATUSES = {
    "400": "Malformed request (for example JSON that does not parse)",
    "401": "Missing or invalid credentials",
    "403": "Not allowed, or closed",
    "404": "Not found",
    "409": "Conflict (duplicate, stale version)",
    "413": "Request too large",
    "422": "Invalid fields",
    "429": "Too many requests",
    "503": "Service temporarily unavailable",
}
#: statuses any operation may answer, whatever it documents
ALWAYS = ("429", "503")
BODY_STATUSES = ("400", "413")
UNDOCUMENTED = {"apidoc.openapi_json", "apidoc.docs"}

bp = Blueprint("apidoc", __name__, url_prefix="/api/v1")


def component(name: str):
    """Register a marshmallow schema as ``#/components/schemas/<name>``."""

    def register(schema: type[Schema]) -> type[Schema]:
        SCHEMAS[name] = schema
        return schema

    return register


@component("Error")
class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "machine-readable code"})
    message = fields.String(required=True, metadata={"description": "in the request's language"})
    field_errors = fields.Dict(keys=fields.String(), values=fields.String(), data_key="fields",
                               metadata={"description": "field errors (422 only)"})


def _schema_name_resolver(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    for name, registered in SCHEMAS.items():
        if registered is cls:
            return name
    return cls.__name__.removesuffix("Schema")


def _path_parameters(rule) -> list[dict]:
    params = []
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            schema = {"type": "integer", "minimum": 0}
            if converter.max is not None:
                schema["maximum"] = converter.max
        else:
            schema = {"type": "string"}
        params.append({"in": "path", "name": name, "required": True, "schema": schema})
    return params


def build_spec(app: Flask) -> dict:
    spec = APISpec(
        title="meetops API", version="1", openapi_version="3.0.3",
        info={"description": "Meeting operations for bilingual virtual meetings. Errors are "
                             "`{error, message, fields?}`; instants are ISO 8601 UTC with `Z`, "
                             "with `<name>_local` in the meeting's zone."},
        plugins=[FlaskPlugin(), MarshmallowPlugin(schema_name_resolver=_schema_name_resolver)])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema=schema)
    for status, description in ERROR_STATUSES.items():
        spec.components.response(f"E{status}", {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in UNDOCUMENTED:
            continue
        spec.path(view=app.view_functions[rule.endpoint], app=app)
    document = spec.to_dict()
    rules = {r.rule: r for r in app.url_map.iter_rules()}
    for path, operations in document.get("paths", {}).items():
        flask_path = re.sub(r"\{(\w+)\}", lambda m: f"<{m.group(1)}>", path)
        rule = next((r for p, r in rules.items()
                     if re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", p) == flask_path), None)
        for method, operation in operations.items():
            if rule is not None:
                operation.setdefault("parameters", [])
                known = {p.get("name") for p in operation["parameters"]}
                operation["parameters"] += [p for p in _path_parameters(rule)
                                            if p["name"] not in known]
            responses = operation.setdefault("responses", {})
            extra = ALWAYS + (BODY_STATUSES if method in ("post", "put", "patch") else ())
            if operation.get("security"):
                extra += ("401",)
            for status in extra:
                responses.setdefault(status, {"$ref": f"#/components/responses/E{status}"})
    return document


@bp.get("/openapi.json")
def openapi_json():
    """The OpenAPI 3 document of this API."""
    if "meetops.openapi" not in current_app.extensions:
        current_app.extensions["meetops.openapi"] = build_spec(current_app)
    return jsonify(current_app.extensions["meetops.openapi"])


@bp.get("/docs")
def docs():
    """A readable page of the API, rendered on the server from the same document."""
    if "meetops.openapi" not in current_app.extensions:
        current_app.extensions["meetops.openapi"] = build_spec(current_app)
    return render_template("apidoc/docs.html", spec=current_app.extensions["meetops.openapi"])
