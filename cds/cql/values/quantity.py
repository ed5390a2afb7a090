"""Quantity and Ratio. Units are UCUM, or CQL's calendar duration words (year, month, week, ...)."""

from __future__ import annotations

from decimal import Decimal

from .frozen import value_class

CALENDAR_UNITS = ("year", "month", "week", "day", "hour", "minute", "second", "millisecond")
_PLURALS = {u + "s": u for u in CALENDAR_UNITS}
# Calendar words with a fixed length are the same as their UCUM unit; years and months are not
# (UCUM 'a' and 'mo' are mean lengths).
CALENDAR_TO_UCUM = {
    "week": "wk",
    "day": "d",
    "hour": "h",
    "minute": "min",
    "second": "s",
    "millisecond": "ms",
}
# UCUM time units read as calendar units in date/time arithmetic (FHIRHelpers.ToCalendarUnit).
UCUM_TO_CALENDAR = {
    "a": "year",
    "mo": "month",
    "wk": "week",
    "d": "day",
    "h": "hour",
    "min": "minute",
    "s": "second",
    "ms": "millisecond",
}


def normalize_unit(unit: str | None) -> str:
    """The unit as the engine stores it: '1' for none, singular calendar words."""
    if not unit:
        return "1"
    return _PLURALS.get(unit, unit)


@value_class(eq=False)
class Quantity:
    value: Decimal
    unit: str = "1"

    def __eq__(self, other: object) -> bool:  # CQL equality, as a Python bool
        from ..operators.comparison import equal

        return isinstance(other, Quantity) and equal(self, other) is True

    def __hash__(self) -> int:
        return hash(self.value.normalize())

    def __repr__(self) -> str:
        return f"Quantity({self.value}, {self.unit!r})"

    def __str__(self) -> str:
        from ..operators.conversion import to_string

        return to_string(self) or ""


@value_class(eq=False)
class Ratio:
    numerator: Quantity
    denominator: Quantity

    def __eq__(self, other: object) -> bool:
        from ..operators.comparison import equal

        return isinstance(other, Ratio) and equal(self, other) is True

    def __hash__(self) -> int:
        return hash((self.numerator, self.denominator))

    def __repr__(self) -> str:
        return f"Ratio({self.numerator!r}, {self.denominator!r})"
