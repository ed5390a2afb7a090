"""Interval values. The operators on them live in cds.cql.operators.interval."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from .frozen import value_class


@value_class(eq=False)
class Interval:
    low: Any
    high: Any
    low_closed: bool = True
    high_closed: bool = True
    # The point type's simple name (Integer, Decimal, Date, ...), needed when a boundary is null:
    # a closed null boundary means the minimum / maximum value of the point type.
    point_type: str | None = None
    # (start, end) once computed by the interval operators: an interval tested against every row of a
    # query (a lookback window) works out its boundary points once. Not part of the value.
    bounds: Any = field(default=None, compare=False, repr=False)

    def __eq__(self, other: object) -> bool:  # CQL equality, as a Python bool
        from ..operators.comparison import equal

        return isinstance(other, Interval) and equal(self, other) is True

    def __hash__(self) -> int:
        return hash((type(self.low), type(self.high)))

    def __repr__(self) -> str:
        lo = "[" if self.low_closed else "("
        hi = "]" if self.high_closed else ")"
        return f"Interval{lo}{self.low!r}, {self.high!r}{hi}"
