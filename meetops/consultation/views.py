"""Consultation pages: the participant's comments, the secretariat's views."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("consultation", __name__)
