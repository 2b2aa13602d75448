"""``flask --app wsgi meetops ...`` commands."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from .auth.models import ROLES
from .auth.services import create_user
from .clock import now
from .errors import ValidationError
from .extensions import db
from .meetings.services import demo_data, load_meeting
from .notifications.services import send_pending
from .scheduler import run_forever, start_runner, stop_runner

meetops_cli = AppGroup("meetops", help="meetops administration.")


@meetops_cli.command("load-demo")
def load_demo() -> None:
    """Load the concept-note meeting (idempotent)."""
    meeting, created = load_meeting(db.session, demo_data())
    db.session.commit()
    click.echo(("Loaded" if created else "Already loaded:") + f" {meeting.slug}")


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
    db.session.commit()
    runner = start_runner(current_app._get_current_object())
    click.echo("Scheduler: " + ("running in this process" if runner is not None else
                                "another runner holds the lock; jobs run there"))
    click.echo(f"Serving {meeting.slug} at http://{host}:{port}/")
    try:
        # app.run() is a no-op under the flask CLI; serve with werkzeug directly
        run_simple(host, port, current_app._get_current_object(), threaded=True,
                   use_reloader=False)
    finally:
        if runner is not None:
            stop_runner(runner)


@meetops_cli.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduled jobs (reminders, ...): start exactly one, next to the web workers."""
    click.echo("Scheduler runner starting (Ctrl+C to stop).")
    run_forever(current_app._get_current_object())


def init_app(app: Flask) -> None:
    app.cli.add_command(meetops_cli)
