"""OpenAPI components of the floor API (documentation; the services validate).

They describe :func:`meetops.floor.services.state_dict` (the contract's "Floor state") and
:func:`meetops.floor.services.totals`, and the bodies the chair's actions accept.
"""

from marshmallow import Schema, fields

from ..apidoc import component
from ..registration.categories import CATEGORIES
from .models import KINDS

KIND = {"enum": list(KINDS),
        "description": "points of order go first, then replies, then statements"}
LANGUAGE = {"description": "ISO 639-1 code of the language the speaker will use",
            "example": "es", "pattern": "^[A-Za-z]{2}$"}
INSTANT_MS = {"description": "ISO 8601 UTC with milliseconds",
              "example": "2025-11-27T14:30:00.250Z"}
INSTANT = {"description": "ISO 8601 UTC", "example": "2025-11-27T14:30:00Z"}
VERSION = {"description": "the floor version the action was taken on (compare-and-set)",
           "minimum": 1, "maximum": 2**31 - 1}
CATEGORY = {"description": "stakeholder category: " + ", ".join(CATEGORIES)}
ID = {"minimum": 1, "maximum": 2**31 - 1}


def nullable_ref(name: str, **metadata) -> dict:
    """Either the object named ``name`` or null, nothing else (OpenAPI 3.0: ``nullable`` next
    to an ``anyOf`` of the reference). apispec's own nullable ``Nested`` adds ``{"type":
    "object", "nullable": true}`` to the ``anyOf``, which any object matches; and schemathesis
    does not check a lone reference under ``allOf``: either would leave the object unchecked."""
    return {"anyOf": [{"$ref": f"#/components/schemas/{name}"}], "nullable": True, **metadata}


@component("FloorParticipant")
class FloorParticipantSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    organization = fields.String(required=True)
    country = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2"})
    category = fields.String(required=True, metadata=CATEGORY)


@component("FloorCurrent")
class FloorCurrentSchema(Schema):
    intervention_id = fields.Integer(required=True)
    participant = fields.Nested(FloorParticipantSchema, required=True)
    kind = fields.String(required=True, metadata=KIND)
    language = fields.String(required=True, metadata={"example": "es"})
    state = fields.String(required=True, metadata={"enum": ["speaking", "paused"]})
    started_at = fields.String(required=True, metadata=INSTANT_MS)
    paused_at = fields.String(required=True, allow_none=True,
                              metadata={**INSTANT_MS, "description": "null while speaking"})
    paused_seconds = fields.Float(required=True,
                                  metadata={"description": "time paused so far, in seconds"})
    limit_seconds = fields.Integer(required=True)
    elapsed_seconds = fields.Integer(required=True)
    remaining_seconds = fields.Integer(required=True)
    overtime_seconds = fields.Integer(required=True)
    elapsed_ms = fields.Integer(required=True)
    deadline_at = fields.String(required=True, allow_none=True, metadata={
        **INSTANT_MS, "description": "when the limit is reached; null while paused"})
    warning_at = fields.String(required=True, allow_none=True, metadata={
        **INSTANT_MS, "description": "when the warning starts; null while paused"})


@component("FloorQueueEntry")
class FloorQueueEntrySchema(Schema):
    request_id = fields.Integer(required=True)
    participant = fields.Nested(FloorParticipantSchema, required=True)
    kind = fields.String(required=True, metadata=KIND)
    language = fields.String(required=True, metadata={"example": "en"})
    requested_at = fields.String(required=True, metadata=INSTANT)
    added_by_chair = fields.Boolean(required=True)


@component("FloorDone")
class FloorDoneSchema(Schema):
    intervention_id = fields.Integer(required=True)
    participant = fields.Nested(FloorParticipantSchema, required=True)
    kind = fields.String(required=True, metadata=KIND)
    language = fields.String(required=True)
    started_at = fields.String(required=True, metadata=INSTANT)
    ended_at = fields.String(required=True, metadata=INSTANT)
    limit_seconds = fields.Integer(required=True)
    spoken_seconds = fields.Integer(required=True)
    overtime_seconds = fields.Integer(required=True)
    ended_by = fields.String(required=True, metadata={"enum": ["chair", "limit"]})


