"""Clinical operators: ages (AgeInYears, AgeInYearsAt, CalculateAgeInYearsAt, ...) and terminology
membership (`code in "Value Set"`, `in "Code System"`, AnyInValueSet)."""

from __future__ import annotations

from typing import Any

from ..errors import CqlRuntimeError
from ..models import FhirObject
from ..runtime import Context, RetrieveRequest
from ..values import temporal
from ..values.code import Code, CodeSystemRef, Concept, ValueSetRef
from .registry import operator

_AGE_UNITS = ("Years", "Months", "Weeks", "Days", "Hours", "Minutes", "Seconds")
_PATIENT = RetrieveRequest(type="Patient")


def _birth_date(ctx: Context) -> Any:
    patient = ctx.patient
    if patient is None:
        found = ctx.data.retrieve(_PATIENT, ctx.terminology)
        patient = found[0] if found else None
    if not isinstance(patient, FhirObject):
        return None
    text = patient.data.get("birthDate")
    return temporal.parse_date(text) if isinstance(text, str) else None


def _age(birth: Any, as_of: Any, unit: str) -> int | None:
    if birth is None or as_of is None:
        return None
    if isinstance(birth, temporal.Date) and isinstance(as_of, temporal.DateTime):
        as_of = temporal.datetime_to_date(as_of)
    if isinstance(birth, temporal.DateTime) and isinstance(as_of, temporal.Date):
        birth = temporal.datetime_to_date(birth)
    try:
        result = temporal.duration_between(birth, as_of, unit)
    except temporal.TemporalError as exc:
        raise CqlRuntimeError(str(exc)) from None
    # An uncertain age (a birth date known only to the year) is unknown for eligibility purposes.
    return result if isinstance(result, int) else None


def _register_ages() -> None:
    for plural in _AGE_UNITS:
        unit = plural[:-1].lower()

        def age(ctx: Context, unit: str = unit) -> int | None:
            birth = _birth_date(ctx)
            return _age(birth, ctx.today if isinstance(birth, temporal.Date) else ctx.now, unit)

        def age_at(ctx: Context, as_of: Any, unit: str = unit) -> int | None:
            return _age(_birth_date(ctx), as_of, unit)

        def calculate(birth: Any, as_of: Any, unit: str = unit) -> int | None:
            return _age(birth, as_of, unit)

        def calculate_now(ctx: Context, birth: Any, unit: str = unit) -> int | None:
            return _age(birth, ctx.today if isinstance(birth, temporal.Date) else ctx.now, unit)

        operator(f"AgeIn{plural}", "() -> Integer", context=True)(age)
        operator(f"AgeIn{plural}At", "(Date) -> Integer", "(DateTime) -> Integer", context=True)(age_at)
        operator(f"CalculateAgeIn{plural}At", "(Date, Date) -> Integer", "(DateTime, DateTime) -> Integer")(
            calculate
        )
        operator(f"CalculateAgeIn{plural}", "(Date) -> Integer", "(DateTime) -> Integer", context=True)(
            calculate_now
        )


_register_ages()


# ------------------------------------------------------------------------------- terminology
def _codes(value: Any) -> list[Code]:
    if isinstance(value, Code):
        return [value]
    if isinstance(value, Concept):
        return list(value.codes)
    if isinstance(value, str):
        return [Code(value)]
    if isinstance(value, list):
        return [c for v in value if v is not None for c in _codes(v)]
    return []


def _any_member(ctx: Context, value: Any, valueset: ValueSetRef) -> bool | None:
    unknown = False
    for code in _codes(value):
        found = ctx.terminology.in_valueset(code, valueset)
        if found:
            return True
        if found is None:
            unknown = True
    return None if unknown else False


@operator(
    "In",
    "(Code, ValueSet) -> Boolean",
    "(Concept, ValueSet) -> Boolean",
    "(String, ValueSet) -> Boolean",
    "(List<Code>, ValueSet) -> Boolean",
    "(List<Concept>, ValueSet) -> Boolean",
    context=True,
    nulls="pass",
)
def in_valueset(ctx: Context, value: Any, valueset: ValueSetRef | None) -> bool | None:
    if value is None:
        return False
    if valueset is None:
        return None
    return _any_member(ctx, value, valueset)


@operator(
    "AnyInValueSet", "(List<Code>, ValueSet) -> Boolean", "(List<Concept>, ValueSet) -> Boolean", context=True
)
def any_in_valueset(ctx: Context, values: list[Any], valueset: ValueSetRef) -> bool | None:
    return _any_member(ctx, values, valueset)


@operator(
    "In",
    "(Code, CodeSystem) -> Boolean",
    "(Concept, CodeSystem) -> Boolean",
    "(String, CodeSystem) -> Boolean",
    context=True,
    nulls="pass",
)
def in_codesystem(ctx: Context, value: Any, codesystem: CodeSystemRef | None) -> bool | None:
    if value is None:
        return False
    if codesystem is None:
        return None
    results = [ctx.terminology.in_codesystem(c, codesystem) for c in _codes(value)]
    if any(results):
        return True
    return None if any(r is None for r in results) else False


@operator("ExpandValueSet", "(ValueSet) -> List<Code>", context=True)
def expand_valueset(ctx: Context, valueset: ValueSetRef) -> list[Code]:
    return list(ctx.terminology.expand(valueset))
