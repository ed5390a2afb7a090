"""Request bodies to models: malformed JSON, wrong types and broken invariants become a 400."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, NoReturn

from pydantic import ValidationError
from starlette.requests import Request

from cds.service.errors import MalformedJson, UnsupportedMediaType, bad_request_from
from cds.service.models import FeedbackRequest, HookRequest, request_type


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def read_json_object(body: bytes) -> dict[str, Any]:
    try:
        # Python's json accepts NaN and Infinity; JSON does not. Numbers are exact decimals: a
        # prefetched 11.20 g/dL stays 11.20, as it does when the service fetches it itself.
        value = json.loads(body, parse_constant=_refuse_constant, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedJson("request body is not valid JSON") from error
    if not isinstance(value, dict):
        raise MalformedJson("request body must be a JSON object")
    return value


def parse_hook_request(body: bytes) -> HookRequest:
    data = read_json_object(body)
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
