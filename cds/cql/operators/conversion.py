"""Type conversion: implicit conversions (Integer -> Decimal, FHIR -> System, ...), `is` / `as`, and the
To*, ConvertsTo* and ConvertQuantity functions."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .. import types as t
from ..errors import CqlRuntimeError
from ..models import FhirObject, fhir_model, runtime_type
from ..values import temporal, ucum
from ..values.code import Code, CodeSystemRef, Concept, ValueSetRef
from ..values.interval import Interval
from ..values.quantity import CALENDAR_UNITS, UCUM_TO_CALENDAR, Quantity, Ratio, normalize_unit
from .arithmetic import divide_quantities, in_unit
from .ordinal import dec
from .registry import CASTERS, CONVERTERS, DYNAMIC, INTERVAL_POINTS, operator

UCUM_SYSTEM = "http://unitsofmeasure.org"
CALENDAR_SYSTEM = "http://hl7.org/fhirpath/CodeSystem/calendar-units"
_QUANTITY_TYPES = ("Quantity", "SimpleQuantity", "Age", "Duration", "Count", "Distance", "MoneyQuantity")


# --------------------------------------------------------------------------------- FHIR -> System
def fhir_quantity(obj: FhirObject) -> Quantity | None:
    """FHIRHelpers.ToQuantity: UCUM (or calendar) units only; a comparator cannot be represented."""
    d = obj.data
    value = d.get("value")
    if value is None:
        return None
    if d.get("comparator") is not None:
        raise CqlRuntimeError(
            "FHIR Quantity value has a comparator and cannot be converted to a System.Quantity value"
        )
    system = d.get("system")
    if system not in (None, UCUM_SYSTEM, CALENDAR_SYSTEM):
        raise CqlRuntimeError(f"Invalid FHIR Quantity code: {d.get('unit')} ({system}|{d.get('code')})")
    unit = d.get("code") or d.get("unit") or "1"
    unit = UCUM_TO_CALENDAR.get(unit, unit)
    return Quantity(value if isinstance(value, Decimal) else Decimal(str(value)), normalize_unit(unit))


def fhir_code(obj: FhirObject) -> Code:
    d = obj.data
    return Code(d.get("code"), d.get("system"), d.get("version"), d.get("display"))


def fhir_concept(obj: FhirObject) -> Concept:
    codes = tuple(
        fhir_code(FhirObject("Coding", c)) for c in obj.data.get("coding") or () if isinstance(c, dict)
    )
    return Concept(codes, obj.data.get("text"))


def fhir_period(obj: FhirObject) -> Interval:
    start = _fhir_datetime(obj.data.get("start"))
    end = _fhir_datetime(obj.data.get("end"))
    # FHIRHelpers.ToInterval: a missing start is unknown (open null); a missing end is ongoing.
    return Interval(start, end, start is not None, True, "DateTime")


def fhir_range(obj: FhirObject) -> Interval:
    low = obj.data.get("low")
    high = obj.data.get("high")
    lq = fhir_quantity(FhirObject("Quantity", low)) if isinstance(low, dict) else None
    hq = fhir_quantity(FhirObject("Quantity", high)) if isinstance(high, dict) else None
    return Interval(lq, hq, True, True, "Quantity")


def fhir_ratio(obj: FhirObject) -> Ratio | None:
    n, d = obj.data.get("numerator"), obj.data.get("denominator")
    nq = fhir_quantity(FhirObject("Quantity", n)) if isinstance(n, dict) else None
    dq = fhir_quantity(FhirObject("Quantity", d)) if isinstance(d, dict) else None
    return Ratio(nq, dq) if nq is not None and dq is not None else None


def _fhir_datetime(v: Any) -> temporal.DateTime | None:
    if not isinstance(v, str):
        return None
    return temporal.parse_datetime(v if "T" in v else v + "T")


_FHIR_TO_SYSTEM = {
    **dict.fromkeys(_QUANTITY_TYPES, fhir_quantity),
    "Coding": fhir_code,
    "CodeableConcept": fhir_concept,
    "Period": fhir_period,
    "Range": fhir_range,
    "Ratio": fhir_ratio,
}


def to_system(value: Any) -> Any:
    """A FHIR complex value as its System value (Quantity, Code, Concept, Interval, Ratio); other
    values unchanged."""
    if type(value) is FhirObject:
        convert = _FHIR_TO_SYSTEM.get(value.type)
        if convert is not None:
            # Kept on the object: a rule reading `O.value as Quantity` five times converts once.
            memo = value.memo
            if SYSTEM_KEY in memo:
                return memo[SYSTEM_KEY]
            converted = memo[SYSTEM_KEY] = convert(value)
            return converted
    return value


SYSTEM_KEY = "\x00system"  # a memo key no FHIR element name can be


def _none_safe(fn: Any) -> Any:
    return lambda v: None if v is None else fn(v)


def _register_implicit() -> None:
    CONVERTERS[(t.INTEGER, t.DECIMAL)] = _none_safe(Decimal)
    CONVERTERS[(t.LONG, t.DECIMAL)] = _none_safe(Decimal)
    CONVERTERS[(t.INTEGER, t.QUANTITY)] = _none_safe(lambda v: Quantity(Decimal(v), "1"))
    CONVERTERS[(t.LONG, t.QUANTITY)] = _none_safe(lambda v: Quantity(Decimal(v), "1"))
    CONVERTERS[(t.DECIMAL, t.QUANTITY)] = _none_safe(lambda v: Quantity(v, "1"))
    CONVERTERS[(t.DATE, t.DATETIME)] = _none_safe(temporal.date_to_datetime)
    CONVERTERS[(t.CODE, t.CONCEPT)] = _none_safe(lambda v: Concept((v,)))
    for name in _QUANTITY_TYPES:
        CONVERTERS[(t.NamedType("FHIR." + name), t.QUANTITY)] = _none_safe(_fhir(fhir_quantity))
    CONVERTERS[(t.NamedType("FHIR.Coding"), t.CODE)] = _none_safe(_fhir(fhir_code))
    CONVERTERS[(t.NamedType("FHIR.CodeableConcept"), t.CONCEPT)] = _none_safe(_fhir(fhir_concept))
    CONVERTERS[(t.NamedType("FHIR.Period"), t.IntervalType(t.DATETIME))] = _none_safe(_fhir(fhir_period))
    CONVERTERS[(t.NamedType("FHIR.Range"), t.IntervalType(t.QUANTITY))] = _none_safe(_fhir(fhir_range))
    CONVERTERS[(t.NamedType("FHIR.Ratio"), t.RATIO)] = _none_safe(_fhir(fhir_ratio))
    DYNAMIC["to_system"] = to_system
    INTERVAL_POINTS.append(_convert_points)


def _convert_points(iv: Interval | None, convert: Any) -> Interval | None:
    if iv is None:
        return None
    low, high = convert(iv.low), convert(iv.high)
    # Converted points show their new type (named here once, not looked up by every operator that
    # reads the interval); an interval of two nulls keeps its declared one.
    point = low if low is not None else high
    kind = iv.point_type if point is None else getattr(runtime_type(point), "simple", None)
    return Interval(low, high, iv.low_closed, iv.high_closed, kind)


def _fhir(convert: Any) -> Any:
    return lambda v: convert(v) if isinstance(v, FhirObject) else v


_register_implicit()


# ------------------------------------------------------------------------------------ is / as
_SYSTEM_CLASSES: dict[t.CqlType, Any] = {
    t.BOOLEAN: bool,
    t.STRING: str,
    t.DECIMAL: Decimal,
    t.DATE: temporal.Date,
    t.DATETIME: temporal.DateTime,
    t.TIME: temporal.Time,
    t.QUANTITY: Quantity,
    t.RATIO: Ratio,
    t.CODE: Code,
    t.CONCEPT: Concept,
    t.VALUESET: ValueSetRef,
    t.CODESYSTEM: CodeSystemRef,
    t.VOCABULARY: (ValueSetRef, CodeSystemRef),
}


def instance_of(value: Any, ty: t.CqlType) -> bool:
    """CQL `is`: null is an instance of nothing."""
    if value is None:
        return False
    if ty == t.ANY:
        return True
    if isinstance(ty, t.NamedType):
        if ty in (t.INTEGER, t.LONG):
            if not isinstance(value, int) or isinstance(value, bool):
                return False
            return ty == t.LONG or -(2**31) <= value < 2**31
        cls = _SYSTEM_CLASSES.get(ty)
        if cls is not None:
            if isinstance(value, FhirObject):
                # A FHIR value of the matching kind is usable as the System type (FHIR.Quantity as Quantity).
                converted = to_system(value)
                return converted is not value and isinstance(converted, cls)
            if cls is bool:
                return isinstance(value, bool)
            return isinstance(value, cls) and not isinstance(value, bool)
        if ty.name.startswith("FHIR."):
            return isinstance(value, FhirObject) and fhir_model().is_subtype(value.type, ty.name[5:])
        return False
    if isinstance(ty, t.ChoiceType):
        return any(instance_of(value, o) for o in ty.options)
    if isinstance(ty, t.ListType):
        return isinstance(value, list) and all(v is None or instance_of(v, ty.element) for v in value)
    if isinstance(ty, t.IntervalType):
        if not isinstance(value, Interval):
            return False
        points = [p for p in (value.low, value.high) if p is not None]
        return all(instance_of(p, ty.point) for p in points)
    if isinstance(ty, t.TupleType):
        return isinstance(value, dict) and set(value) <= {n for n, _ in ty.elements}
    return False


def instance_checker(ty: t.CqlType) -> Any:
    """`instance_of(_, ty)` specialised for one type at compile time: the common System types become a
    single isinstance test (FHIR values still go through the general rule)."""
    cls = _SYSTEM_CLASSES.get(ty) if isinstance(ty, t.NamedType) else None
    if cls is None or cls is bool:
        return lambda value: instance_of(value, ty)

    def check(value: Any) -> bool:
        if isinstance(value, cls):
            return True
        return type(value) is FhirObject and instance_of(value, ty)

    return check


def system_class(ty: t.CqlType) -> type | None:
    """The one Python class of a System type's values, or None (a choice of classes, no class)."""
    cls = _SYSTEM_CLASSES.get(ty) if isinstance(ty, t.NamedType) else None
    return cls if isinstance(cls, type) else None


