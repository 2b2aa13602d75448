"""Stakeholder categories, from the concept note's list of participants."""

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "lac_state": _l("Latin American and Caribbean State"),
    "donor_state": _l("Donor or partner country"),
    "financial_institution": _l("International or development financial institution"),
    "private_sector": _l("Private sector"),
    "displaced_led_org": _l("Refugee, displaced and stateless persons led organisation"),
    "civil_society": _l("Civil society"),
    "academia": _l("Academia"),
    "local_actor": _l("Local actor"),
    "un_agency": _l("UN agency, fund or programme"),
    "other": _l("Other stakeholder"),
}

LANGUAGE_NAMES = {"es": _l("Spanish"), "en": _l("English")}
