"""Request bodies to models: malformed JSON, wrong types and broken invariants become a 400."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

import msgspec
from pydantic import ValidationError
from starlette.requests import Request

from cds.service.errors import MalformedJson, UnsupportedMediaType, bad_request_from
from cds.service.models import FeedbackRequest, HookRequest, request_type

# Strict JSON (no NaN or Infinity, no lone surrogates, UTF-8 only), numbers with a fraction or an
# exponent as exact decimals: a prefetched 11.20 g/dL stays 11.20, as when the service fetches it.
# msgspec reads a 60 KiB prefetch in about a third less time than Python's json.
_DECODER = msgspec.json.Decoder(float_hook=Decimal)
_BOM = b"\xef\xbb\xbf"


def read_json_object(body: bytes) -> dict[str, Any]:
    try:
        # A UTF-8 byte order mark may be ignored (RFC 8259, 8.1); Python's json ignored it too.
        value = _DECODER.decode(body.removeprefix(_BOM))
    except (ValueError, RecursionError) as error:  # RecursionError: nesting beyond the parser's limit
        raise MalformedJson("request body is not valid JSON") from error
    if not isinstance(value, dict):
        raise MalformedJson("request body must be a JSON object")
    return value


class _Envelope(msgspec.Struct):
    """A hook request's members as HookRequest knows them, the prefetch kept as the bytes sent.

    Reading the prefetch (60 KiB for a demo patient) is most of the cost of a call answered from
    the result cache; kept as bytes, it is read only when the call is evaluated. Members HookRequest
    does not know are dropped here: the service reads none of them (a test holds the lists equal)."""

    hook: Any = msgspec.UNSET
    hookInstance: Any = msgspec.UNSET
    fhirServer: Any = msgspec.UNSET
    fhirAuthorization: Any = msgspec.UNSET
    context: Any = msgspec.UNSET
    extension: Any = msgspec.UNSET
    prefetch: msgspec.Raw = msgspec.Raw()  # empty: no prefetch member


_ENVELOPE = msgspec.json.Decoder(_Envelope, float_hook=Decimal)


@dataclass(frozen=True)
class HookCall:
    """A hook call as read so far: its members validated, its prefetch still the bytes sent."""

    request: HookRequest  # without its prefetch
    # Out of the repr: the members hold the FHIR access token as sent, the prefetch patient data.
    members: dict[str, Any] = field(repr=False)
    prefetch: bytes | None = field(repr=False)

    @cached_property
    def digest(self) -> str | None:
        """SHA-256 of the prefetch as sent: the same bytes are the same data, whatever they hold."""
        return None if self.prefetch is None else hashlib.sha256(self.prefetch).hexdigest()

    def whole(self) -> HookRequest:
        """The request with its prefetch read: MalformedJson or BadRequest as for any member."""
        data = dict(self.members)
        if self.prefetch is not None:
            try:
                data["prefetch"] = _DECODER.decode(self.prefetch)
            except (ValueError, RecursionError) as error:
                raise MalformedJson("request body is not valid JSON") from error
        request = _validated(data)
        request.read_from(self.digest)
        return request


def parse_hook_call(body: bytes) -> HookCall:
    try:
        envelope = _ENVELOPE.decode(body.removeprefix(_BOM))
    except msgspec.ValidationError as error:  # the members are typed Any: only the body is wrong
        raise MalformedJson("request body must be a JSON object") from error
    except (ValueError, RecursionError) as error:
        raise MalformedJson("request body is not valid JSON") from error
    members = {
        name: value
        for name in _Envelope.__struct_fields__
        if name != "prefetch" and (value := getattr(envelope, name)) is not msgspec.UNSET
    }
    prefetch = bytes(envelope.prefetch) if len(envelope.prefetch) else None
    return HookCall(_validated(members), members, prefetch)


def _validated(data: dict[str, Any]) -> HookRequest:
    try:
        return request_type(data.get("hook")).model_validate(data)
    except ValidationError as error:
        raise bad_request_from(error) from error


def parse_feedback(body: bytes) -> FeedbackRequest:
    data = read_json_object(body)
    try:
        return FeedbackRequest.model_validate(data)
    except ValidationError as error:
        raise bad_request_from(error) from error


async def require_json(request: Request) -> None:
    """Dependency: a POST body must be declared as JSON (application/json or a +json type).

    A coroutine, as every dependency here: FastAPI runs a plain function in a worker thread, and
    that hand-off (and the GIL it waits for under load) costs more than the check itself."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise UnsupportedMediaType("send the request body as application/json")
