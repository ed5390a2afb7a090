"""Aggregate functions over lists (CQL 1.5, Aggregate Functions): Count, Sum, Min, Max, Avg, Median,
Mode, the variances and standard deviations, Product, GeometricMean, AllTrue and AnyTrue.

Null elements are ignored; a null list, or one with no other elements, gives null (Count gives 0,
AllTrue true, AnyTrue false). Quantities are brought to the unit of the first one; units that do not
convert give null. One implementation serves every signature of a function and reads the values it
is given, so a list whose static element type is a choice still aggregates correctly.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..values import ucum
from ..values.quantity import CALENDAR_TO_UCUM, Quantity
from ..values.temporal import uncertainty
from .arithmetic import CONTEXT, dec, integer, long, multiply_quantity
from .comparison import compare, equal
from .lists import equality_key
from .registry import operator

_NUMERIC = ("Integer", "Long", "Decimal", "Quantity")
_ORDERED = ("Integer", "Long", "Decimal", "Quantity", "Date", "DateTime", "Time", "String")


def _signatures(types: tuple[str, ...], result: str | None = None) -> list[str]:
    return [f"(List<{x}>) -> {result or x}" for x in types]


def _present(values: list[Any] | None) -> list[Any]:
    return [v for v in values or () if v is not None]


# ---------------------------------------------------------------------------------- quantities
def _in_unit(q: Quantity, unit: str) -> Decimal | None:
    if q.unit == unit:
        return q.value
    if q.unit in ("year", "month") or unit in ("year", "month"):
        return None  # calendar years and months have no fixed length
    try:
        return ucum.convert(q.value, CALENDAR_TO_UCUM.get(q.unit, q.unit), CALENDAR_TO_UCUM.get(unit, unit))
    except ucum.UcumError:
        return None


def _as_decimals(items: list[Any]) -> tuple[list[Decimal], str | None] | None:
    """The items as Decimals, with the unit they are in when they are Quantities; None when a unit
    does not convert to the first one's."""
    quantities = [x for x in items if isinstance(x, Quantity)]
    if not quantities:
        return [Decimal(x) for x in items], None
    if len(quantities) != len(items):
        return None  # Quantities mixed with plain numbers
    unit = quantities[0].unit
    values = [_in_unit(q, unit) for q in quantities]
    if any(v is None for v in values):
        return None
    return [v for v in values if v is not None], unit


def _decimal_aggregate(compute: Callable[[list[Decimal]], Decimal | None]) -> Callable[..., Any]:
    """An aggregate computed on Decimals, answering a Quantity in the first unit for Quantities."""

    def aggregate(values: list[Any] | None) -> Decimal | Quantity | None:
        items = _present(values)
        converted = _as_decimals(items) if items else None
        if converted is None:
            return None
        decimals, unit = converted
        result = compute(decimals)
        if result is None:
            return None
        result = dec(result)
        return result if unit is None else Quantity(result, unit)

    return aggregate


# --------------------------------------------------------------------------------------- counts
@operator("Count", "(List<T>) -> Integer", nulls="pass")
def count(values: list[Any] | None) -> int:
    return len(_present(values))


@operator("AllTrue", "(List<Boolean>) -> Boolean", nulls="pass")
def all_true(values: list[bool | None] | None) -> bool:
    return all(v is not False for v in values or ())


@operator("AnyTrue", "(List<Boolean>) -> Boolean", nulls="pass")
def any_true(values: list[bool | None] | None) -> bool:
    return any(v is True for v in values or ())


# ----------------------------------------------------------------------------------- sum, product
def _sum_of(values: list[Any] | None, check: Callable[[int], int]) -> Any:
    items = _present(values)
    if not items:
        return None
    if all(isinstance(x, int) for x in items):
        return check(sum(items))
    if all(isinstance(x, int) or uncertainty.is_uncertain(x) for x in items):
        # `days between` imprecise dates gives uncertainties: the sum is the range of possible sums.
        low, high = (sum(ends) for ends in zip(*map(uncertainty.bounds, items), strict=True))
        return uncertainty.uncertainty(check(low), check(high))
    return _decimal_sum(items)


_decimal_sum = _decimal_aggregate(lambda xs: sum(xs[1:], xs[0]))


@operator(
    "Sum",
    "(List<Integer>) -> Integer",
    "(List<Decimal>) -> Decimal",
    "(List<Quantity>) -> Quantity",
    nulls="pass",
)
def sum_(values: list[Any] | None) -> Any:
    return _sum_of(values, integer)


@operator("Sum", "(List<Long>) -> Long", nulls="pass")
def sum_long(values: list[Any] | None) -> Any:
    return _sum_of(values, long)