@component("FloorState")
class FloorStateSchema(Schema):
    session_id = fields.Integer(required=True)
    version = fields.Integer(required=True, metadata={
        "description": "raised by every change; the chair's actions send it back"})
    server_now = fields.String(required=True, metadata=INSTANT_MS)
    limit_seconds = fields.Integer(required=True, metadata={
        "description": "the current intervention's limit, else the next one's"})
    warning_seconds = fields.Integer(required=True)
    enforcement = fields.String(required=True, metadata={"enum": ["hard", "soft"]})
    list_closed = fields.Boolean(required=True)
    current = fields.Raw(required=True, allow_none=True, metadata=nullable_ref(
        "FloorCurrent", description="who has the floor; null when nobody"))
    queue = fields.List(fields.Nested(FloorQueueEntrySchema), required=True,
                        metadata={"description": "in the order the floor will be given"})
    done = fields.List(fields.Nested(FloorDoneSchema), required=True)


@component("FloorConflict")
class FloorConflictSchema(Schema):
    """A 409 of the floor: ``stale_version`` carries the current state in ``floor``."""

    error = fields.String(required=True, metadata={
        "enum": ["stale_version", "already_waiting", "queue_empty", "not_speaking",
                 "not_paused", "nobody_speaking"]})
    message = fields.String(required=True, metadata={"description": "in the request's language"})
    floor = fields.Nested(FloorStateSchema, metadata={
        "description": "the current floor state (stale_version only)"})


@component("FloorRequestInput")
class FloorRequestInputSchema(Schema):
    kind = fields.String(metadata={**KIND, "default": "statement"})
    language = fields.String(required=True, metadata=LANGUAGE)


@component("FloorRequestCreated")
class FloorRequestCreatedSchema(Schema):
    request_id = fields.Integer(required=True)
    floor = fields.Nested(FloorStateSchema, required=True)


@component("FloorVersion")
class FloorVersionSchema(Schema):
    version = fields.Integer(required=True, metadata=VERSION)


@component("FloorGive")
class FloorGiveSchema(Schema):
    version = fields.Integer(required=True, metadata=VERSION)
    request_id = fields.Integer(required=True, metadata={**ID, "description": "a waiting request"})


@component("FloorMove")
class FloorMoveSchema(Schema):
    version = fields.Integer(required=True, metadata=VERSION)
    request_id = fields.Integer(required=True, metadata={**ID, "description": "a waiting request"})
    to_index = fields.Integer(required=True, metadata={
        "minimum": 0, "maximum": 2**31 - 1,
        "description": "the new place in the queue, 0 first (beyond the end: last)"})


@component("FloorAddInput")
class FloorAddInputSchema(Schema):
    version = fields.Integer(required=True, metadata=VERSION)
    registration_id = fields.Integer(required=True, metadata={
        **ID, "description": "a participant registered for the meeting"})
    kind = fields.String(metadata={**KIND, "default": "statement"})
    language = fields.String(required=True, metadata=LANGUAGE)


@component("FloorClock")
class FloorClockSchema(Schema):
    server_now = fields.String(required=True, metadata=INSTANT_MS)


class _TotalsRowSchema(Schema):
    interventions = fields.Integer(required=True)
    spoken_seconds = fields.Integer(required=True)
    overtime_seconds = fields.Integer(required=True)
    ended_by_limit = fields.Integer(required=True,
                                    metadata={"description": "interventions the limit ended"})


@component("FloorTotalsParticipant")
class FloorTotalsParticipantSchema(_TotalsRowSchema):
    participant = fields.Nested(FloorParticipantSchema, required=True)


@component("FloorTotalsCategory")
class FloorTotalsCategorySchema(_TotalsRowSchema):
    category = fields.String(required=True, metadata=CATEGORY)


@component("FloorTotals")
class FloorTotalsSchema(Schema):
    session_id = fields.Integer(required=True)
    scope = fields.String(required=True, metadata={"enum": ["session", "meeting"]})
    participants = fields.List(fields.Nested(FloorTotalsParticipantSchema), required=True,
                               metadata={"description": "most spoken first"})
    categories = fields.List(fields.Nested(FloorTotalsCategorySchema), required=True)
