"""Engine values as CQL literal text (for messages, the conformance report and the command line)
and as JSON-ready structures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import temporal
from .code import Code, Concept
from .interval import Interval
from .quantity import Quantity, Ratio


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text if "." in text else text + ".0"


def _string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def to_cql(value: Any) -> str:
    """CQL text that evaluates to `value`.

    >>> to_cql([1, Decimal("2.50"), "a", None])
    "{1, 2.50, 'a', null}"
    """
    from ..models import FhirObject

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, temporal.Time):
        return "@T" + temporal.to_string(value)
    if isinstance(value, temporal.Date | temporal.DateTime):
        text = temporal.to_string(value)
        if isinstance(value, temporal.DateTime) and "T" not in text:
            text += "T"
        return "@" + text
    if isinstance(value, Quantity):
        return f"{format(value.value, 'f')} {_string(value.unit)}"
    if isinstance(value, Ratio):
        return f"{to_cql(value.numerator)}:{to_cql(value.denominator)}"
    if isinstance(value, Interval):
        lo = "[" if value.low_closed else "("
        hi = "]" if value.high_closed else ")"
        return f"Interval{lo}{to_cql(value.low)}, {to_cql(value.high)}{hi}"
    if isinstance(value, list):
        return "{" + ", ".join(to_cql(v) for v in value) + "}"
    if isinstance(value, dict):
        return (
            "Tuple { " + ", ".join(f"{k}: {to_cql(v)}" for k, v in value.items()) + " }"
            if value
            else "Tuple { : }"
        )
    if isinstance(value, Code):
        parts = [f"code: {_string(value.code or '')}"]
        parts += [
            f"{k}: {_string(v)}"
            for k, v in (("system", value.system), ("version", value.version), ("display", value.display))
            if v is not None
        ]
        return "Code { " + ", ".join(parts) + " }"
    if isinstance(value, Concept):
        codes = ", ".join(to_cql(c) for c in value.codes)
        display = f", display: {_string(value.display)}" if value.display else ""
        return "Concept { codes: {" + codes + "}" + display + " }"
    if isinstance(value, FhirObject):
        return f"FHIR.{value.type}" + (f"/{value.data['id']}" if "id" in value.data else "")
    if isinstance(value, temporal.Uncertainty):
        # The notation of the spec and the conformance tests for a duration known only as a range.
        return f"Interval[{value.low}, {value.high}]"
    return repr(value)


def to_json(value: Any) -> Any:
    """A JSON-ready structure: numbers stay numbers (Decimals exact where JSON allows), dates and times
    are ISO text, quantities {value, unit}, intervals {low, high, lowClosed, highClosed}."""
    from ..models import FhirObject

    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else format(value, "f")
    if isinstance(value, temporal.Date | temporal.DateTime | temporal.Time):
        return temporal.to_string(value)
    if isinstance(value, Quantity):
        return {"value": to_json(value.value), "unit": value.unit}
    if isinstance(value, Ratio):
        return {"numerator": to_json(value.numerator), "denominator": to_json(value.denominator)}
    if isinstance(value, Interval):
        return {
            "low": to_json(value.low),
            "high": to_json(value.high),
            "lowClosed": value.low_closed,
            "highClosed": value.high_closed,
        }
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, Code):
        return {
            k: v
            for k, v in (
                ("code", value.code),
                ("system", value.system),
                ("version", value.version),
                ("display", value.display),
            )
            if v is not None
        }
    if isinstance(value, Concept):
        out: dict[str, Any] = {"codes": [to_json(c) for c in value.codes]}
        if value.display:
            out["display"] = value.display
        return out
    if isinstance(value, FhirObject):
        return value.data
    if isinstance(value, temporal.Uncertainty):
        return {"low": value.low, "high": value.high}
    return str(value)
