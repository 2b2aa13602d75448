"""Locale selection and bilingual content helpers.

Order: ``?lang=`` (remembered in the session), then the signed-in staff member's choice, then the
participant whose personal link is open, then the browser's Accept-Language.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

LANGUAGES = ("en", "es")


def select_locale() -> str:
    if not has_request_context():  # CLI commands and scheduled jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        if not request.path.startswith("/api/"):
            session["lang"] = asked  # pages remember the choice; API calls stay stateless
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    user = current_user if current_user else None
    if user is not None and getattr(user, "is_authenticated", False) and user.language in LANGUAGES:
        return user.language
    participant = g.get("participant")
    if participant is not None and participant.language in LANGUAGES:
        return participant.language
    return request.accept_languages.best_match(LANGUAGES) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def pick(values: dict | None, lang: str | None = None) -> str:
    """The text of a bilingual field in the visitor's language, else the other one."""
    if not values:
        return ""
    lang = lang or current_language()
    return values.get(lang) or next((v for v in values.values() if v), "")


def other_language(lang: str | None = None) -> str:
    lang = lang or current_language()
    return "es" if lang == "en" else "en"
