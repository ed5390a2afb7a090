"""Pydantic models of the CDS Hooks 2.0.1 wire format: discovery, hook request, response, feedback.

Inbound models (what EHRs send) tolerate extra members, because 1.x and 3.0-ballot clients add
fields we do not use and the spec reserves `extension` for more. Outbound models (what we send)
forbid extras and enforce the spec's card invariants (cds-resp-1..6), so an engine bug becomes a
validation error here instead of a card the EHR must treat as an error.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NaiveDatetime,
    PrivateAttr,
    SecretStr,
    StringConstraints,
    field_validator,
    model_validator,
)

# Non-empty and not only whitespace: the spec forbids "" and a blank label renders as nothing.
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
# "One-sentence, <140-character summary" (Python's len counts code points, as the spec's readers do).
Summary = Annotated[str, StringConstraints(min_length=1, max_length=139, pattern=r"\S")]
JsonObject = dict[str, Any]


def _absolute_url(value: str) -> str:
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        raise ValueError("must be an absolute URL")
    return value


def _non_empty_object(value: JsonObject) -> JsonObject:
    if not value:
        raise ValueError("must not be an empty object")
    return value


AbsoluteUrl = Annotated[str, StringConstraints(min_length=1), AfterValidator(_absolute_url)]
# The spec: "the value of an extension element MUST be a pre-defined JSON object".
Extension = Annotated[JsonObject, AfterValidator(_non_empty_object)]


class Inbound(BaseModel):
    """What a CDS Client sends: unknown members are kept, not refused."""

    model_config = ConfigDict(extra="allow", frozen=True)


class Outbound(BaseModel):
    """What we send: every member is known, so a typo in the engine fails loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- shared data types -------------------------------------------------------------------------


class Coding(Outbound):
    code: Text
    system: Text
    display: Text | None = None


# --- discovery ---------------------------------------------------------------------------------


class Service(Outbound):
    hook: Text
    title: Text | None = None
    description: Text
    # The id is a path segment of the service URL, so it is kept to URL-safe characters.
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._~-]+$")]
    prefetch: dict[Text, Text] | None = None
    usageRequirements: Text | None = None
    extension: Extension | None = None


class Discovery(Outbound):
    services: tuple[Service, ...] = ()


# --- hook request ------------------------------------------------------------------------------


class FhirAuthorization(Inbound):
    # SecretStr keeps the token out of reprs and logs; the spec calls it transient and sensitive.
    access_token: SecretStr
    token_type: Text
    expires_in: int
    scope: Text
    subject: Text
    patient: Text | None = None

    @field_validator("token_type")
    @classmethod
    def _bearer(cls, value: str) -> str:
        if value.lower() != "bearer":
            raise ValueError("token_type must be Bearer")
        return "Bearer"


class HookContext(Inbound):
    """Context of a hook we do not type: its members are in `model_extra`."""


class PatientViewContext(HookContext):
    userId: Text
    patientId: Text
    encounterId: Text | None = None


class OrderSignContext(HookContext):
    userId: Text
    patientId: Text
    encounterId: Text | None = None
    draftOrders: JsonObject

    @field_validator("draftOrders")
    @classmethod
    def _bundle(cls, value: JsonObject) -> JsonObject:
        if value.get("resourceType") != "Bundle":
            raise ValueError("draftOrders must be a FHIR Bundle")
        return value


class HookRequest(Inbound):
    hook: Text
    hookInstance: Text
    fhirServer: AbsoluteUrl | None = None
    fhirAuthorization: FhirAuthorization | None = None
    context: HookContext
    # A key mapped to null means "the client knows there is no data"; it must not become absent.
    prefetch: dict[Text, JsonObject | None] | None = None
    extension: Extension | None = None
    _prefetch_digest: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _authorization_needs_server(self) -> HookRequest:
        if self.fhirAuthorization is not None and self.fhirServer is None:
            raise ValueError("fhirAuthorization requires fhirServer (cds-r-1)")
        return self

    @property
    def prefetch_digest(self) -> str | None:
        """SHA-256 of the prefetch's bytes as the client sent them; None when not read from a body."""
        return self._prefetch_digest

    def read_from(self, prefetch_digest: str | None) -> None:
        """Note the digest of the prefetch this request was read from (parsing.HookCall)."""
        self._prefetch_digest = prefetch_digest

    def patient_id(self) -> str | None:
        """The context's patientId, for the hooks that have one."""
        value = getattr(self.context, "patientId", None)
        if value is None and self.context.model_extra is not None:
            value = self.context.model_extra.get("patientId")
        return value if isinstance(value, str) and value else None


class PatientViewRequest(HookRequest):
    context: PatientViewContext


class OrderSignRequest(HookRequest):
    context: OrderSignContext


