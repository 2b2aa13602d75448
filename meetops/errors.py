"""Domain errors and how they reach users.

Services raise :class:`AppError` subclasses; the handlers here turn them, and HTTP errors,
into the contract's JSON body under ``/api/`` and into an error page elsewhere. Messages are
lazy gettext strings, rendered in the request's language.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class AppError(Exception):
    status = 400
    code = "bad_request"
    default_message = _l("The request could not be processed.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None,
                 status: int | None = None) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        if status:
            self.status = status
        self.fields = fields or None
        super().__init__(str(self.code))

    def to_dict(self) -> dict:
        body = {"error": self.code, "message": str(self.message)}
        if self.fields:
            body["fields"] = {name: str(msg) for name, msg in self.fields.items()}
        return body


class BadRequest(AppError):
    status = 400
    code = "bad_request"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    default_message = _l("Valid credentials are required.")


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    default_message = _l("You are not allowed to do this.")


class NotFound(AppError):
    status = 404
    code = "not_found"
    default_message = _l("Not found.")


class Conflict(AppError):
    status = 409
    code = "conflict"
    default_message = _l("This conflicts with the current state.")


class ValidationError(AppError):
    status = 422
    code = "invalid"
    default_message = _l("Some fields are not valid.")


class Unavailable(AppError):
    status = 503
    code = "unavailable"
    default_message = _l("The service is temporarily unavailable. Please try again shortly.")


HTTP_MESSAGES = {
    400: ("bad_request", _l("The request is malformed.")),
    401: ("unauthorized", _l("Valid credentials are required.")),
    403: ("forbidden", _l("You are not allowed to do this.")),
    404: ("not_found", _l("Not found.")),
    405: ("method_not_allowed", _l("This method is not allowed here.")),
    409: ("conflict", _l("This conflicts with the current state.")),
    413: ("too_large", _l("The request is too large.")),
    415: ("unsupported_media_type", _l("Send the body as JSON (application/json).")),
    422: ("invalid", _l("Some fields are not valid.")),
    429: ("too_many_requests", _l("Too many requests. Please wait a moment and try again.")),
    500: ("internal_error", _l("Something went wrong on our side.")),
    503: ("unavailable", _l("The service is temporarily unavailable. Please try again shortly.")),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(("/stream", ".json"))


def render_error(error: AppError):
    if wants_json():
        response = jsonify(error.to_dict())
        response.status_code = error.status
        return response
    return render_template("error.html", error=error), error.status


def init_app(app: Flask) -> None:
    @app.errorhandler(AppError)
    def handle_app_error(error: AppError):
        return render_error(error)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        return render_error(BadRequest(
            _l("The form expired or was sent from elsewhere. Reload the page and try again."),
            code="csrf_failed"))

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        status = error.code or 500
        code, message = HTTP_MESSAGES.get(status, ("error", error.name))
        response = render_error(AppError(message, code=code, status=status))
        if isinstance(response, tuple):
            body, status_code = response
            response = app.make_response((body, status_code))
        for key, value in (error.get_headers() or []):
            if key.lower() in ("allow", "retry-after", "www-authenticate"):
                response.headers[key] = value
        return response

    @app.errorhandler(OperationalError)
    def handle_db_down(error: OperationalError):
        log.error("database unavailable: %s", error)
        from .extensions import db

        db.session.rollback()
        return render_error(Unavailable())

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        log.exception("unhandled error")
        code, message = HTTP_MESSAGES[500]
        return render_error(AppError(message, code=code, status=500))
