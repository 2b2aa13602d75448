"""OpenAPI components of the registration API (documentation; the services validate)."""

from marshmallow import Schema, fields

from ..apidoc import component
from .categories import CATEGORIES


@component("RegistrationInput")
class RegistrationInputSchema(Schema):
    name = fields.String(required=True, metadata={"maxLength": 200})
    email = fields.String(required=True, metadata={"format": "email"})
    organization = fields.String(required=True, metadata={"maxLength": 200})
    position = fields.String(metadata={"maxLength": 200})
    category = fields.String(required=True, metadata={"enum": list(CATEGORIES)})
    country = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2",
                                                     "example": "CL",
                                                     "pattern": "^[A-Za-z]{2}$"})
    language = fields.String(required=True, metadata={"enum": ["es", "en"]})
    sessions = fields.List(fields.Integer(), metadata={"description": "default: all"})
    accessibility = fields.String(metadata={"maxLength": 2000})
    consent = fields.Boolean(required=True, metadata={"description": "must be true",
                                                      "enum": [True]})


@component("RegistrationCreated")
class RegistrationCreatedSchema(Schema):
    id = fields.Integer(required=True)
    token = fields.String(required=True, metadata={"description": "shown only here"})
    manage_url = fields.String(required=True)
    calendar_url = fields.String(required=True)


@component("Registration")
class RegistrationSchema(Schema):
    id = fields.Integer(required=True)
    meeting = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)
    organization = fields.String(required=True)
    position = fields.String(required=True)
    category = fields.String(required=True)
    country = fields.String(required=True)
    language = fields.String(required=True)
    sessions = fields.List(fields.Integer(), required=True)
    accessibility = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["active", "cancelled"]})
    created_at = fields.String(required=True)
    updated_at = fields.String(required=True)
