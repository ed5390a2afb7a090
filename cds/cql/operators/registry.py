"""The operator registry: every system operator and function, with its CQL signatures.

Each operator family module declares its operators next to their implementations:

    @operator("Add", "(Integer, Integer) -> Integer", "(Long, Long) -> Long")
    def add_integers(a, b): ...

Resolution follows the CQL function-resolution rules in order of cost: exact match, subtype, `null`,
choice and Any (cast), implicit conversions (Integer -> Long -> Decimal -> Quantity, Date -> DateTime,
Code -> Concept, FHIR types -> System types). Type variables (`T`) bind to an argument's type.

Forms of implementation:
- plain (default): called with argument values; `nulls="propagate"` returns null when any argument is
  null without calling it (most CQL operators), `nulls="pass"` lets it see nulls.
- `context=True`: called with the evaluation context first (Now, InValueSet, Message, ...).
- `builder=True`: called at compile time with the compiled argument closures and their static types,
  returns the closure (short-circuit logic, operators that need static types).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import types as t

Fn = Callable[[Any, list[Any]], Any]  # compiled closure: (context, frame) -> value


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    params: tuple[t.CqlType, ...]
    result: t.CqlType
    impl: Callable[..., Any]
    nulls: str = "propagate"
    context: bool = False
    builder: bool = False


@dataclass(slots=True)
class _Registry:
    signatures: dict[str, list[Signature]] = field(default_factory=dict)

    def add(self, sig: Signature) -> None:
        self.signatures.setdefault(sig.name, []).append(sig)


REGISTRY = _Registry()


def operator(
    name: str,
    *signatures: str,
    nulls: str = "propagate",
    context: bool = False,
    builder: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as `name` for each signature text `(A, B) -> R`."""

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        for text in signatures:
            params, result = parse_signature(text)
            REGISTRY.add(Signature(name, params, result, impl, nulls, context, builder))
        return impl

    return register


def parse_signature(text: str) -> tuple[tuple[t.CqlType, ...], t.CqlType]:
    """`(List<T>, T) -> Boolean` -> parameter and result types."""
    params_text, _, result_text = text.partition("->")
    inner = params_text.strip()
    assert inner.startswith("(") and inner.endswith(")"), text
    inner = inner[1:-1].strip()
    params = tuple(t.parse_type(p) for p in t._split_top(inner)) if inner else ()
    return params, t.parse_type(result_text)


def signatures(name: str) -> Sequence[Signature]:
    return REGISTRY.signatures.get(name, ())


def has_operator(name: str) -> bool:
    return name in REGISTRY.signatures


# ------------------------------------------------------------------------------------- conversions
Converter = Callable[[Any], Any]
IntervalPointConverter = Callable[[Any, Converter], Any]


@dataclass(frozen=True, slots=True)
class Conversion:
    cost: int
    convert: Converter | None = None  # None: the value passes unchanged


EXACT = Conversion(0)
SUBTYPE = Conversion(1)
FROM_NULL = Conversion(1)
TO_ANY = Conversion(3)
CAST = Conversion(4)
IMPLICIT = 5

# Implicit conversions between System types (CQL 1.5 "Implicit Conversions"), with their costs.
_SYSTEM_CONVERSIONS: dict[tuple[t.NamedType, t.NamedType], int] = {
    (t.INTEGER, t.LONG): IMPLICIT,
    (t.INTEGER, t.DECIMAL): IMPLICIT + 1,
    (t.LONG, t.DECIMAL): IMPLICIT,
    (t.INTEGER, t.QUANTITY): IMPLICIT + 2,
    (t.LONG, t.QUANTITY): IMPLICIT + 2,
    (t.DECIMAL, t.QUANTITY): IMPLICIT + 1,
    (t.DATE, t.DATETIME): IMPLICIT,
    (t.CODE, t.CONCEPT): IMPLICIT,
}

# Filled by operators.conversion: (from, to) -> converter, for the implicit conversions above and the
# FHIR -> System ones of the model info (FHIR.Quantity -> System.Quantity, ...).
CONVERTERS: dict[tuple[t.CqlType, t.CqlType], Converter] = {}
# Filled by operators.conversion: values of unknown static type -> System values (FHIR objects), and
# the conversion of an interval's points.
DYNAMIC: dict[str, Converter] = {}
INTERVAL_POINTS: list[IntervalPointConverter] = []