def caster(ty: t.CqlType) -> Any:
    """`cast_to(_, ty)` specialised for one type at compile time."""
    cls = _SYSTEM_CLASSES.get(ty) if isinstance(ty, t.NamedType) else None
    if cls is None or cls is bool:
        return lambda value: cast_to(value, ty)

    def cast(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if type(value) is FhirObject:
            converted = to_system(value)  # kept on the object after the first conversion
            return converted if converted is not value and isinstance(converted, cls) else None
        return None

    return cast


def _implicit_cast(ty: t.CqlType) -> Any:
    if ty == t.ANY or t.contains_typevar(ty):
        return to_system
    cast = caster(ty)
    return lambda value: None if value is None else cast(to_system(value))


CASTERS.append(_implicit_cast)


def cast_to(value: Any, ty: t.CqlType) -> Any:
    """CQL `as`: the value if it is an instance of the type (converted to the System type when it is a
    FHIR value), else null."""
    if not instance_of(value, ty):
        return None
    if isinstance(value, FhirObject) and isinstance(ty, t.NamedType) and ty.name.startswith("System."):
        return to_system(value)
    return value


# --------------------------------------------------------------------------------- ToString
def format_decimal(value: Decimal) -> str:
    """Plain digits, no exponent, as written (18.550 stays '18.550'); zero carries no sign."""
    return format(value.copy_abs() if value.is_zero() else value, "f")


def format_quantity(value: Quantity) -> str:
    """'125 \'cm\'', and calendar durations as CQL writes them ('4 days', '1 day') so that
    ToQuantity reads the text back as the same quantity."""
    number = format_decimal(value.value)
    if value.unit in CALENDAR_UNITS:
        return f"{number} {value.unit}{'' if value.value == 1 else 's'}"
    return f"{number} '{value.unit}'"


def to_string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, Quantity):
        return format_quantity(value)
    if isinstance(value, Ratio):
        return f"{to_string(value.numerator)}:{to_string(value.denominator)}"
    if isinstance(value, temporal.Date | temporal.DateTime | temporal.Time):
        return temporal.to_string(value)
    return None


