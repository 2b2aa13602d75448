"""Consultation pages: the participant's comments (personal link), the secretariat's views."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..auth.access import require_staff
from ..clock import now
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..i18n import pick
from ..meetings.services import get_meeting
from ..registration.access import participant_from_link
from ..registration.categories import CATEGORIES
from ..registration.models import Registration
from ..timezones import to_local
from . import charts, services
from .models import DEFAULT_CATEGORY, HORIZONS, SUPPORT_TYPES
from .serializers import areas_to_csv, comments_to_csv, matrix_to_csv

bp = Blueprint("consultation", __name__)


@bp.app_template_global("consultation_panel")
def consultation_panel(registration: Registration) -> dict:
    """What the comments panel of the personal page shows (values only)."""
    closes_at = services.closes_at_for(db.session, registration)
    areas = services.list_areas(db.session, registration.meeting)
    return {
        "closes_at": closes_at,
        "open": registration.is_active and services.is_open(closes_at, now()),
        "cancelled": not registration.is_active,
        "comments": services.comments_of(db.session, registration),
        "provisional": any(area.provisional for area in areas),
        "has_areas": bool(areas),
        "horizons": services.HORIZON_LABELS,
        "supports": services.SUPPORT_LABELS,
    }


def _form_payload() -> dict:
    form = request.form
    return {
        "priority_areas": form.getlist("priority_areas"),
        "horizon": form.get("horizon") or None,
        "support_type": form.get("support_type") or None,
        "support_description": form.get("support_description", ""),
        "text": form.get("text", ""),
    }


def _render_form(registration: Registration, values: dict, errors: dict | None = None,
                 comment=None, status: int = 200):
    meeting = registration.meeting
    areas = services.list_areas(db.session, meeting)
    return render_template(
        "consultation/comment_form.html", registration=registration, meeting=meeting,
        chapters=services.chapters(areas), provisional=any(a.provisional for a in areas),
        values=values, errors=errors or {}, comment=comment,
        closes_at=services.closes_at_for(db.session, registration),
        horizons=services.HORIZON_LABELS, supports=services.SUPPORT_LABELS), status


@bp.route("/r/<token>/comments/new", methods=["GET", "POST"])
def new_comment(token: str):
    """The form for a new comment; refused (403) after the participant's deadline."""
    registration = participant_from_link(token)
    instant = now()
    services.ensure_open(db.session, registration, instant)
    if request.method == "GET":
        return _render_form(registration, {"priority_areas": []})
    values = _form_payload()
    try:
        services.create_comment(db.session, registration, values, now=instant)
    except ValidationError as error:
        db.session.rollback()
        return _render_form(registration, values, error.fields, status=422)
    db.session.commit()
    flash(_("Thank you: your comment has been received."))
    return redirect(url_for("registration.personal", token=token, _anchor="comments"))