def is_subtype(sub: t.CqlType, sup: t.CqlType) -> bool:
    if sub == sup or sup == t.ANY:
        return True
    if isinstance(sub, t.NamedType) and isinstance(sup, t.NamedType):
        if t.SYSTEM_BASES.get(sub) == sup:
            return True
        if sub.name.startswith("FHIR.") and sup.name.startswith("FHIR."):
            from ..models import fhir_model

            return fhir_model().is_subtype(sub.name[5:], sup.name[5:])
        return False
    if isinstance(sub, t.ListType) and isinstance(sup, t.ListType):
        return is_subtype(sub.element, sup.element)
    if isinstance(sub, t.IntervalType) and isinstance(sup, t.IntervalType):
        return is_subtype(sub.point, sup.point)
    if isinstance(sub, t.ChoiceType):
        return all(is_subtype(o, sup) for o in sub.options)
    if isinstance(sup, t.ChoiceType):
        return any(is_subtype(sub, o) for o in sup.options)
    if isinstance(sub, t.TupleType) and isinstance(sup, t.TupleType):
        if [n for n, _ in sub.elements] != [n for n, _ in sup.elements]:
            return False
        return all(is_subtype(a, b) for (_, a), (_, b) in zip(sub.elements, sup.elements, strict=True))
    return False


def conversion(source: t.CqlType, target: t.CqlType) -> Conversion | None:
    """How (and at what cost) a value of static type `source` can be used where `target` is needed."""
    if source == target:
        return EXACT
    if source == t.NULL:
        return FROM_NULL
    if target == t.ANY:
        return TO_ANY
    if is_subtype(source, target):
        return SUBTYPE
    if source == t.ANY:
        return Conversion(CAST.cost, _cast(target))
    if isinstance(source, t.ChoiceType):
        options = [conversion(o, target) for o in source.options]
        if any(c is not None for c in options):
            return Conversion(CAST.cost, _cast(target))
        return None
    if isinstance(source, t.NamedType) and isinstance(target, t.NamedType):
        cost = _SYSTEM_CONVERSIONS.get((source, target))
        converter = CONVERTERS.get((source, target))
        if cost is not None:
            return Conversion(cost, converter)
        if converter is not None:  # FHIR -> System
            return Conversion(IMPLICIT, converter)
        return None
    if isinstance(source, t.NamedType) and isinstance(target, t.IntervalType):
        converter = CONVERTERS.get((source, target))
        return Conversion(IMPLICIT, converter) if converter else None
    if isinstance(source, t.ListType) and isinstance(target, t.ListType):
        inner = conversion(source.element, target.element)
        if inner is None:
            return None
        if inner.convert is None:
            return Conversion(inner.cost)
        convert_item = inner.convert
        return Conversion(inner.cost, lambda xs: None if xs is None else [convert_item(x) for x in xs])
    if isinstance(source, t.IntervalType) and isinstance(target, t.IntervalType):
        inner = conversion(source.point, target.point)
        if inner is None:
            return None
        if inner.convert is None:
            return Conversion(inner.cost)
        point_convert = inner.convert
        convert_points = INTERVAL_POINTS[0]
        return Conversion(inner.cost, lambda iv: convert_points(iv, point_convert))
    if isinstance(source, t.TupleType) and isinstance(target, t.TupleType):
        if [n for n, _ in source.elements] != [n for n, _ in target.elements]:
            return None
        costs = [conversion(a, b) for (_, a), (_, b) in zip(source.elements, target.elements, strict=True)]
        if any(c is None for c in costs):
            return None
        return Conversion(max(c.cost for c in costs if c is not None))
    return None


def _cast(target: t.CqlType) -> Converter | None:
    """The implicit cast of a value of unknown static type (Any, a choice) to `target`: FHIR values
    become System values, and a value of another type becomes null, as `as` would make it."""
    make = CASTERS[0] if CASTERS else None
    return make(target) if make is not None else DYNAMIC.get("to_system")


# Filled by operators.conversion: target type -> cast converter.
CASTERS: list[Callable[[t.CqlType], Converter]] = []


# ------------------------------------------------------------------------------------- resolution
@dataclass(frozen=True, slots=True)
class Resolution:
    signature: Signature
    converters: tuple[Converter | None, ...]
    result: t.CqlType
    cost: int


