"""Fast structural checks of FHIR R4 resources: the elements the engine reads have the JSON shapes
FHIR gives them. A resource that fails is skipped with a warning naming it and why.

Why not validate every resource with fhir.resources? Measured on this project's hardware: a
fhir.resources (R4B) `Observation.model_validate` costs 145 us, `json.loads` of the same resource
5 us; for a 300-resource patient that is 44 ms per patient (about 23 patients/s) before any CQL runs,
against the 200 patients/s the screening target needs. So these checks run always, and full model
validation (`validation.py`) is opt-in (`trialcds evaluate --validate`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..cql.values import temporal

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")
# CQL's Decimal: 28 significant digits, so nothing at or above 10^28 (TERMINOLOGY and CQL 1.5 Types).
_DECIMAL_LIMIT = Decimal(10) ** 28
_DECIMAL_PLACES = 28
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")

Check = Callable[[Any], str | None]


def _str(v: Any) -> str | None:
    return None if isinstance(v, str) else "must be a string"


def _date(v: Any) -> str | None:
    if not isinstance(v, str) or not _DATE.match(v):
        return "must be a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)"
    return _date_text(v)


# Records repeat their dates (and repeat calls repeat whole records): a string is parsed once.
@lru_cache(maxsize=8192)
def _date_text(v: str) -> str | None:
    try:
        if temporal.parse_date(v) is None:
            return "is not a valid date"
    except temporal.TemporalError as exc:
        return f"is not a valid date ({exc})"
    return None


def _datetime(v: Any) -> str | None:
    if not isinstance(v, str) or not _DATETIME.match(v):
        return "must be a FHIR dateTime"
    return _datetime_text(v)


@lru_cache(maxsize=8192)
def _datetime_text(v: str) -> str | None:
    try:
        parsed = temporal.parse_datetime(v if "T" in v else v + "T")
    except temporal.TemporalError as exc:
        return f"is not a valid dateTime ({exc})"
    return None if parsed is not None else "is not a valid dateTime"


def _coding(v: Any) -> str | None:
    if not isinstance(v, dict):
        return "must be a Coding object"
    for key in ("system", "code", "display"):
        if key in v and not isinstance(v[key], str):
            return f"{key} must be a string"
    return None


def _concept(v: Any) -> str | None:
    if not isinstance(v, dict):
        return "must be a CodeableConcept object"
    codings = v.get("coding", [])
    if not isinstance(codings, list):
        return "coding must be a list"
    for c in codings:
        problem = _coding(c)
        if problem:
            return f"coding {problem}"
    if "text" in v and not isinstance(v["text"], str):
        return "text must be a string"
    return None


def _concepts(v: Any) -> str | None:
    if not isinstance(v, list):
        return "must be a list"
    return next((p for p in map(_concept, v) if p), None)


def _quantity(v: Any) -> str | None:
    if not isinstance(v, dict):
        return "must be a Quantity object"
    value = v.get("value")
    if value is not None and (problem := _number(value)):
        return f"value {problem}"
    for key in ("unit", "code", "system", "comparator"):
        if key in v and not isinstance(v[key], str):
            return f"{key} must be a string"
    return None


def _fits_decimal(value: int | float | Decimal) -> bool:
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return False  # NaN and infinities (Python's json reads NaN and Infinity)
    # A float by its shortest text (2.1, not the binary 2.100000000000000088...): records built in
    # Python, not read from JSON, may hold floats.
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    places = number.as_tuple().exponent
    # Places as well as digits: 1E-999999999999 is a short text, but written out as ToString does it
    # is a trillion zeros.
    return abs(number) < _DECIMAL_LIMIT and isinstance(places, int) and places >= -_DECIMAL_PLACES


def _period(v: Any) -> str | None:
    if not isinstance(v, dict):
        return "must be a Period object"
    for key in ("start", "end"):
        if key in v:
            problem = _datetime(v[key])
            if problem:
                return f"{key} {problem}"
    if "start" in v and "end" in v and _period_order(v["start"], v["end"]) == 1:
        return "end is before start (FHIR per-1)"
    return None


@lru_cache(maxsize=8192)
def _period_order(start: str, end: str) -> int | None:
    """1 when start is after end; None when their precisions overlap (2026-01 against 2026-01-15)."""
    first = temporal.parse_datetime(start if "T" in start else start + "T")
    last = temporal.parse_datetime(end if "T" in end else end + "T")
    return None if first is None or last is None else temporal.compare(first, last)


def _reference(v: Any) -> str | None:
    if not isinstance(v, dict):
        return "must be a Reference object"
    return None if isinstance(v.get("reference", ""), str) else "reference must be a string"


def _number(v: Any) -> str | None:
    if not isinstance(v, int | float | Decimal) or isinstance(v, bool):
        return "must be a number"
    return None if _fits_decimal(v) else "is beyond what a decimal holds (28 digits, 28 places)"


def _strs(v: Any) -> str | None:
    return None if isinstance(v, list) and all(isinstance(x, str) for x in v) else "must be a list of strings"


def _members(v: Any, checks: dict[str, Check], what: str) -> str | None:
    """An object whose listed members, where present, pass their checks."""
    if not isinstance(v, dict):
        return f"must be a{'n' if what[0] in 'AEIOU' else ''} {what} object"
    for key, check in checks.items():
        if key in v:
            found = check(v[key])
            if found:
                return f"{key} {found}"
    return None


def _each(check: Check) -> Check:
    def each(v: Any) -> str | None:
        if not isinstance(v, list):
            return "must be a list"
        return next((f"[{n}] {p}" for n, x in enumerate(v) if (p := check(x))), None)

    return each


# Dosage (R4 BackboneType): what cds/eligibility/dosage.py reads for daily doses, phases and routes.
_RANGE: dict[str, Check] = {"low": _quantity, "high": _quantity}
_RATIO: dict[str, Check] = {"numerator": _quantity, "denominator": _quantity}
_REPEAT: dict[str, Check] = {
    "frequency": _number,
    "frequencyMax": _number,
    "period": _number,
    "periodUnit": _str,
    "when": _strs,
    "timeOfDay": _strs,
    "boundsPeriod": _period,
    "boundsDuration": _quantity,
}
_TIMING: dict[str, Check] = {"repeat": lambda v: _members(v, _REPEAT, "Timing.repeat"), "code": _concept}
_DOSE_AND_RATE: dict[str, Check] = {
    "type": _concept,
    "doseQuantity": _quantity,
    "doseRange": lambda v: _members(v, _RANGE, "Range"),
    "rateQuantity": _quantity,
    "rateRatio": lambda v: _members(v, _RATIO, "Ratio"),
    "rateRange": lambda v: _members(v, _RANGE, "Range"),
}
_DOSAGE: dict[str, Check] = {
    "text": _str,
    "sequence": _number,
    "route": _concept,
    "timing": lambda v: _members(v, _TIMING, "Timing"),
    "doseAndRate": _each(lambda v: _members(v, _DOSE_AND_RATE, "doseAndRate")),
}
_dosages = _each(lambda v: _members(v, _DOSAGE, "Dosage"))
_references = _each(_reference)

# Observation parts that cds/eligibility/uln.py and the lung-function and score mappings read.
_REFERENCE_RANGE: dict[str, Check] = {
    "low": _quantity,
    "high": _quantity,
    "type": _concept,
    "appliesTo": _concepts,
    "text": _str,
}
_COMPONENT: dict[str, Check] = {
    "code": _concept,
    "valueQuantity": _quantity,
    "valueCodeableConcept": _concept,
    "valueString": _str,
    "valueInteger": _number,
    "interpretation": _concepts,
}

# Element checks per resource type: only what the engine reads. Choice elements are checked per key.
_COMMON: dict[str, Check] = {
    "id": lambda v: None if isinstance(v, str) and _ID.match(v) else "is not a FHIR id"
}
_CHECKS: dict[str, dict[str, Check]] = {
    "Patient": {"birthDate": _date, "gender": _str, "deceasedDateTime": _datetime},
    "Condition": {
        "code": _concept,
        "clinicalStatus": _concept,
        "verificationStatus": _concept,
        "onsetDateTime": _datetime,
        "onsetPeriod": _period,
        "abatementDateTime": _datetime,
        "abatementPeriod": _period,
        "recordedDate": _datetime,
        "bodySite": _concepts,
        "subject": _reference,
    },
    "Observation": {
        "status": _str,
        "code": _concept,
        "effectiveDateTime": _datetime,
        "effectivePeriod": _period,
        "issued": _datetime,
        "valueQuantity": _quantity,
        "valueCodeableConcept": _concept,
        "valueString": _str,
        "valueInteger": _number,
        "interpretation": _concepts,
        "referenceRange": _each(lambda v: _members(v, _REFERENCE_RANGE, "referenceRange")),
        "component": _each(lambda v: _members(v, _COMPONENT, "component")),
        "subject": _reference,
    },
    "MedicationStatement": {
        "status": _str,
        "medicationCodeableConcept": _concept,
        "effectiveDateTime": _datetime,
        "effectivePeriod": _period,
        "dateAsserted": _datetime,
        "reasonCode": _concepts,
        "reasonReference": _references,
        "dosage": _dosages,
        "subject": _reference,
    },
    "MedicationRequest": {
        "status": _str,
        "intent": _str,
        "medicationCodeableConcept": _concept,
        "authoredOn": _datetime,
        "reasonCode": _concepts,
        "reasonReference": _references,
        "dosageInstruction": _dosages,
        "subject": _reference,
    },
    "Procedure": {
        "status": _str,
        "code": _concept,
        "performedDateTime": _datetime,
        "performedPeriod": _period,
        "subject": _reference,
    },
    "Immunization": {
        "status": _str,
        "vaccineCode": _concept,
        "occurrenceDateTime": _datetime,
        "patient": _reference,
    },
    "AllergyIntolerance": {
        "code": _concept,
        "criticality": _str,
        "clinicalStatus": _concept,
        "verificationStatus": _concept,
        "patient": _reference,
    },
}


def problem(resource: Any) -> str | None:
    """Why the resource cannot be used, or None when its shape is fine."""
    if not isinstance(resource, dict):
        return "is not a JSON object"
    rtype = resource.get("resourceType")
    if not isinstance(rtype, str) or not rtype:
        return "has no resourceType"
    checks = _CHECKS.get(rtype, {})
    for key, value in resource.items():
        check = checks.get(key) or _COMMON.get(key)
        if check is not None:
            found = check(value)
            if found:
                return f"{key} {found}"
    return None
