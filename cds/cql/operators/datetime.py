"""Date and time operators: selectors, Now / Today / TimeOfDay, components, comparisons of points
(optionally at a precision: `same day as`, `before month of`), duration and difference.

The values and their calendar work live in cds.cql.values.temporal; this module maps CQL calls
onto it and turns its TemporalError into CQL run-time errors. Comparisons of intervals under the
same names (`Before`, `SameAs`, ...) belong to the interval family.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..errors import CqlRuntimeError
from ..runtime import Context
from ..values import temporal
from ..values.temporal import Precision, Temporal, Uncertainty
from .registry import operator

_POINT_PAIRS = ("(Date, Date) -> {}", "(DateTime, DateTime) -> {}", "(Time, Time) -> {}")
_PRECISIONS = {p.name.lower(): p for p in Precision}


def _pairs(result: str) -> tuple[str, ...]:
    return tuple(text.format(result) for text in _POINT_PAIRS)


def _checked(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args), with the temporal module's range and precision errors as CQL run-time errors."""
    try:
        return fn(*args)
    except temporal.TemporalError as exc:
        raise CqlRuntimeError(str(exc)) from None


# ----------------------------------------------------------------------------------- selectors
def _trim(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    """Components after the first null are dropped: the value stops at that precision."""
    out = []
    for part in parts:
        if part is None:
            break
        out.append(part)
    return tuple(out)


@operator(
    "DateSelector",
    "(Integer) -> Date",
    "(Integer, Integer) -> Date",
    "(Integer, Integer, Integer) -> Date",
    nulls="pass",
)
def date_selector(*parts: int | None) -> temporal.Date | None:
    if parts[0] is None:
        return None
    return _checked(temporal.make_date, *_trim(parts))  # type: ignore[no-any-return]


_DATETIME_SIGNATURES = ["(" + ", ".join(["Integer"] * n) + ") -> DateTime" for n in range(1, 8)]
_DATETIME_SIGNATURES.append(
    "(Integer, Integer, Integer, Integer, Integer, Integer, Integer, Decimal) -> DateTime"
)


@operator("DateTimeSelector", *_DATETIME_SIGNATURES, nulls="pass")
def datetime_selector(*parts: Any) -> temporal.DateTime | None:
    """DateTime(y, ...). Without a stated offset the value keeps None, which the temporal
    operations read as the evaluation request's offset (so ToString shows no offset)."""
    if parts[0] is None:
        return None
    offset = parts[7] if len(parts) == 8 else None
    fields = _trim(tuple(parts[:7]))
    try:
        return temporal.make_datetime(*fields, offset=offset)  # type: ignore[misc]
    except temporal.TemporalError as exc:
        raise CqlRuntimeError(str(exc)) from None


@operator(
    "TimeSelector",
    "(Integer) -> Time",
    "(Integer, Integer) -> Time",
    "(Integer, Integer, Integer) -> Time",
    "(Integer, Integer, Integer, Integer) -> Time",
    nulls="pass",
)
def time_selector(*parts: int | None) -> temporal.Time | None:
    if parts[0] is None:
        return None
    return _checked(temporal.make_time, *_trim(parts))  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------ the clock
# One evaluation sees one instant: Now(), Today() and TimeOfDay() come from the context, so
# `Now() = Now()` holds however long the evaluation runs.
@operator("Now", "() -> DateTime", context=True)
def now(ctx: Context) -> temporal.DateTime:
    return ctx.now


@operator("Today", "() -> Date", context=True)
def today(ctx: Context) -> temporal.Date:
    return ctx.today


@operator("TimeOfDay", "() -> Time", context=True)
def time_of_day(ctx: Context) -> temporal.Time | None:
    return temporal.time_of(ctx.now)


# ---------------------------------------------------------------------------------- components
@operator("DateTimeComponentFrom", "(Date) -> Integer", "(DateTime) -> Integer", "(Time) -> Integer")
def component_from(value: Temporal, *, precision: str) -> int | None:
    """`year from X` ... `millisecond from X`: null when X is not that precise."""
    return _checked(temporal.component, value, precision)  # type: ignore[no-any-return]


@operator("DateFrom", "(Date) -> Date", "(DateTime) -> Date")
def date_from(value: temporal.Date | temporal.DateTime) -> temporal.Date:
    return value if type(value) is temporal.Date else temporal.date_of(value)  # type: ignore[arg-type]


@operator("TimeFrom", "(DateTime) -> Time")
def time_from(value: temporal.DateTime) -> temporal.Time | None:
    return temporal.time_of(value)


@operator("TimezoneOffsetFrom", "(DateTime) -> Decimal")
def timezone_offset_from(value: temporal.DateTime) -> Decimal | None:
    """The stated offset, or the evaluation offset for a value that stated none (CQL rule)."""
    result = temporal.component(value, "timezoneoffset")
    assert isinstance(result, Decimal)
    return result


# --------------------------------------------------------------------------------- comparisons
def _order(a: Temporal, b: Temporal, precision: str | None) -> int | None:
    """-1 / 0 / 1, or None when the values agree as far as the less precise one goes."""
    # Inline rather than through _checked: `same day or before` is a hot path of screening.
    if precision is None:
        return temporal.compare(a, b)
    level = _PRECISIONS.get(precision)
    if level is None:
        raise CqlRuntimeError(f"{precision!r} is not a precision for comparing dates and times")
    try:
        return temporal.compare_at(a, b, level)
    except temporal.TemporalError as exc:
        raise CqlRuntimeError(str(exc)) from None


@operator("SameAs", *_pairs("Boolean"))
def same_as(a: Temporal, b: Temporal, precision: str | None = None) -> bool | None:
    order = _order(a, b, precision)
    return None if order is None else order == 0


@operator("SameOrBefore", *_pairs("Boolean"))
def same_or_before(a: Temporal, b: Temporal, precision: str | None = None) -> bool | None:
    order = _order(a, b, precision)
    return None if order is None else order <= 0


@operator("SameOrAfter", *_pairs("Boolean"))
def same_or_after(a: Temporal, b: Temporal, precision: str | None = None) -> bool | None:
    order = _order(a, b, precision)
    return None if order is None else order >= 0


@operator("Before", *_pairs("Boolean"))
def before(a: Temporal, b: Temporal, precision: str | None = None) -> bool | None:
    order = _order(a, b, precision)
    return None if order is None else order < 0


@operator("After", *_pairs("Boolean"))
def after(a: Temporal, b: Temporal, precision: str | None = None) -> bool | None:
    order = _order(a, b, precision)
    return None if order is None else order > 0


# ------------------------------------------------------------------------ duration, difference
# Results are an Integer, or an Uncertainty when imprecise values leave a range of answers;
# comparison and arithmetic on Integers accept those (values.temporal.uncertainty).
@operator("DurationBetween", *_pairs("Integer"))
def duration_between(a: Temporal, b: Temporal, *, precision: str) -> int | Uncertainty:
    """`<precision>s between a and b`: whole periods from a to b, negative when b is earlier."""
    return _checked(temporal.duration_between, a, b, precision)  # type: ignore[no-any-return]


@operator("DifferenceBetween", *_pairs("Integer"))
def difference_between(a: Temporal, b: Temporal, *, precision: str) -> int | Uncertainty:
    """`difference in <precision>s between a and b`: period boundaries crossed from a to b."""
    return _checked(temporal.difference_between, a, b, precision)  # type: ignore[no-any-return]
