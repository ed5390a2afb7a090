"""Python bindings of fhir_mappings/Medications.cql's `external` functions, registered in externals.py.
Each is here because CQL is the wrong tool for it: reading the value sets' ingredient-name lists
(terminology files CQL cannot read) and matching them as words, parsing FHIR Dosage into a daily dose
(unit arithmetic over many optional fields and free text), and the prednisone-equivalent table (YAML).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..cql import external
from ..cql.models import FhirObject
from ..cql.runtime import Context
from ..cql.values import ucum
from ..cql.values.code import Concept, ValueSetRef
from ..cql.values.interval import Interval
from ..cql.values.quantity import Quantity
from ..fhir.terminology import ValueSetLibrary
from . import drugs
from .dosage import phases, unit_of
from .glucocorticoids import factor_table


def _data(resource: Any) -> dict[str, Any] | None:
    return resource.data if isinstance(resource, FhirObject) else None


@external()
def medication_concept(resource: Any) -> Concept | None:
    """Medications.MedicationConcept(resource): the codes and text of what was given, also through a
    contained Medication (JSON references CQL cannot follow)."""
    data = _data(resource)
    return drugs.medication_concept(data) if data is not None else None


@external(context=True)
def named_in(ctx: Context, concept: Any, valueset: Any) -> bool | None:
    """Medications.NamedIn(concept, vs): the concept's text or a display names one of the value set's
    `ingredient-name`s as a whole word. Null when the value set is unknown."""
    terminology = ctx.terminology
    if not isinstance(concept, Concept) or not isinstance(valueset, ValueSetRef):
        return None
    entry = terminology.entry(valueset.id) if isinstance(terminology, ValueSetLibrary) else None
    if entry is None:
        return None
    return drugs.named_in(concept, entry.ingredient_names)


@functools.lru_cache(maxsize=8)
def _all_ingredient_names(terminology: ValueSetLibrary) -> tuple[str, ...]:
    names = {n for entry in terminology.by_url.values() for n in entry.ingredient_names}
    return tuple(sorted(names))


@external(context=True)
def drug_key(ctx: Context, concept: Any) -> str | None:
    """Medications.DrugKey(concept): what makes two records the same drug (the ingredient name their
    text carries, among every med- value set's names; else their codes)."""
    if not isinstance(concept, Concept):
        return None
    terminology = ctx.terminology
    names = _all_ingredient_names(terminology) if isinstance(terminology, ValueSetLibrary) else ()
    return drugs.drug_key(concept, names)


def _kilograms(weight: Any) -> Decimal | None:
    """A body weight (an Observation's FHIR Quantity, or a CQL one) in kg; None if not a mass."""
    if isinstance(weight, FhirObject):
        value, unit = weight.data.get("value"), unit_of(weight.data)
        weight = Quantity(Decimal(str(value)), unit) if value is not None and unit else None
    if not isinstance(weight, Quantity) or weight.unit == "1" or not ucum.is_commensurable(weight.unit, "kg"):
        return None
    return ucum.convert(weight.value, weight.unit, "kg")


@external()
def dose_phases(resource: Any, period: Any, weight: Any) -> list[dict[str, Any]]:
    """Medications.DosePhases(resource, period, weight): the dosing phases of a MedicationStatement or
    MedicationRequest, each {period, dailyDose}; one phase over `period` unless the dosages' bounds
    say otherwise."""
    data = _data(resource)
    if data is None:
        return []
    span = period if isinstance(period, Interval) else None
    dosages = data.get("dosage") or data.get("dosageInstruction") or []
    inputs = drugs.dose_inputs(data, _kilograms(weight))
    return [{"period": p.period, "dailyDose": p.daily} for p in phases(dosages, span, inputs)]


@external()
def route(resource: Any) -> str | None:
    """Medications.Route(resource): the route's text or display (first dosage that has one)."""
    data = _data(resource)
    return drugs.route_text(data) if data is not None else None


@external()
def local_route(resource: Any) -> bool | None:
    """Medications.LocalRoute(resource): topical / ophthalmic / otic / nasal / inhaled by the route's
    code or words, or with no route by the dosage form in the name (cream, eye drops, inhaler)."""
    data = _data(resource)
    return drugs.is_local_route(data) if data is not None else None


@external()
def prednisone_factor(concept: Any) -> Decimal | None:
    """Medications.PrednisoneFactor(concept): mg prednisone per mg of this glucocorticoid
    (glucocorticoid-equivalents.yaml); null when it is not one the table knows."""
    return factor_table().factor(concept) if isinstance(concept, Concept) else None


MEDICATION_EXTERNALS: dict[str, Callable[..., Any]] = {
    "Medications.MedicationConcept": medication_concept,
    "Medications.NamedIn": named_in,
    "Medications.DrugKey": drug_key,
    "Medications.DosePhases": dose_phases,
    "Medications.Route": route,
    "Medications.LocalRoute": local_route,
    "Medications.PrednisoneFactor": prednisone_factor,
}
