"""FHIR JSON text with exact decimals: Decimal values are written as JSON numbers, digit for digit."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

_MARK = re.compile(r'"\\u0000dec:(-?[0-9.Ee+-]+)"')


def dumps(doc: Any, **kwargs: Any) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"\u0000dec:{value}"
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    return _MARK.sub(r"\1", json.dumps(doc, default=encode, **kwargs))


def loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)
