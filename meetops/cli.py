"""``flask --app wsgi meetops ...`` commands."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import run_simple

from .auth.models import ROLES, User
from .auth.services import create_user, revoke_token, rotate_token, set_password
from .clock import now
from .consultation.services import import_areas, load_consultation, parse_areas_file
from .errors import Conflict, NotFound, ValidationError
from .extensions import db
from .meetings.services import demo_data, get_meeting, load_meeting
from .notifications.services import send_pending
from .retention.services import purge_personal_data
from .scheduler import run_forever, start_runner, stop_runner
from .transfer import export_meeting, import_meeting

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


def _staff(email: str) -> User:
    user = db.session.execute(select(User).filter_by(email=email.strip().lower())
                              ).scalar_one_or_none()
    if user is None:
        raise click.UsageError(f"no staff account {email}")
    return user


@meetops_cli.command("rotate-token")
@click.argument("email")
def rotate_token_command(email: str) -> None:
    """Give a staff account a new API token (printed last); the old one stops working."""
    token = rotate_token(_staff(email))
    db.session.commit()
    click.echo(f"New API token for {email}:")
    click.echo(token)


@meetops_cli.command("revoke-token")
@click.argument("email")
def revoke_token_command(email: str) -> None:
    """Revoke a staff account's API token."""
    revoke_token(_staff(email))
    db.session.commit()
    click.echo(f"Revoked the API token of {email}.")


@meetops_cli.command("set-password")
@click.argument("email")
@click.password_option()
def set_password_command(email: str, password: str) -> None:
    """Set a staff account's sign-in password."""
    if len(password) < 10:
        raise click.UsageError("use at least 10 characters")
    set_password(_staff(email), password)
    db.session.commit()
    click.echo(f"Password set for {email}.")


@meetops_cli.command("deactivate-user")
@click.argument("email")
def deactivate_user_command(email: str) -> None:
    """Close a staff account: it can no longer sign in or use its token."""
    _staff(email).active = False
    db.session.commit()
    click.echo(f"Deactivated {email}.")


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


@meetops_cli.command("export")
@click.argument("slug")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), required=True)
def export_command(slug: str, output: str) -> None:
    """Write the meeting SLUG with all its data to one JSON file."""
    try:
        document = export_meeting(db.session, slug, now=now())
    except ValidationError as error:
        raise click.UsageError(str(error.fields)) from None
    with open(output, "w", encoding="utf-8") as fh:
        json.dump(document, fh, ensure_ascii=False, indent=1, sort_keys=True)
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in document["tables"].items())
    click.echo(f"Exported {slug} to {output} ({counts})")


@meetops_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path: str) -> None:
    """Restore a meeting from a file written by ``meetops export``."""
    with open(path, encoding="utf-8") as fh:
        try:
            document = json.load(fh)
        except json.JSONDecodeError as exc:
            raise click.UsageError(f"{path} is not JSON: {exc}") from None
    try:
        meeting = import_meeting(db.session, document)
    except (ValidationError, Conflict) as error:
        db.session.rollback()
        raise click.UsageError(str(error.fields or error.message)) from None
    db.session.commit()
    click.echo(f"Imported {meeting.slug}")


@meetops_cli.command("purge")
@click.argument("slug")
@click.option("--force", is_flag=True, help="Purge before the retention period is over.")
def purge_command(slug: str, force: bool) -> None:
    """Anonymise the personal data of a meeting, keeping the statistics."""
    meeting = get_meeting(db.session, slug)
    try:
        count = purge_personal_data(
            db.session, meeting, now=now(), force=force,
            retention_days=int(current_app.config["MEETOPS_RETENTION_DAYS"]))
    except Conflict as error:
        raise click.UsageError(f"{error.message} (--force to purge anyway)") from None
    db.session.commit()
    click.echo(f"Purged the personal data of {count} registration(s) of {slug}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(meetops_cli)
