"""List operators: membership, inclusion, set operations and element access (CQL 1.5, List Operators).

Membership uses equality, except that a null element and a null item match each other and nothing
else; an uncertain equality (dates of different precisions) makes membership unknown. The set
operators (union, intersect, except) return distinct lists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import CqlRuntimeError
from ..models import FhirObject, fhir_model
from ..values import temporal
from ..values.code import Code, Concept
from .comparison import equal
from .registry import operator

Truth = bool | None
_TEMPORAL = (temporal.Date, temporal.DateTime, temporal.Time)


# ---------------------------------------------------------------------------------- three-valued
def any_true(results: Iterable[Truth]) -> Truth:
    """Kleene `or` over many: true if one is true, else unknown if one is unknown, else false."""
    unknown = False
    for r in results:
        if r is True:
            return True
        if r is None:
            unknown = True
    return None if unknown else False


def all_true(results: Iterable[Truth]) -> Truth:
    """Kleene `and` over many: false if one is false, else unknown if one is unknown, else true."""
    unknown = False
    for r in results:
        if r is False:
            return False
        if r is None:
            unknown = True
    return None if unknown else True


def _negate(r: Truth) -> Truth:
    return None if r is None else not r


# ------------------------------------------------------------------------------------ membership
def _equal(a: Any, b: Any, precision: str | None) -> Truth:
    """Equality, or for dates and times, equality down to `precision` (`includes day of`)."""
    if precision is None or not (isinstance(a, _TEMPORAL) and isinstance(b, _TEMPORAL)):
        return equal(a, b)
    try:
        order = temporal.compare_at(a, b, temporal.Precision[precision.upper()])
    except (KeyError, temporal.TemporalError):
        raise CqlRuntimeError(f"cannot compare {type(a).__name__} values to the {precision}") from None
    return None if order is None else order == 0


def _matches(element: Any, item: Any, precision: str | None = None) -> Truth:
    if element is None or item is None:
        return element is None and item is None
    return _equal(element, item, precision)


def _differs(element: Any, item: Any, precision: str | None = None) -> Truth:
    # A null element might be anything, so it is not known to differ from a present item.
    if item is None:
        return element is not None
    return None if element is None else _negate(_equal(element, item, precision))


def member(values: list[Any], item: Any, precision: str | None = None) -> Truth:
    """Whether `item` is an element of `values` (three-valued)."""
    if type(item) is str and all(type(v) is str or v is None for v in values):
        # Strings among strings (status in { 'final', 'amended' }): equality is ==, a null element
        # does not match a present item, so no answer is unknown.
        return item in values
    return any_true(_matches(v, item, precision) for v in values)


@dataclass(frozen=True, slots=True)
class Membership:
    """A list prepared for many membership tests: simple values hashed, the rest scanned."""

    values: list[Any]
    keys: frozenset[tuple[Any, ...]]
    unkeyed: list[Any]
    has_null: bool

    @classmethod
    def of(cls, values: list[Any]) -> Membership:
        keys = {k for k in map(equality_key, values) if k is not None}
        unkeyed = [v for v in values if v is not None and equality_key(v) is None]
        return cls(values, frozenset(keys), unkeyed, any(v is None for v in values))

    def __call__(self, item: Any) -> Truth:
        if item is None:
            return self.has_null
        key = equality_key(item)
        if key is None:
            return member(self.values, item)
        if key in self.keys:
            return True
        return any_true(_matches(v, item) for v in self.unkeyed)


# ------------------------------------------------------------------------------------- distinct
def equality_key(value: Any) -> tuple[Any, ...] | None:
    """A hashable key agreeing with CQL equality, for the common simple values; None for others."""
    kind = type(value)
    if kind is str:
        return ("s", value)
    if kind is dict or kind is FhirObject or kind is list:  # tuples, resources, lists: none
        return None
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | Decimal):
        return ("n", value)  # 1 = 1.0 in CQL, and hash(1) == hash(Decimal('1.0'))
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, Code):
        return ("c", value.code, value.system, value.version, value.display)
    return None


def bucket_key(value: Any) -> Any:
    """A hashable key that CQL-equal values always share (not always exact: values in one bucket are
    still compared with `equal`). Lets distinct, union and query returns run in near-linear time on
    tuples and FHIR resources, where comparing every pair was quadratic."""
    key = equality_key(value)
    if key is not None:
        return key if not isinstance(value, Code) else ("cc", value.code, value.system)
    if isinstance(value, dict):
        return ("t", tuple(sorted(value)), tuple(bucket_key(v) for v in value.values()))
    if isinstance(value, FhirObject):
        return ("f", value.type, value.data.get("id"))
    if isinstance(value, Concept):
        first = value.codes[0] if value.codes else None
        return ("cc", first.code, first.system) if first else ("cc", None, None)
    if isinstance(value, list):
        return ("l", len(value))
    if type(value) is temporal.Date or type(value) is temporal.DateTime:
        return _calendar_key(value)
    return ("o", type(value).__name__ if not isinstance(value, _TEMPORAL) else "temporal")


def _calendar_key(value: temporal.Date | temporal.DateTime) -> tuple[Any, ...]:
    """The calendar date two equal Dates or DateTimes share. Equality compares a value with no hour
    by its components as written (a Date meets a DateTime as one of the same components); values
    with an hour are compared at the evaluation offset when their offsets differ, and as written
    (so also after the same shift) when they agree: so the date at the evaluation offset."""
    if type(value) is temporal.DateTime and value.hour is not None:
        value = temporal.at_evaluation_offset(value)
    return ("T", value.year, value.month, value.day)


def distinct_values(values: list[Any]) -> list[Any]:
    """CQL distinct: duplicates by equality removed, first occurrence kept; nulls count as equal."""
    if len(values) < 2:
        return list(values)  # nothing to compare (most query results)
    out: list[Any] = []
    buckets: dict[Any, list[Any]] = {}
    seen_null = False
    for v in values:
        if v is None:
            if not seen_null:
                seen_null = True
                out.append(None)
            continue
        kept = buckets.setdefault(bucket_key(v), [])
        if any(equal(x, v) is True for x in kept):
            continue
        kept.append(v)
        out.append(v)
    return out


@operator("Distinct", "(List<T>) -> List<T>")
def distinct(values: list[Any]) -> list[Any]:
    return distinct_values(values)


@operator("Exists", "(List<T>) -> Boolean", nulls="pass")
def exists(values: list[Any] | None) -> bool:
    return any(v is not None for v in values or ())


# ---------------------------------------------------------------------------------- set operators
@operator("Union", "(List<T>, List<T>) -> List<T>", nulls="pass")
def union(a: list[Any] | None, b: list[Any] | None) -> list[Any]:
    # CQL 1.5: a null operand is read as an empty list.
    return distinct_values([*(a or ()), *(b or ())])


@operator("Intersect", "(List<T>, List<T>) -> List<T>")
def intersect(a: list[Any], b: list[Any]) -> list[Any]:
    in_b = Membership.of(b)
    return [x for x in distinct_values(a) if in_b(x) is True]


@operator("Except", "(List<T>, List<T>) -> List<T>", nulls="pass")
def except_(a: list[Any] | None, b: list[Any] | None) -> list[Any] | None:
    if a is None:
        return None
    # An element only possibly in `b` (uncertain equality) is kept: it is not known to be removed.
    in_b = Membership.of(b or [])
    return [x for x in distinct_values(a) if in_b(x) is not True]


# ------------------------------------------------------------------------------ element membership
# The plain functions are registered without decoration so that the reversed forms stay typed.
# `precision` comes from timing phrases (`includes day of`).
def contains(values: list[Any] | None, item: Any, precision: str | None = None) -> Truth:
    return False if values is None else member(values, item, precision)


operator("Contains", "(List<T>, T) -> Boolean", nulls="pass")(contains)


@operator("In", "(T, List<T>) -> Boolean", nulls="pass")
def in_(item: Any, values: list[Any] | None, precision: str | None = None) -> Truth:
    return contains(values, item, precision)


def proper_contains(values: list[Any] | None, item: Any, precision: str | None = None) -> Truth:
    """The item is in the list and the list holds some other element besides it."""
    if values is None:
        return False
    others = any_true(_differs(v, item, precision) for v in values)
    return all_true([member(values, item, precision), others])


operator("ProperContains", "(List<T>, T) -> Boolean", nulls="pass")(proper_contains)


@operator("ProperIn", "(T, List<T>) -> Boolean", nulls="pass")
def proper_in(item: Any, values: list[Any] | None, precision: str | None = None) -> Truth:
    return proper_contains(values, item, precision)


# -------------------------------------------------------------------------------- list inclusion
def includes(a: list[Any], b: list[Any], precision: str | None = None) -> Truth:
    if precision is None:
        in_a = Membership.of(a)
        return all_true(in_a(x) for x in b)
    return all_true(member(a, x, precision) for x in b)


operator("Includes", "(List<T>, List<T>) -> Boolean")(includes)


@operator("IncludedIn", "(List<T>, List<T>) -> Boolean")
def included_in(a: list[Any], b: list[Any], precision: str | None = None) -> Truth:
    return includes(b, a, precision)


def proper_includes(a: list[Any], b: list[Any], precision: str | None = None) -> Truth:
    """Every element of `b` is in `a`, and `a` has an element that is not in `b`."""
    in_b: Callable[[Any], Truth] = Membership.of(b)
    if precision is not None:
        in_b = functools.partial(member, b, precision=precision)
    lacking = any_true(_negate(in_b(x)) for x in a)
    return all_true([includes(a, b, precision), lacking])


operator("ProperIncludes", "(List<T>, List<T>) -> Boolean")(proper_includes)


@operator("ProperIncludedIn", "(List<T>, List<T>) -> Boolean")
def proper_included_in(a: list[Any], b: list[Any], precision: str | None = None) -> Truth:
    return proper_includes(b, a, precision)


# ------------------------------------------------------------------------------- element access
@operator("First", "(List<T>) -> T")
def first(values: list[Any]) -> Any:
    return values[0] if values else None


@operator("Last", "(List<T>) -> T")
def last(values: list[Any]) -> Any:
    return values[-1] if values else None


@operator("Indexer", "(List<T>, Integer) -> T")
def indexer(values: list[Any], index: int) -> Any:
    return values[index] if 0 <= index < len(values) else None


@operator("IndexOf", "(List<T>, T) -> Integer")
def index_of(values: list[Any], item: Any) -> int:
    return next((i for i, v in enumerate(values) if equal(v, item) is True), -1)


@operator("Length", "(List<T>) -> Integer", nulls="pass")
def length(values: list[Any] | None) -> int:
    return len(values) if values is not None else 0


@operator("SingletonFrom", "(List<T>) -> T")
def singleton_from(values: list[Any]) -> Any:
    if len(values) > 1:
        raise CqlRuntimeError(f"singleton from a list of {len(values)} elements; it must have 0 or 1")
    return values[0] if values else None


# ----------------------------------------------------------------------------------- sub-lists
@operator("Tail", "(List<T>) -> List<T>")
def tail(values: list[Any]) -> list[Any]:
    return values[1:]


@operator("Skip", "(List<T>, Integer) -> List<T>", nulls="pass")
def skip(values: list[Any] | None, count: int | None) -> list[Any] | None:
    if values is None:
        return None
    # A null or negative count skips nothing.
    return values[max(count or 0, 0) :]


@operator("Take", "(List<T>, Integer) -> List<T>", nulls="pass")
def take(values: list[Any] | None, count: int | None) -> list[Any] | None:
    if values is None:
        return None
    # A null count takes nothing (CqlListOperatorsTest TakeNullEmpty).
    return values[: max(count or 0, 0)]


@operator(
    "Slice",
    "(List<T>) -> List<T>",
    "(List<T>, Integer) -> List<T>",
    "(List<T>, Integer, Integer) -> List<T>",
    nulls="pass",
)
def slice_(values: list[Any] | None, start: int | None = None, end: int | None = None) -> list[Any] | None:
    """CQL 2.0 Slice: a null start is 0, a null end the length, a negative index counts from the end."""
    if values is None:
        return None
    return values[start:end]


@operator("Flatten", "(List<List<T>>) -> List<T>")
def flatten(lists: list[Any]) -> list[Any]:
    # A null inner list adds nothing; an element that is not a list (static type Any) stays itself.
    out: list[Any] = []
    for inner in lists:
        if isinstance(inner, list):
            out.extend(inner)
        elif inner is not None:
            out.append(inner)
    return out


# ----------------------------------------------------------------------------------- descendents
@operator("descendents", "(Any) -> List<Any>")
def descendents(value: Any) -> list[Any]:
    """Every element below a structured value (FHIR object, tuple or list), level by level."""
    out: list[Any] = []
    level = _children(value)
    while level:
        out.extend(level)
        level = [c for v in level for c in _children(v)]
    return out


def _children(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [v for v in value if v is not None]
    if isinstance(value, dict):
        return _present(value.values())
    if isinstance(value, FhirObject):
        return _present(get(value.data) for get in _element_getters(value.type))
    return []


def _present(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if isinstance(v, list):
            out.extend(x for x in v if x is not None)
        elif v is not None:
            out.append(v)
    return out


def _element_getters(type_name: str) -> list[Callable[[dict[str, Any]], Any]]:
    model = fhir_model()
    names: list[str] = []
    current: str | None = type_name
    while current is not None:
        info = model.info(current)
        names.extend(n for n in (info or {}).get("elements", {}) if n not in names)
        current = model.base(current)
    getters = [model.getter(type_name, n) for n in names]
    return [g for g in getters if g is not None]
