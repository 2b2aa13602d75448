"""``flask --app wsgi meetops ...`` commands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from .auth.models import ROLES
from .auth.services import create_user
from .clock import now
from .consultation.services import import_areas, load_consultation, parse_areas_file
from .errors import NotFound, ValidationError
from .extensions import db
from .meetings.services import demo_data, get_meeting, load_meeting
from .notifications.services import send_pending

meetops_cli = AppGroup("meetops", help="meetops administration.")


@meetops_cli.command("load-demo")
def load_demo() -> None:
    """Load the concept-note meeting (idempotent)."""
    meeting, created = load_meeting(db.session, demo_data())
    load_consultation(db.session, meeting)
    db.session.commit()
    click.echo(("Loaded" if created else "Already loaded:") + f" {meeting.slug}")


@meetops_cli.command("import-areas")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--keep-others", is_flag=True,
              help="Keep areas that are not in the file (else they are removed).")
def import_areas_command(slug: str, file: str, keep_others: bool) -> None:
    """Replace a meeting's priority areas with those of a JSON or CSV file."""
    try:
        meeting = get_meeting(db.session, slug)
        with open(file, "rb") as handle:
            rows = parse_areas_file(file, handle.read())
        result = import_areas(db.session, meeting, rows, replace=not keep_others)
    except (ValidationError, NotFound) as error:
        with current_app.test_request_context("/api/?lang=en"):  # messages need a locale
            details = "; ".join(f"{k}: {v}" for k, v in (error.fields or {}).items())
            raise click.UsageError(details or str(error.message)) from None
    db.session.commit()
    click.echo(f"{result['created']} created, {result['updated']} updated, "
               f"{result['removed']} removed.")
    if result["kept"]:
        click.echo("Kept (comments refer to them): " + ", ".join(result["kept"]))


@meetops_cli.command("add-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password", default=None, help="Sign-in password (else the token signs in).")
@click.option("--language", type=click.Choice(["en", "es"]), default="en")
def add_user(email: str, role: str, password: str | None, language: str) -> None:
    """Create a staff account; the last line printed is its API token."""
    try:
        user, token = create_user(db.session, email, role, now=now(), password=password,
                                  language=language)
    except ValidationError as error:
        raise click.UsageError("; ".join(f"{k}: {v}" for k, v in error.fields.items())) \
            from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}. API token:")
    click.echo(token)


@meetops_cli.command("send-mail")
def send_mail() -> None:
    """Send queued mail through MEETOPS_SMTP_URL."""
    config = current_app.config
    if not config.get("MEETOPS_SMTP_URL"):
        raise click.UsageError("MEETOPS_SMTP_URL is not set; mail stays in the outbox.")
    sent = send_pending(db.session, smtp_url=config["MEETOPS_SMTP_URL"],
                        sender=config["MEETOPS_MAIL_FROM"], now=now())
    click.echo(f"Sent {sent} message(s).")


@meetops_cli.command("demo")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def demo(host: str, port: int) -> None:
    """Migrate the database, load the demo meeting and serve it (development server)."""
    upgrade()
    meeting, _created = load_meeting(db.session, demo_data())
    load_consultation(db.session, meeting)
    db.session.commit()
    click.echo(f"Serving {meeting.slug} at http://{host}:{port}/")
    current_app.run(host=host, port=port, threaded=True, use_reloader=False)


def init_app(app: Flask) -> None:
    app.cli.add_command(meetops_cli)
