"""Date and time operators: selectors, Now / Today / TimeOfDay, components, comparisons at a precision,
duration and difference. The values and their arithmetic live in cds.cql.values.temporal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import CqlRuntimeError
from ..runtime import Context
from ..values import temporal
from .registry import operator


def _temporal_error(exc: temporal.TemporalError) -> CqlRuntimeError:
    return CqlRuntimeError(str(exc))


@operator("DateSelector", "(Integer) -> Date", "(Integer, Integer) -> Date", "(Integer, Integer, Integer) -> Date",
          nulls="pass")
def date_selector(*parts: int | None) -> temporal.Date | None:
    if parts[0] is None:
        return None
    parts = _trim(parts)
    try:
        return temporal.make_date(*parts)  # type: ignore[arg-type]
    except temporal.TemporalError as exc:
        raise _temporal_error(exc) from None


def _trim(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    """Components after the first null are dropped (the value stops at that precision)."""
    out = []
    for p in parts:
        if p is None:
            break
        out.append(p)
    return tuple(out)


_DT_SIGS = [
    "(" + ", ".join(["Integer"] * n) + ") -> DateTime" for n in range(1, 8)
] + ["(Integer, Integer, Integer, Integer, Integer, Integer, Integer, Decimal) -> DateTime"]


@operator("DateTimeSelector", *_DT_SIGS, nulls="pass", context=True)
def datetime_selector(ctx: Context, *parts: Any) -> temporal.DateTime | None:
    if parts[0] is None:
        return None
    offset = parts[7] if len(parts) == 8 else None
    fields = _trim(tuple(parts[:7]))
    try:
        return temporal.make_datetime(*fields, offset=offset if offset is not None else ctx.offset)
    except temporal.TemporalError as exc:
        raise _temporal_error(exc) from None


@operator("TimeSelector", "(Integer) -> Time", "(Integer, Integer) -> Time", "(Integer, Integer, Integer) -> Time",
          "(Integer, Integer, Integer, Integer) -> Time", nulls="pass")
def time_selector(*parts: Any) -> temporal.Time | None:
    if parts[0] is None:
        return None
    try:
        return temporal.make_time(*_trim(parts))
    except temporal.TemporalError as exc:
        raise _temporal_error(exc) from None


@operator("Now", "() -> DateTime", context=True)
def now(ctx: Context) -> temporal.DateTime:
    return ctx.now


@operator("Today", "() -> Date", context=True)
def today(ctx: Context) -> temporal.Date:
    return ctx.today


@operator("TimeOfDay", "() -> Time", context=True)
def time_of_day(ctx: Context) -> temporal.Time | None:
    return temporal.time_of(ctx.now)


__all__ = ["Decimal"]