def resolve(name: str, arg_types: Sequence[t.CqlType]) -> list[Resolution]:
    """The applicable signatures of `name` for these argument types, cheapest first."""
    found: list[Resolution] = []
    for sig in signatures(name):
        if len(sig.params) != len(arg_types):
            continue
        res = _match(sig, arg_types)
        if res is not None:
            found.append(res)
    found.sort(key=lambda r: r.cost)
    return found


def _match(sig: Signature, args: Sequence[t.CqlType]) -> Resolution | None:
    if not any(t.contains_typevar(p) for p in sig.params):
        return _match_concrete(sig, sig.params, args, {})
    best: Resolution | None = None
    for binding in _candidate_bindings(sig.params, args):
        params = tuple(t.substitute(p, binding) for p in sig.params)
        res = _match_concrete(sig, params, args, binding)
        if res is not None and (best is None or res.cost < best.cost):
            best = res
    return best


def _match_concrete(
    sig: Signature, params: Sequence[t.CqlType], args: Sequence[t.CqlType], binding: dict[str, t.CqlType]
) -> Resolution | None:
    total = 0
    converters: list[Converter | None] = []
    for p, a in zip(params, args, strict=True):
        conv = conversion(a, p)
        if conv is None:
            return None
        total += conv.cost
        converters.append(conv.convert)
    return Resolution(sig, tuple(converters), t.substitute(sig.result, binding), total)


def _candidate_bindings(params: Sequence[t.CqlType], args: Sequence[t.CqlType]) -> list[dict[str, t.CqlType]]:
    candidates: dict[str, list[t.CqlType]] = {}
    for p, a in zip(params, args, strict=True):
        _collect(p, a, candidates)
    names = {v.name for p in params for v in _typevars(p)}
    bindings: list[dict[str, t.CqlType]] = [{}]
    for var in sorted(names):
        options = [c for c in candidates.get(var, []) if c != t.NULL]
        # A FHIR type may bind through its System conversion (CodeableConcept ~ Code binds Concept).
        options += [target for o in options for (source, target) in CONVERTERS if source == o]
        widened = _widen(options)
        choices = _unique(options + ([widened] if widened else [])) or [t.ANY]
        bindings = [{**b, var: c} for b in bindings for c in choices]
    return bindings


def _collect(param: t.CqlType, arg: t.CqlType, out: dict[str, list[t.CqlType]]) -> None:
    if isinstance(param, t.TypeVar):
        out.setdefault(param.name, []).append(arg)
    elif isinstance(param, t.ListType) and isinstance(arg, t.ListType):
        _collect(param.element, arg.element, out)
    elif isinstance(param, t.IntervalType) and isinstance(arg, t.IntervalType):
        _collect(param.point, arg.point, out)


def _typevars(ty: t.CqlType) -> list[t.TypeVar]:
    if isinstance(ty, t.TypeVar):
        return [ty]
    if isinstance(ty, t.ListType):
        return _typevars(ty.element)
    if isinstance(ty, t.IntervalType):
        return _typevars(ty.point)
    return []


_NUMERIC_ORDER = [t.INTEGER, t.LONG, t.DECIMAL, t.QUANTITY]


def _widen(options: list[t.CqlType]) -> t.CqlType | None:
    """The type all candidates convert to implicitly (Integer + Decimal -> Decimal), if any."""
    named = [o for o in options if isinstance(o, t.NamedType)]
    if len(named) == len(options) and named and all(o in _NUMERIC_ORDER for o in named):
        return max(named, key=_NUMERIC_ORDER.index)
    if set(options) <= {t.DATE, t.DATETIME} and t.DATETIME in options:
        return t.DATETIME
    if set(options) <= {t.CODE, t.CONCEPT} and t.CONCEPT in options:
        return t.CONCEPT
    inner_lists = [o.element for o in options if isinstance(o, t.ListType)]
    if inner_lists and len(inner_lists) == len(options):
        w = _widen(inner_lists)
        return t.ListType(w) if w else None
    inner_iv = [o.point for o in options if isinstance(o, t.IntervalType)]
    if inner_iv and len(inner_iv) == len(options):
        w = _widen(inner_iv)
        return t.IntervalType(w) if w else None
    return None


def _unique(items: list[t.CqlType]) -> list[t.CqlType]:
    out: list[t.CqlType] = []
    for i in items:
        if i not in out:
            out.append(i)
    return out