# Hooks whose context we type; any other hook keeps a generic context.
REQUEST_TYPES: dict[str, type[HookRequest]] = {
    "patient-view": PatientViewRequest,
    "order-sign": OrderSignRequest,
}


def request_type(hook: object) -> type[HookRequest]:
    return REQUEST_TYPES.get(hook, HookRequest) if isinstance(hook, str) else HookRequest


# --- response ----------------------------------------------------------------------------------


class Source(Outbound):
    label: Text
    url: AbsoluteUrl | None = None
    icon: AbsoluteUrl | None = None
    topic: Coding | None = None


class Link(Outbound):
    label: Text
    url: AbsoluteUrl
    type: Literal["absolute", "smart"]
    appContext: Text | None = None
    autolaunchable: bool | None = None

    @model_validator(mode="after")
    def _app_context_only_for_smart(self) -> Link:
        if self.appContext is not None and self.type != "smart":
            raise ValueError("appContext is only allowed on smart links (cds-resp-3)")
        return self


class Action(Outbound):
    type: Literal["create", "update", "delete"]
    description: Text | None = None
    resource: JsonObject | None = None
    resourceId: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy_delete_id(cls, data: Any) -> Any:
        # CDS Hooks 1.0 put the id of a deleted resource in `resource`; 2.0 moved it to resourceId.
        if isinstance(data, dict) and data.get("type") == "delete" and isinstance(data.get("resource"), str):
            data = {**data, "resourceId": data.get("resourceId") or data["resource"]}
            del data["resource"]
        return data

    @model_validator(mode="after")
    def _payload_matches_type(self) -> Action:
        if self.type == "delete":
            if self.resourceId is None or self.resource is not None:
                raise ValueError("a delete action carries resourceId and no resource (cds-resp-2)")
        elif self.resource is None or not isinstance(self.resource.get("resourceType"), str):
            raise ValueError(f"a {self.type} action carries a FHIR resource")
        return self


class Suggestion(Outbound):
    label: Text
    uuid: UUID | None = None
    isRecommended: bool | None = None
    actions: tuple[Action, ...] = ()

    @model_validator(mode="after")
    def _actions_described(self) -> Suggestion:
        if any(action.description is None for action in self.actions):
            raise ValueError("every suggestion action needs a description (cds-resp-5)")
        return self


class Card(Outbound):
    uuid: UUID | None = None
    summary: Summary
    detail: Text | None = None
    indicator: Literal["info", "warning", "critical"]
    source: Source
    suggestions: tuple[Suggestion, ...] = ()
    selectionBehavior: Literal["at-most-one", "any"] | None = None
    overrideReasons: tuple[Coding, ...] = ()
    links: tuple[Link, ...] = ()
    extension: Extension | None = None

    @model_validator(mode="after")
    def _spec_invariants(self) -> Card:
        if self.suggestions and self.selectionBehavior is None:
            raise ValueError("suggestions require selectionBehavior (cds-resp-6)")
        recommended = sum(1 for s in self.suggestions if s.isRecommended)
        if self.selectionBehavior == "at-most-one" and recommended > 1:
            raise ValueError("at-most-one allows one recommended suggestion (cds-resp-1)")
        if any(reason.display is None for reason in self.overrideReasons):
            raise ValueError("every override reason needs a display (cds-resp-4)")
        return self


class CdsResponse(Outbound):
    cards: tuple[Card, ...] = ()
    systemActions: tuple[Action, ...] = ()


# --- feedback ----------------------------------------------------------------------------------


class AcceptedSuggestion(Inbound):
    id: Text


class ReasonCoding(Inbound):
    """A Coding as a client echoes it back; FHIR's own extra members (version, userSelected) pass."""

    code: Text
    system: Text
    display: Text | None = None


class OverrideReason(Inbound):
    reason: ReasonCoding | None = None
    userComment: Text | None = Field(default=None, repr=False)

    @model_validator(mode="after")
    def _reason_or_comment(self) -> OverrideReason:
        if self.reason is None and self.userComment is None:
            raise ValueError("overrideReason needs a reason, a userComment or both (cds-fb-3)")
        return self


class FeedbackItem(Inbound):
    card: Text
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: tuple[AcceptedSuggestion, ...] = ()
    overrideReason: OverrideReason | None = None
    # RFC 3339 asks for an offset; a client that leaves it out most likely means UTC.
    outcomeTimestamp: AwareDatetime | NaiveDatetime

    @model_validator(mode="after")
    def _accepted_names_suggestions(self) -> FeedbackItem:
        if self.outcome == "accepted" and not self.acceptedSuggestions:
            raise ValueError("accepted feedback lists acceptedSuggestions (cds-fb-2)")
        return self

    def outcome_time(self) -> datetime:
        stamp = self.outcomeTimestamp
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


class FeedbackRequest(Inbound):
    feedback: tuple[FeedbackItem, ...] = Field(min_length=1)
