"""What templates may use: values and formatting, no decisions."""

from __future__ import annotations

from flask import Flask, request, url_for

from . import i18n, web


def switch_language_url(lang: str) -> str:
    args = request.args.to_dict()
    args["lang"] = lang
    return url_for(request.endpoint, **(request.view_args or {}), **args) \
        if request.endpoint else f"?lang={lang}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        pick=i18n.pick,
        current_language=i18n.current_language,
        other_language=i18n.other_language,
        fmt_datetime=web.fmt_datetime,
        fmt_duration=web.fmt_duration,
        fmt_span=web.fmt_span,
        zone_label=web.zone_label,
        visitor_zone=web.visitor_zone,
        switch_language_url=switch_language_url,
    )