@operator(
    "ToString",
    "(Boolean) -> String",
    "(Integer) -> String",
    "(Long) -> String",
    "(Decimal) -> String",
    "(Quantity) -> String",
    "(Ratio) -> String",
    "(Date) -> String",
    "(DateTime) -> String",
    "(Time) -> String",
    "(String) -> String",
)
def _to_string(value: Any) -> str | None:
    return to_string(value)


# -------------------------------------------------------------------------------- To<Number>
_INTEGER_RE = re.compile(r"^[+-]?\d+$")
_DECIMAL_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")


@operator(
    "ToBoolean",
    "(Boolean) -> Boolean",
    "(String) -> Boolean",
    "(Integer) -> Boolean",
    "(Long) -> Boolean",
    "(Decimal) -> Boolean",
)
def to_boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("true", "t", "yes", "y", "1"):
            return True
        if low in ("false", "f", "no", "n", "0"):
            return False
        return None
    if isinstance(value, int | Decimal):
        return True if value == 1 else False if value == 0 else None
    return None


def _int_in(value: int, low: int, high: int) -> int | None:
    return value if low <= value <= high else None


@operator(
    "ToInteger", "(Integer) -> Integer", "(String) -> Integer", "(Boolean) -> Integer", "(Long) -> Integer"
)
def to_integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return _int_in(value, -(2**31), 2**31 - 1)
    if isinstance(value, str):
        text = value.strip()
        return _int_in(int(text), -(2**31), 2**31 - 1) if _INTEGER_RE.match(text) else None
    return None


