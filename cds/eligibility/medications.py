"""Python bindings of fhir_mappings/Medications.cql's `external` functions, registered in externals.py.
Each is here because CQL is the wrong tool for it: turning one FHIR medication record into uses (JSON
plumbing through contained Medications and reasonReference, and FHIR Dosage parsed into a daily dose:
unit arithmetic over many optional fields and free text), matching the value sets' ingredient-name
lists as words (terminology files CQL cannot read), and the prednisone-equivalent table (YAML).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..cql import external
from ..cql.models import FhirObject
from ..cql.runtime import Context, RetrieveRequest
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
def matched_by(ctx: Context, concept: Any, valueset: Any) -> str | None:
    """Medications.MatchedBy(concept, vs): 'code' when a coding is in the value set, else 'name' when
    the concept's text or a display names one of the set's `ingredient-name`s as a whole word (lists
    in the terminology files), else null."""
    terminology = ctx.terminology
    if not isinstance(concept, Concept) or not isinstance(valueset, ValueSetRef):
        return None
    if not isinstance(terminology, ValueSetLibrary):
        return "code" if any(terminology.in_valueset(c, valueset) for c in concept.codes) else None
    # Every Uses(vs) call asks this of every record: remembered per medication and value set.
    how: str | None = _remembered(
        terminology, (_concept_key(concept), valueset.id), _matched_by, concept, valueset
    )
    return how


def _concept_key(concept: Concept) -> tuple[Any, ...]:
    return (tuple((c.system, c.code) for c in concept.codes), tuple(drugs.concept_texts(concept)))


_CACHE_SIZE = 100_000


@functools.lru_cache(maxsize=4)
def _cache(terminology: ValueSetLibrary) -> dict[tuple[Any, ...], Any]:
    return {}


def _remembered(
    terminology: ValueSetLibrary, key: tuple[Any, ...], compute: Callable[..., Any], *args: Any
) -> Any:
    """compute(terminology, *args), remembered per terminology under `key` (the answers depend only
    on the medication's codes and texts and the value sets)."""
    cache = _cache(terminology)
    if key not in cache:
        if len(cache) > _CACHE_SIZE:
            cache.clear()
        cache[key] = compute(terminology, *args)
    return cache[key]


def _matched_by(terminology: ValueSetLibrary, concept: Concept, valueset: ValueSetRef) -> str | None:
    if any(terminology.in_valueset(code, valueset) for code in concept.codes):
        return "code"
    entry = terminology.entry(valueset.id)
    if entry is not None and drugs.named_in(concept, entry.ingredient_names):
        return "name"
    return None


@functools.lru_cache(maxsize=8)
def _all_ingredient_names(terminology: ValueSetLibrary) -> tuple[str, ...]:
    names = {n for entry in terminology.by_url.values() for n in entry.ingredient_names}
    return tuple(sorted(names))


@external(context=True)
def drug_key(ctx: Context, concept: Any) -> str | None:
    """Medications.DrugKey(concept): what makes two records the same drug (the ingredient name their
    text carries, among every med- value set's names; else their codes)."""
    terminology = ctx.terminology
    if not isinstance(concept, Concept) or not isinstance(terminology, ValueSetLibrary):
        return drugs.drug_key(concept, ()) if isinstance(concept, Concept) else None
    key: str = _remembered(terminology, (_concept_key(concept), "drug"), _drug_key, concept)
    return key


def _drug_key(terminology: ValueSetLibrary, concept: Concept) -> str:
    return drugs.drug_key(concept, _all_ingredient_names(terminology))


def _kilograms(weight: Any) -> Decimal | None:
    """A body weight (an Observation's FHIR Quantity, or a CQL one) in kg; None if not a mass."""
    if isinstance(weight, FhirObject):
        value, unit = weight.data.get("value"), unit_of(weight.data)
        weight = Quantity(Decimal(str(value)), unit) if value is not None and unit else None
    if not isinstance(weight, Quantity) or weight.unit == "1" or not ucum.is_commensurable(weight.unit, "kg"):
        return None
    return ucum.convert(weight.value, weight.unit, "kg")


def _conditions(ctx: Context) -> list[dict[str, Any]]:
    found = ctx.data.retrieve(RetrieveRequest("Condition"), ctx.terminology)
    return [c.data for c in found if isinstance(c, FhirObject)]


@external(context=True)
def uses_of(ctx: Context, resource: Any, period: Any, active: Any, weight: Any) -> list[dict[str, Any]]:
    """Medications.UsesOf(resource, period, active, weight): one MedicationStatement or
    MedicationRequest as uses, one per dosing phase: its concept, name, route, reasons (following
    reasonReference to the record's Conditions) and daily dose. One call per record instead of a
    dozen small CQL queries over optional elements."""
    data = _data(resource)
    if data is None:
        return []
    concept = drugs.medication_concept(data)
    reasons, reason_text = drugs.reasons(data, _conditions(ctx) if data.get("reasonReference") else [])
    shared = {
        "reference": resource.reference,
        "name": drugs.label(concept) or "medication",
        "concept": concept,
        "active": active,
        "route": drugs.route_text(data),
        "reasons": reasons,
        "reasonText": reason_text,
        "resource": resource,
    }
    return [
        {**shared, "period": phase["period"], "dailyDose": phase["dailyDose"]}
        for phase in dose_phases(resource, period, weight, concept)
    ]


def dose_phases(
    resource: Any, period: Any, weight: Any, concept: Concept | None = None
) -> list[dict[str, Any]]:
    """The dosing phases of a MedicationStatement or MedicationRequest, each {period, dailyDose}; one
    phase over `period` unless the dosages' bounds say otherwise."""
    data = _data(resource)
    if data is None:
        return []
    span = period if isinstance(period, Interval) else None
    dosages = data.get("dosage") or data.get("dosageInstruction") or []
    inputs = drugs.dose_inputs(data, _kilograms(weight), concept)
    return [{"period": p.period, "dailyDose": p.daily} for p in phases(dosages, span, inputs)]


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
    "Medications.UsesOf": uses_of,
    "Medications.MatchedBy": matched_by,
    "Medications.DrugKey": drug_key,
    "Medications.LocalRoute": local_route,
    "Medications.PrednisoneFactor": prednisone_factor,
}