def _product_of(values: list[Any] | None, check: Callable[[int], int]) -> Any:
    items = _present(values)
    if not items:
        return None
    if all(isinstance(x, int) for x in items):
        result = 1
        for x in items:
            result = check(result * x)
        return result
    if isinstance(items[0], Quantity):
        return _quantity_product(items)
    total = Decimal(1)
    for x in items:
        total = dec(CONTEXT.multiply(total, Decimal(x)))
    return total


def _quantity_product(items: list[Quantity]) -> Quantity | None:
    # The units multiply as they do for `*`: the product of 2 'cm' and 3 'cm' is 6 'cm2'.
    total: Quantity | None = items[0]
    for q in items[1:]:
        if total is None:
            return None
        total = multiply_quantity(total, q)
    return total


@operator(
    "Product",
    "(List<Integer>) -> Integer",
    "(List<Decimal>) -> Decimal",
    "(List<Quantity>) -> Quantity",
    nulls="pass",
)
def product(values: list[Any] | None) -> Any:
    return _product_of(values, integer)


@operator("Product", "(List<Long>) -> Long", nulls="pass")
def product_long(values: list[Any] | None) -> Any:
    return _product_of(values, long)


# ----------------------------------------------------------------------------------- min, max
def _extreme(values: list[Any] | None, wanted: int) -> Any:
    """The least (wanted -1) or greatest (wanted 1) element; null when two elements cannot be
    compared (dates of different precisions that agree as far as they go, units that do not
    convert), since the answer is then unknown."""
    items = _present(values)
    if not items:
        return None
    best = items[0]
    for x in items[1:]:
        c = compare(x, best)
        if c is None:
            return None
        if c == wanted:
            best = x
    return best


@operator("Min", *_signatures(_ORDERED), nulls="pass")
def min_(values: list[Any] | None) -> Any:
    return _extreme(values, -1)


@operator("Max", *_signatures(_ORDERED), nulls="pass")
def max_(values: list[Any] | None) -> Any:
    return _extreme(values, 1)


# ---------------------------------------------------------------------------------- statistics
def _mean(xs: list[Decimal]) -> Decimal:
    return CONTEXT.divide(sum(xs[1:], xs[0]), Decimal(len(xs)))


def _median(xs: list[Decimal]) -> Decimal:
    ordered = sorted(xs)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return CONTEXT.divide(ordered[mid - 1] + ordered[mid], Decimal(2))


def _squares(xs: list[Decimal]) -> Decimal:
    mean = _mean(xs)
    return sum((CONTEXT.multiply(x - mean, x - mean) for x in xs), Decimal(0))


def _sample_variance(xs: list[Decimal]) -> Decimal | None:
    # One value has no sample variance (the n - 1 divisor would be zero).
    return CONTEXT.divide(_squares(xs), Decimal(len(xs) - 1)) if len(xs) > 1 else None


def _population_variance(xs: list[Decimal]) -> Decimal:
    return CONTEXT.divide(_squares(xs), Decimal(len(xs)))


def _root(x: Decimal | None) -> Decimal | None:
    return None if x is None else CONTEXT.sqrt(x)


def _geometric_mean(xs: list[Decimal]) -> Decimal | None:
    total = Decimal(1)
    for x in xs:
        total = CONTEXT.multiply(total, x)
    if total < 0:
        return None  # no real root of a negative product
    if total == 0:
        return Decimal(0)
    try:
        return CONTEXT.exp(CONTEXT.divide(CONTEXT.ln(total), Decimal(len(xs))))
    except InvalidOperation:
        return None


_STATISTICS: dict[str, Callable[[list[Decimal]], Decimal | None]] = {
    "Avg": _mean,
    "Median": _median,
    # CQL keeps the unit of the values for variances too (`Variance({1.0 'mg', ...})` is 2.5 'mg').
    "Variance": _sample_variance,
    "PopulationVariance": _population_variance,
    "StdDev": lambda xs: _root(_sample_variance(xs)),
    "PopulationStdDev": lambda xs: _root(_population_variance(xs)),
}

for _name, _compute in _STATISTICS.items():
    operator(_name, "(List<Decimal>) -> Decimal", "(List<Quantity>) -> Quantity", nulls="pass")(
        _decimal_aggregate(_compute)
    )

geometric_mean = operator("GeometricMean", "(List<Decimal>) -> Decimal", nulls="pass")(
    _decimal_aggregate(_geometric_mean)
)


# ----------------------------------------------------------------------------------------- mode
@operator("Mode", "(List<T>) -> T", nulls="pass")
def mode(values: list[Any] | None) -> Any:
    """The most frequent element; among equally frequent ones, the first to appear."""
    counts: dict[Any, list[Any]] = {}  # equality key or position -> [first value, count]
    for i, x in enumerate(_present(values)):
        key: Any = equality_key(x)
        if key is None:
            key = next((k for k, (v, _) in counts.items() if equal(v, x) is True), i)
        entry = counts.setdefault(key, [x, 0])
        entry[1] += 1
    if not counts:
        return None
    return max(counts.values(), key=lambda entry: entry[1])[0]
