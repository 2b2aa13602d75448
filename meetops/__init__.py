"""meetops: meeting operations for virtual, bilingual intergovernmental meetings."""

from __future__ import annotations

import os

from flask import Flask, request


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, ``instance/config.py``, ``MEETOPS_*`` environment,
    then ``test_config``."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=os.path.join(os.path.dirname(os.path.dirname(__file__)),
                                             "templates"))
    os.makedirs(app.instance_path, exist_ok=True)

    from .web import FastJSONProvider, IdConverter

    app.url_map.converters["int"] = IdConverter  # before any rule is added

    from . import config

    app.config.from_mapping(config.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.ensure_secret_key(app.instance_path)

    from .clock import clock_from_config

    app.extensions["meetops.clock"] = app.config.get("MEETOPS_CLOCK") or clock_from_config(
        app.config.get("MEETOPS_CLOCK_START"))

    from . import errors, i18n, security, templating
    from .extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            from sqlalchemy import event

            from .extensions import sqlite_begin_before_savepoint, sqlite_pragmas

            event.listen(db.engine, "connect", sqlite_pragmas)
            event.listen(db.engine, "savepoint", sqlite_begin_before_savepoint)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(os.path.dirname(
        __file__)), "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories="translations")
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    errors.init_app(app)
    app.json = FastJSONProvider(app)
    templating.init_app(app)
    security.init_app(app)

    from . import models  # noqa: F401  (every model known to SQLAlchemy and Alembic)
    from .agenda.api import bp as agenda_api
    from .agenda.views import bp as agenda_bp
    from .apidoc import bp as apidoc_bp
    from .audit.views import bp as audit_bp
    from .auth.access import check_csrf_for_cookie_auth
    from .auth.views import bp as auth_bp
    from .booth.views import bp as booth_bp
    from .calendar.views import bp as calendar_bp
    from .consultation.api import bp as consultation_api
    from .consultation.views import bp as consultation_bp
    from .floor import broadcast as floor_broadcast
    from .floor.api import bp as floor_api
    from .floor.views import bp as floor_bp
    from .meetings.api import bp as meetings_api
    from .meetings.views import bp as meetings_bp
    from .notifications.views import bp as notifications_bp
    from .registration.api import bp as registration_api
    from .registration.views import bp as registration_bp

    for blueprint in (agenda_bp, audit_bp, auth_bp, booth_bp, calendar_bp, consultation_bp,
                      floor_bp, meetings_bp, notifications_bp, registration_bp):
        app.register_blueprint(blueprint)
    for blueprint in (agenda_api, apidoc_bp, consultation_api, floor_api, meetings_api,
                      registration_api):
        csrf.exempt(blueprint)  # Bearer tokens; cookie-authenticated writes are checked below
        app.register_blueprint(blueprint)
    app.before_request(lambda: check_csrf_for_cookie_auth()
                       if request.path.startswith("/api/") else None)
    floor_broadcast.init_app(app)

    from .cli import init_app as init_cli

    init_cli(app)
    return app
