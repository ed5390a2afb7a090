"""The one JSON serializer every response of the service goes through.

CDS Hooks: "JSON elements SHALL NOT be null" and SHALL NOT be empty ("", [], {}); optional members
without a value are omitted. The two exceptions the spec writes out are a response without guidance,
`{"cards": []}`, and a discovery without services, `{"services": []}`. Pruning here, after the models
have validated, also covers free-form members (extensions, embedded FHIR resources), where FHIR
forbids empty values too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from starlette.background import BackgroundTask
from starlette.responses import Response

# Top-level members that the spec requires even when empty.
REQUIRED_EVEN_IF_EMPTY = frozenset({"cards", "services"})


def prune(value: Any) -> Any:
    """Drop nulls and empty strings, arrays and objects, innermost first.

    >>> prune({"a": None, "b": [{}, {"c": ""}], "d": [1, ""], "e": False, "f": 0})
    {'d': [1], 'e': False, 'f': 0}
    """
    if isinstance(value, Mapping):
        pruned = {key: prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if not _is_empty(item)}
    if isinstance(value, list | tuple):
        return [item for item in (prune(element) for element in value) if not _is_empty(item)]
    return value


def _is_empty(value: Any) -> bool:
    # `False` and `0` are values, not emptiness; compare by type before equality.
    return value is None or (isinstance(value, str | list | dict) and not value)


def to_wire(body: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object a response sends for `body`."""
    raw = body.model_dump(mode="json", exclude_none=True) if isinstance(body, BaseModel) else dict(body)
    wire: dict[str, Any] = prune(raw)
    for key in REQUIRED_EVEN_IF_EMPTY & raw.keys():
        wire.setdefault(key, [])
    return wire


def render(body: BaseModel | Mapping[str, Any]) -> bytes:
    return json.dumps(to_wire(body), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


class WireResponse(Response):
    """A JSON response whose body went through `render`."""

    media_type = "application/json"

    def __init__(
        self,
        body: BaseModel | Mapping[str, Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        super().__init__(render(body), status_code, headers, self.media_type, background)