@operator("ToLong", "(Long) -> Long", "(Integer) -> Long", "(String) -> Long", "(Boolean) -> Long")
def to_long(value: Any) -> int | None:
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        return _int_in(int(text), -(2**63), 2**63 - 1) if _INTEGER_RE.match(text) else None
    return None


@operator(
    "ToDecimal",
    "(Decimal) -> Decimal",
    "(Integer) -> Decimal",
    "(Long) -> Decimal",
    "(String) -> Decimal",
    "(Boolean) -> Decimal",
)
def to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal("1.0") if value else Decimal("0.0")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _DECIMAL_RE.match(text):
            return None
        return _decimal_in_range(Decimal(text))
    return None


def _decimal_in_range(value: Decimal) -> Decimal | None:
    """The value at the 8-place Decimal step, or None beyond the Decimal range (ToDecimal then
    cannot represent it)."""
    try:
        return dec(value)
    except CqlRuntimeError:
        return None


# A number, then optionally a quoted unit or an unquoted calendar word ('4 days' is how ToString
# writes a calendar duration, so it must read back).
_QUANTITY_RE = re.compile(r"\s*([+-]?\d+(?:\.\d+)?)\s*(?:'([^']*)'|([A-Za-z]+))?\s*")


def parse_quantity(text: str) -> Quantity | None:
    m = _QUANTITY_RE.fullmatch(text)
    if not m:
        return None
    quoted, word = m.group(2), m.group(3)
    unit = normalize_unit(quoted if quoted is not None else word)
    if word is not None and unit not in CALENDAR_UNITS:
        return None
    if unit not in CALENDAR_UNITS and not ucum.is_valid(unit):
        return None
    value = _decimal_in_range(Decimal(m.group(1)))
    return None if value is None else Quantity(value, unit)


@operator(
    "ToQuantity",
    "(Quantity) -> Quantity",
    "(Decimal) -> Quantity",
    "(Integer) -> Quantity",
    "(String) -> Quantity",
    "(Ratio) -> Quantity",
)
def to_quantity(value: Any) -> Quantity | None:
    if isinstance(value, Quantity):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return Quantity(Decimal(value), "1")
    if isinstance(value, str):
        return parse_quantity(value)
    if isinstance(value, Ratio):
        return divide_quantities(value.numerator, value.denominator)
    return None


@operator("ToRatio", "(Ratio) -> Ratio", "(String) -> Ratio")
def to_ratio(value: Any) -> Ratio | None:
    if isinstance(value, Ratio):
        return value
    if isinstance(value, str) and ":" in value:
        n, _, d = value.partition(":")
        nq, dq = parse_quantity(n), parse_quantity(d)
        return Ratio(nq, dq) if nq and dq else None
    return None


