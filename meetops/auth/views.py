"""Staff sign-in and sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from ..extensions import db
from ..security import limit_post
from .services import check_credentials

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired()])
    password = PasswordField(_l("Password or API token"), validators=[DataRequired()])


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("registration.admin_registrations_home")


@bp.route("/login", methods=["GET", "POST"])
@limit_post("MEETOPS_LIMIT_SIGN_IN")
def login():
    """Sign in with email and password (or the API token, until a password is set)."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = check_credentials(db.session, form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error = _("The email or the password is not right.")
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("meetings.home"))
