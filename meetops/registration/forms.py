"""The registration form (rendering and CSRF; the rules live in services.clean)."""

from __future__ import annotations

import pycountry
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)

from ..i18n import pick
from ..web import fmt_span, zone_label
from .categories import CATEGORIES, LANGUAGE_NAMES


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):  # the service checks the choices
        pass


class LenientSelectField(SelectField):
    def pre_validate(self, form):  # the service checks the choice, with a clear message
        pass


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries, named and sorted in the visitor's language."""
    locale = get_locale()
    names = locale.territories if locale is not None else {}
    choices = [(c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries]
    return sorted(choices, key=lambda item: item[1].casefold())


class RegistrationForm(FlaskForm):
    name = StringField(_l("Full name"))
    email = EmailField(_l("Email"))
    organization = StringField(_l("Organization"))
    position = StringField(_l("Position"))
    category = LenientSelectField(_l("Stakeholder category"))
    country = LenientSelectField(_l("Country"))
    language = LenientSelectField(_l("Preferred language"))
    sessions = MultiCheckboxField(_l("Sessions you will attend"), coerce=int)
    accessibility = TextAreaField(_l("Accessibility needs (optional)"))
    consent = BooleanField(_l("I consent to the processing of my personal data for the "
                              "organisation of this meeting."))

    def fill_choices(self, meeting, *, for_update: bool = False) -> None:
        self.category.choices = [("", _l("Choose..."))] + [
            (code, label) for code, label in CATEGORIES.items()]
        self.country.choices = [("", _l("Choose...")), *country_choices()]
        self.language.choices = [(code, label) for code, label in LANGUAGE_NAMES.items()]
        zone = meeting.timezone
        self.sessions.choices = [
            (s.id, _l("%(session)s: %(when)s (%(place)s time)", session=pick(s.title),
                      when=fmt_span(s.starts_at, s.ends_at, zone), place=zone_label(zone)))
            for s in meeting.sessions]
        if for_update:
            del self.email
            del self.consent

    def payload(self) -> dict:
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        data["sessions"] = [int(v) for v in (self.sessions.data or [])]
        return data

    def show_errors(self, fields: dict) -> None:
        for name, message in fields.items():
            if name in self._fields:
                self._fields[name].errors = [str(message)]
