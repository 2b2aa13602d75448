"""Registration pages: the form, the personal link, the secretariat's list."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..audit import services as audit
from ..auth.access import require_staff
from ..clock import now
from ..errors import ValidationError
from ..extensions import db
from ..i18n import current_language
from ..meetings.services import first_meeting, get_meeting, registration_is_open
from ..security import limit, limit_post
from . import mail
from .access import participant_from_link
from .categories import CATEGORIES
from .forms import RegistrationForm
from .models import Registration
from .serializers import to_csv
from .services import DuplicateRegistration, listing, register, reissue_token, set_status, update

bp = Blueprint("registration", __name__)


@bp.route("/meetings/<slug>/register", methods=["GET", "POST"])
@limit_post("MEETOPS_LIMIT_REGISTRATION")
def register_form(slug: str):
    """The registration form; closed outside the window, with the reason."""
    meeting = get_meeting(db.session, slug)
    instant = now()
    is_open = registration_is_open(meeting, instant)
    form = RegistrationForm()
    form.fill_choices(meeting)
    if request.method == "GET":
        form.language.data = current_language()
        form.sessions.data = [s.id for s in meeting.sessions]  # all, unless unticked
    status = 200
    notice = None
    if not is_open:
        status = 403 if request.method == "POST" else 200
    elif form.validate_on_submit():
        try:
            registration = register(db.session, meeting, form.payload(), now=instant)
        except ValidationError as error:
            form.show_errors(error.fields or {})
            status = 422
        except DuplicateRegistration as duplicate:
            mail.resend_link(db.session, duplicate.existing, now=instant)
            db.session.commit()
            notice = duplicate.message
            status = 409
        else:
            mail.confirm(db.session, registration, now=instant)
            db.session.commit()
            flash(_("You are registered. We have sent this personal link to your email: keep "
                    "it, it is how you come back to your registration."))
            return redirect(url_for("registration.personal", token=registration.token))
    elif request.method == "POST":
        status = 400
    return render_template("registration/register.html", meeting=meeting, form=form,
                           is_open=is_open, notice=notice), status


@bp.route("/r/<token>")
@limit("MEETOPS_LIMIT_TOKEN")
def personal(token: str):
    """The participant's own page."""
    registration = participant_from_link(token)
    form = RegistrationForm(obj=registration)
    form.fill_choices(registration.meeting, for_update=True)
    form.sessions.data = [s.id for s in registration.sessions]
    return render_template("registration/personal.html", registration=registration,
                           meeting=registration.meeting, form=form)


@bp.route("/r/<token>/edit", methods=["POST"])
@limit("MEETOPS_LIMIT_TOKEN")
def personal_edit(token: str):
    registration = participant_from_link(token)
    form = RegistrationForm()
    form.fill_choices(registration.meeting, for_update=True)
    status = 200
    if form.validate_on_submit():
        try:
            update(registration, form.payload(), now=now())
        except ValidationError as error:
            db.session.rollback()
            form.show_errors(error.fields or {})
            status = 422
        else:
            db.session.commit()
            flash(_("Your registration has been updated."))
            return redirect(url_for("registration.personal", token=token))
    else:
        status = 400
    return render_template("registration/personal.html", registration=registration,
                           meeting=registration.meeting, form=form), status


@bp.route("/r/<token>/cancel", methods=["POST"])
@limit("MEETOPS_LIMIT_TOKEN")
def personal_cancel(token: str):
    registration = participant_from_link(token)
    RegistrationForm().validate_on_submit()  # CSRF is checked by CSRFProtect
    wanted = "active" if request.form.get("reinstate") else "cancelled"
    set_status(registration, wanted, now=now())
    db.session.commit()
    flash(_("Your registration has been cancelled.") if wanted == "cancelled"
          else _("Your registration is active again."))
    return redirect(url_for("registration.personal", token=token))


def _filters() -> dict:
    session_id = request.args.get("session", type=int)
    return {
        "category": request.args.get("category") or None,
        "country": request.args.get("country") or None,
        "session_id": session_id,
        "status": request.args.get("status") or None,
    }


@bp.route("/admin/registrations")
@require_staff("admin", page=True)
def admin_registrations_home():
    meeting = first_meeting(db.session)
    if meeting is None:
        return redirect(url_for("meetings.admin_home"))
    # keep ?lang= and the filters: the language is only remembered when a page renders
    return redirect(url_for("registration.admin_registrations", slug=meeting.slug,
                            **request.args.to_dict()))


@bp.route("/admin/meetings/<slug>/registrations")
@require_staff("admin", page=True)
def admin_registrations(slug: str):
    """Registrations with filters by category, country, session and status."""
    meeting = get_meeting(db.session, slug)
    filters = _filters()
    registrations = listing(db.session, meeting, **filters)
    return render_template("registration/admin_list.html", meeting=meeting,
                           registrations=registrations, filters=filters, categories=CATEGORIES)


@bp.route("/admin/registrations/<int:registration_id>/status", methods=["POST"])
@require_staff("admin", page=True)
def admin_set_status(registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    instant = now()
    before = {"status": registration.status}
    set_status(registration, request.form.get("status", ""), now=instant)
    audit.record(db.session, now=instant, actor=g.staff, action="registration.status",
                 target=f"registration:{registration.id}", before=before,
                 after={"status": registration.status}, meeting_id=registration.meeting_id)
    db.session.commit()
    flash(_("Registration of %(name)s: %(status)s.", name=registration.name,
            status=_("cancelled") if registration.status == "cancelled" else _("active")))
    return redirect(request.referrer or url_for(
        "registration.admin_registrations", slug=registration.meeting.slug))


@bp.route("/admin/registrations/<int:registration_id>/reissue", methods=["POST"])
@require_staff("admin", page=True)
def admin_reissue(registration_id: int):
    """Revoke a participant's personal link (forwarded, leaked) and mail them a new one."""
    registration = db.get_or_404(Registration, registration_id)
    instant = now()
    reissue_token(registration, now=instant)
    mail.new_link(db.session, registration, now=instant)
    audit.record(db.session, now=instant, actor=g.staff, action="registration.reissue_link",
                 target=f"registration:{registration.id}", meeting_id=registration.meeting_id)
    db.session.commit()
    flash(_("A new personal link has been sent to %(email)s; the old one no longer works.",
            email=registration.email))
    return redirect(request.referrer or url_for(
        "registration.admin_registrations", slug=registration.meeting.slug))


@bp.route("/r/<token>/reissue", methods=["POST"])
@limit("MEETOPS_LIMIT_TOKEN")
def personal_reissue(token: str):
    """The participant replaces their own link (for example after forwarding it by mistake)."""
    registration = participant_from_link(token)
    instant = now()
    reissue_token(registration, now=instant)
    mail.new_link(db.session, registration, now=instant)
    db.session.commit()
    flash(_("Your personal link has been replaced: the old one no longer works. We have "
            "sent the new one to your email."))
    return redirect(url_for("registration.personal", token=registration.token))


@bp.route("/meetings/<slug>/registrations.csv")
@require_staff("admin", page=True)
def registrations_csv(slug: str):
    """The registrations as a spreadsheet-safe UTF-8 CSV (with the list's filters)."""
    meeting = get_meeting(db.session, slug)
    data = to_csv(listing(db.session, meeting, **_filters()))
    return Response(data, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{meeting.slug}-registrations.csv"'})