@bp.route("/r/<token>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(token: str, comment_id: int):
    registration = participant_from_link(token)
    comment = services.own_comment(db.session, registration, comment_id)
    instant = now()
    services.ensure_open(db.session, registration, instant)
    if request.method == "GET":
        values = {"priority_areas": comment.area_codes, "horizon": comment.horizon,
                  "support_type": comment.support_type,
                  "support_description": comment.support_description, "text": comment.text}
        return _render_form(registration, values, comment=comment)
    values = _form_payload()
    try:
        services.update_comment(db.session, comment, values, now=instant)
    except ValidationError as error:
        db.session.rollback()
        return _render_form(registration, values, error.fields, comment=comment, status=422)
    db.session.commit()
    flash(_("Your comment has been updated."))
    return redirect(url_for("registration.personal", token=token, _anchor="comments"))


@bp.route("/r/<token>/comments/<int:comment_id>/withdraw", methods=["POST"])
def withdraw_comment(token: str, comment_id: int):
    registration = participant_from_link(token)
    comment = services.own_comment(db.session, registration, comment_id)
    services.withdraw_comment(db.session, comment, now=now())
    db.session.commit()
    flash(_("Your comment has been withdrawn."))
    return redirect(url_for("registration.personal", token=token, _anchor="comments"))


# --- the secretariat --------------------------------------------------------------------------


def _admin_filters() -> dict:
    filters = {
        "area": request.args.get("area") or None,
        "category": request.args.get("category") or None,
        "support_type": request.args.get("support_type") or None,
        "horizon": request.args.get("horizon") or None,
    }
    if filters["category"] not in (None, *CATEGORIES):
        filters["category"] = None
    if filters["support_type"] not in (None, "none", *SUPPORT_TYPES):
        filters["support_type"] = None
    if filters["horizon"] not in (None, *HORIZONS):
        filters["horizon"] = None
    return filters


@bp.route("/admin/meetings/<slug>/comments")
@require_staff("admin", page=True)
def admin_comments(slug: str):
    """Comments by area or by category, with filters and the full text."""
    meeting = get_meeting(db.session, slug)
    filters = _admin_filters()
    group = request.args.get("group") if request.args.get("group") in (
        "area", "category") else "area"
    areas = services.list_areas(db.session, meeting)
    comments = services.comment_listing(db.session, meeting, **filters)
    if group == "area":
        shown = [a for a in areas if not filters["area"] or a.code == filters["area"]]
        groups = [(f"{area.code} · {pick(area.title)}", items)
                  for area, items in services.by_area(comments, shown)]
    else:
        groups = [(CATEGORIES[c], items) for c, items in services.by_category(comments)]
    return render_template(
        "consultation/admin_comments.html", meeting=meeting, filters=filters, group=group,
        groups=groups, comments=comments, areas=areas, categories=CATEGORIES,
        horizons=services.HORIZON_LABELS, supports=services.SUPPORT_LABELS,
        provisional=any(a.provisional for a in areas))


def _category_arg() -> str | None:
    """``?category=`` when it names a known category."""
    category = request.args.get("category")
    return category if category in CATEGORIES else None


@bp.route("/admin/meetings/<slug>/support")
@require_staff("admin", page=True)
def admin_support(slug: str):
    """The support matrix: areas x types of support, with who offers what."""
    meeting = get_meeting(db.session, slug)
    category = _category_arg()
    matrix = services.support_matrix(db.session, meeting, category=category)
    areas = services.list_areas(db.session, meeting)
    return render_template(
        "consultation/admin_support.html", meeting=meeting, matrix=matrix, category=category,
        categories=CATEGORIES, horizons=services.HORIZON_LABELS,
        supports=services.SUPPORT_LABELS, provisional=any(a.provisional for a in areas),
        charts={"gaps": _gaps_chart(matrix), "totals": _totals_chart(matrix)})


def _chart_summary(matrix: dict) -> str:
    without = matrix["areas_without_offers"]
    missing = matrix["missing_by_type"]
    codes = " ({})".format(", ".join(without)) if without else ""
    return _("Priority areas without any offer: %(count)d of %(total)d%(codes)s. Areas without "
             "technical support: %(technical)d; without material support: %(material)d; "
             "without financial support: %(financial)d.",
             count=len(without), total=len(matrix["areas"]),
             codes=codes, **missing)


def _gaps_chart(matrix: dict):
    return charts.gaps_chart(matrix, {
        "title": _("Where support is missing: offers by priority area and type of support"),
        "desc": _chart_summary(matrix),
        "missing": _("missing"),
        "legend_missing": _("no offer of this type yet"),
        "legend_offers": _("number of offers"),
        "area": _("Priority area"),
        "types": {k: str(v) for k, v in services.SUPPORT_LABELS.items()},
    }, pick)


def _totals_chart(matrix: dict):
    return charts.totals_chart(matrix, {
        "title": _("Offers of support for each priority area"),
        "desc": _chart_summary(matrix),
        "none": _("no offers"),
        "offers": lambda n: ngettext("%(num)d offer", "%(num)d offers", n),
    }, pick)


@bp.route("/admin/meetings/<slug>/support-<chart>.svg")
@require_staff("admin", page=True)
def support_svg(slug: str, chart: str):
    """A chart of the matrix as a standalone SVG file (in the page's language)."""
    if chart not in ("gaps", "totals"):
        raise NotFound()
    meeting = get_meeting(db.session, slug)
    category = _category_arg()
    matrix = services.support_matrix(db.session, meeting, category=category)
    svg = _gaps_chart(matrix) if chart == "gaps" else _totals_chart(matrix)
    return Response(str(svg), mimetype="image/svg+xml")


@bp.route("/admin/meetings/<slug>/support-matrix.csv")
@require_staff("admin", page=True)
def support_csv(slug: str):
    """The matrix (counts and who offers) as a spreadsheet-safe CSV."""
    meeting = get_meeting(db.session, slug)
    category = _category_arg()
    matrix = services.support_matrix(db.session, meeting, category=category)
    return Response(matrix_to_csv(matrix), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{meeting.slug}-support-matrix.csv"'})


def _deadline_rows(meeting) -> list[dict]:
    table = services.deadlines(db.session, meeting)
    rows = []
    for category, label in [(DEFAULT_CATEGORY, _("Every other stakeholder")),
                            *CATEGORIES.items()]:
        closes_at = table.get(category)
        rows.append({"category": category, "label": label, "closes_at": closes_at,
                     "date": to_local(closes_at, meeting.timezone).date().isoformat()
                     if closes_at else ""})
    return rows


@bp.route("/admin/meetings/<slug>/consultation")
@require_staff("admin", page=True)
def admin_settings(slug: str, errors: dict | None = None, status: int = 200):
    """The priority areas (and their import) and the comment deadlines."""
    meeting = get_meeting(db.session, slug)
    areas = services.list_areas(db.session, meeting)
    return render_template(
        "consultation/admin_settings.html", meeting=meeting,
        chapters=services.chapters(areas), provisional=any(a.provisional for a in areas),
        deadlines=_deadline_rows(meeting), errors=errors or {},
        columns=services.CSV_AREA_COLUMNS), status


@bp.route("/admin/meetings/<slug>/priority-areas/import", methods=["POST"])
@require_staff("admin", page=True)
def admin_import_areas(slug: str):
    """Replace the priority areas with those of an uploaded CSV or JSON file."""
    meeting = get_meeting(db.session, slug)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError(fields={"file": _("Choose a CSV or JSON file.")})
        rows = services.parse_areas_file(upload.filename, upload.read())
        result = services.import_areas(db.session, meeting, rows,
                                       replace=not request.form.get("keep_others"))
    except ValidationError as error:
        db.session.rollback()
        return admin_settings(slug, errors=error.fields or {"file": error.message},
                              status=422)
    db.session.commit()
    flash(_("Priority areas imported: %(created)d new, %(updated)d updated, %(removed)d "
            "removed.", **{k: result[k] for k in ("created", "updated", "removed")}))
    if result["kept"]:
        flash(_("Kept because comments refer to them: %(codes)s.",
                codes=", ".join(result["kept"])))
    return redirect(url_for("consultation.admin_settings", slug=slug))


@bp.route("/admin/meetings/<slug>/priority-areas.csv")
@require_staff("admin", page=True)
def areas_csv(slug: str):
    """The current areas in the import format."""
    meeting = get_meeting(db.session, slug)
    return Response(areas_to_csv(services.list_areas(db.session, meeting)),
                    mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{meeting.slug}-priority-areas.csv"'})


@bp.route("/admin/meetings/<slug>/comment-deadlines", methods=["POST"])
@require_staff("admin", page=True)
def admin_deadlines(slug: str):
    """Set the deadlines by category: a date means until 23:59:59 that day, meeting time.
    Only changed dates are written (an exact time set through the API stays)."""
    meeting = get_meeting(db.session, slug)
    changes = {}
    for row in _deadline_rows(meeting):
        wanted = (request.form.get(row["category"]) or "").strip()
        if wanted != row["date"]:
            changes[row["category"]] = wanted or None
    if changes:
        try:
            services.set_deadlines(db.session, meeting, changes)
        except ValidationError as error:
            db.session.rollback()
            return admin_settings(slug, errors=error.fields or {}, status=422)
        db.session.commit()
    flash(_("The comment deadlines have been saved."))
    return redirect(url_for("consultation.admin_settings", slug=slug))


@bp.route("/admin/meetings/<slug>/comments.csv")
@require_staff("admin", page=True)
def comments_csv(slug: str):
    """The comments (with the list's filters) as a spreadsheet-safe UTF-8 CSV."""
    meeting = get_meeting(db.session, slug)
    comments = services.comment_listing(db.session, meeting, **_admin_filters())
    return Response(comments_to_csv(comments), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{meeting.slug}-comments.csv"'})