@operator("ToDate", "(Date) -> Date", "(DateTime) -> Date", "(String) -> Date")
def to_date(value: Any) -> temporal.Date | None:
    if isinstance(value, temporal.DateTime):
        return temporal.datetime_to_date(value)
    if isinstance(value, temporal.Date):
        return value
    if isinstance(value, str):
        try:
            parsed = temporal.parse_date(value.strip())
            if parsed is None:
                dt = temporal.parse_datetime(value.strip())
                parsed = temporal.datetime_to_date(dt) if dt is not None else None
            return parsed
        except temporal.TemporalError:
            return None
    return None


@operator("ToDateTime", "(DateTime) -> DateTime", "(Date) -> DateTime", "(String) -> DateTime")
def to_datetime(value: Any) -> temporal.DateTime | None:
    if isinstance(value, temporal.DateTime):
        return value
    if isinstance(value, temporal.Date):
        return temporal.date_to_datetime(value)
    if isinstance(value, str):
        try:
            return temporal.parse_datetime(value.strip())
        except temporal.TemporalError:
            return None
    return None


@operator("ToTime", "(Time) -> Time", "(String) -> Time")
def to_time(value: Any) -> temporal.Time | None:
    if isinstance(value, temporal.Time):
        return value
    if isinstance(value, str):
        try:
            return temporal.parse_time(value.strip())
        except temporal.TemporalError:
            return None
    return None


@operator("ToConcept", "(Code) -> Concept", "(List<Code>) -> Concept", "(Concept) -> Concept")
def to_concept(value: Any) -> Concept | None:
    if isinstance(value, Concept):
        return value
    if isinstance(value, Code):
        return Concept((value,))
    if isinstance(value, list):
        return Concept(tuple(c for c in value if c is not None))
    return None


def _converts(convert: Any) -> Any:
    def check(value: Any) -> bool | None:
        if value is None:
            return None
        return convert(value) is not None

    return check


for _name, _convert, _sources in [
    ("ConvertsToBoolean", to_boolean, ["Boolean", "String", "Integer", "Long", "Decimal"]),
    ("ConvertsToInteger", to_integer, ["Integer", "String", "Boolean", "Long"]),
    ("ConvertsToLong", to_long, ["Long", "Integer", "String", "Boolean"]),
    ("ConvertsToDecimal", to_decimal, ["Decimal", "Integer", "Long", "String", "Boolean"]),
    ("ConvertsToQuantity", to_quantity, ["Quantity", "Decimal", "Integer", "String", "Ratio"]),
    ("ConvertsToRatio", to_ratio, ["Ratio", "String"]),
    ("ConvertsToDate", to_date, ["Date", "DateTime", "String"]),
    ("ConvertsToDateTime", to_datetime, ["DateTime", "Date", "String"]),
    ("ConvertsToTime", to_time, ["Time", "String"]),
    (
        "ConvertsToString",
        to_string,
        ["Boolean", "Integer", "Long", "Decimal", "Quantity", "Ratio", "Date", "DateTime", "Time", "String"],
    ),
]:
    operator(_name, *[f"({s}) -> Boolean" for s in _sources], nulls="pass")(_converts(_convert))


# --------------------------------------------------------------------------- unit conversion
def convert_quantity(q: Quantity, unit: str) -> Quantity | None:
    """q in `unit` (UCUM, or a calendar word singular or plural); None when the units do not convert.
    The value is not rounded to the Decimal step: 1 'ug' in 'kg' stays 1E-9 rather than becoming 0."""
    unit = normalize_unit(unit)
    if unit not in CALENDAR_UNITS and not ucum.is_valid(unit):
        return None
    value = in_unit(q, unit)
    return None if value is None else Quantity(value, unit)


@operator("ConvertQuantity", "(Quantity, String) -> Quantity")
def _convert_quantity(q: Quantity, unit: str) -> Quantity | None:
    return convert_quantity(q, unit)


@operator("CanConvertQuantity", "(Quantity, String) -> Boolean")
def _can_convert_quantity(q: Quantity, unit: str) -> bool:
    return convert_quantity(q, unit) is not None


__all__ = ["InvalidOperation", "cast_to", "instance_of", "to_string", "to_system"]
