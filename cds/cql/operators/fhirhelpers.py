"""Python bindings of the built-in FHIRHelpers library's external functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models import FhirObject
from .conversion import fhir_code, fhir_concept, fhir_period, fhir_quantity, fhir_range, fhir_ratio


def _fhir(convert: Callable[[FhirObject], Any]) -> Callable[[Any], Any]:
    return lambda value: convert(value) if isinstance(value, FhirObject) else value


def _to_interval(value: Any) -> Any:
    if isinstance(value, FhirObject):
        return fhir_range(value) if value.type == "Range" else fhir_period(value)
    return value


def _identity(value: Any) -> Any:
    return value


EXTERNALS: dict[str, Callable[..., Any]] = {
    "FHIRHelpers.ToInterval": _to_interval,
    "FHIRHelpers.ToQuantity": _fhir(fhir_quantity),
    "FHIRHelpers.ToRatio": _fhir(fhir_ratio),
    "FHIRHelpers.ToCode": _fhir(fhir_code),
    "FHIRHelpers.ToConcept": _fhir(fhir_concept),
    **{
        f"FHIRHelpers.{name}": _identity
        for name in ("ToString", "ToBoolean", "ToDate", "ToDateTime", "ToTime", "ToDecimal", "ToInteger")
    },
}
