"""Consultation: the meeting's priority areas, participants' comments by category deadlines,
and the support (technical, material, financial) they offer for each area."""

from . import receivers  # noqa: F401  (connects the rules registration must respect)
