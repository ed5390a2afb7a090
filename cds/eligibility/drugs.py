"""What a medication record names and how it is given: the medication's codes and text (also through
a contained Medication), ingredient names found in that text (the last-resort match of CRITERIA.md
rule 7), and whether a route or dosage form is local (skin, eye, airways) rather than systemic.

    >>> from cds.cql.values.code import Concept
    >>> named_in(Concept((), "Adalat retard 30 mg"), ("nifedipine", "adalat"))
    True
    >>> named_in(Concept((), "prednisolone eye drops"), ("prednisone",))
    False
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..cql.values.code import Code, Concept
from .dosage import DoseInputs, Strength, ratio_strength

Json = dict[str, Any]
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"

# SNOMED CT route concepts that act where applied (FHIR's example route-codes value set).
_LOCAL_ROUTE_CODES = {
    "6064005",  # Topical route
    "10547007",  # Otic route
    "46713006",  # Nasal route
    "54485002",  # Ophthalmic route
}
# Words of a route or a dosage form that act where applied. "subcutaneous" and "transdermal"
# (systemic) do not match: a word must start at a word boundary.
_LOCAL_WORDS = re.compile(
    r"(?<![a-z])(topical\w*|cutaneous|skin|dermal|ophthalmic|ocular|eyes?|conjunctival|inhal\w*|"
    r"respiratory|nasal|intranasal|nebuli[sz]\w*|otic|auricular|ears?)(?![a-z])",
    re.IGNORECASE,
)
_LOCAL_FORMS = re.compile(
    r"(?<![a-z])(cream|ointment|lotion|gel|eye drops?|ear drops?|nasal spray|inhaler|"
    r"ophthalmic|topical|shampoo|foam|nebuli[sz]er)(?![a-z])",
    re.IGNORECASE,
)


# ------------------------------------------------------------------------------------ medication
def contained_medication(resource: Json) -> Json | None:
    """The Medication a `medicationReference` of "#id" points to inside the resource."""
    ref = resource.get("medicationReference")
    target = ref.get("reference") if isinstance(ref, dict) else None
    if not isinstance(target, str) or not target.startswith("#"):
        return None
    for item in resource.get("contained") or ():
        if (
            isinstance(item, dict)
            and item.get("resourceType") == "Medication"
            and item.get("id") == target[1:]
        ):
            return item
    return None


def medication_concept(resource: Json) -> Concept:
    """The codes and text of what was given: medicationCodeableConcept, else the contained
    Medication's code, with the reference's display as text when nothing else names it."""
    concept = resource.get("medicationCodeableConcept")
    if not isinstance(concept, dict):
        medication = contained_medication(resource)
        code = medication.get("code") if medication else None
        concept = code if isinstance(code, dict) else {}
    found = concept_of(concept)
    ref = resource.get("medicationReference")
    if found.display is None and isinstance(ref, dict) and isinstance(ref.get("display"), str):
        return Concept(found.codes, ref["display"])
    return found


def concept_texts(concept: Concept) -> list[str]:
    """The text and code displays of a concept, the words a name match reads."""
    texts = [concept.display] if concept.display else []
    return texts + [c.display for c in concept.codes if c.display]


def label(concept: Concept) -> str | None:
    """A readable name: the text, else a display, else a code."""
    texts = concept_texts(concept)
    if texts:
        return texts[0]
    return next((f"{c.system or ''}|{c.code}" for c in concept.codes if c.code), None)


def dose_inputs(resource: Json, weight_kg: Any, concept: Concept | None = None) -> DoseInputs:
    """The weight and the product strength (a contained Medication's single ingredient, else the
    strength its name states) a dose in kg or in tablets needs."""
    strength: Strength | None = None
    medication = contained_medication(resource)
    ingredients = [i for i in (medication or {}).get("ingredient") or () if isinstance(i, dict)]
    if len(ingredients) == 1 and isinstance(ingredients[0].get("strength"), dict):
        strength = ratio_strength(ingredients[0]["strength"])
    names = concept_texts(concept or medication_concept(resource))
    return DoseInputs(weight_kg, strength, tuple(names))


# ---------------------------------------------------------------------------------------- names
@functools.lru_cache(maxsize=512)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)  # "methylprednisolone" before "prednisolone"
    alternatives = "|".join(re.escape(n) for n in ordered)
    return re.compile(rf"(?<![a-z0-9])({alternatives})(?![a-z0-9])", re.IGNORECASE)


def names_found(texts: Iterable[str], names: Sequence[str]) -> list[str]:
    """The names (lower case) that occur as whole words in the texts, longest first."""
    pattern = _names_pattern(tuple(names))
    if pattern is None:
        return []
    found = {m.group(1).lower() for text in texts for m in pattern.finditer(text)}
    return sorted(found, key=lambda n: (-len(n), n))


def named_in(concept: Concept, names: Sequence[str]) -> bool:
    """Does the concept's text or a display name one of the ingredients?"""
    return bool(names_found(concept_texts(concept), names))


def drug_key(concept: Concept, names: Sequence[str]) -> str:
    """What makes two records the same drug: the ingredient name their text carries, else their
    RxNorm / other codes, else their text."""
    found = names_found(concept_texts(concept), names)
    if found:
        return found[0]
    codes = sorted(f"{c.system}|{c.code}" for c in concept.codes if c.code)
    if codes:
        return " ".join(codes)
    return (concept.display or "").strip().lower()


# -------------------------------------------------------------------------------------- reasons
def concept_of(codeable: Json) -> Concept:
    """A FHIR CodeableConcept as a CQL Concept."""
    codes = tuple(
        Code(c.get("code"), c.get("system"), c.get("version"), c.get("display"))
        for c in codeable.get("coding") or ()
        if isinstance(c, dict)
    )
    text = codeable.get("text")
    return Concept(codes, text if isinstance(text, str) else None)


def referenced(resource: Json, conditions: Sequence[Json]) -> list[Json]:
    """The Conditions the record's reasonReference names ("Condition/id", or a URL ending so)."""
    targets = [
        r["reference"]
        for r in resource.get("reasonReference") or ()
        if isinstance(r, dict) and isinstance(r.get("reference"), str)
    ]
    return [c for c in conditions if any(t.endswith(f"Condition/{c.get('id')}") for t in targets)]


def reasons(resource: Json, conditions: Sequence[Json]) -> tuple[list[Concept], str | None]:
    """Why it was given: the reasonCode concepts and the codes of the Conditions reasonReference names,
    and their texts (text, else a display; a reference's display) joined by '; ', None if none."""
    codeables = [c for c in resource.get("reasonCode") or () if isinstance(c, dict)]
    codeables += [c["code"] for c in referenced(resource, conditions) if isinstance(c.get("code"), dict)]
    concepts = [concept_of(c) for c in codeables]
    texts: list[Any] = [next(iter(concept_texts(c)), None) for c in concepts]
    texts += [r.get("display") for r in resource.get("reasonReference") or () if isinstance(r, dict)]
    unique = list(dict.fromkeys(t for t in texts if isinstance(t, str) and t))
    return concepts, "; ".join(unique) or None


# ---------------------------------------------------------------------------------------- route
def _dosages(resource: Json) -> list[Json]:
    items = resource.get("dosage") or resource.get("dosageInstruction") or ()
    return [d for d in items if isinstance(d, dict)]


def route_concept(resource: Json) -> Json | None:
    """The route of the first Dosage that records one."""
    for dosage in _dosages(resource):
        if isinstance(dosage.get("route"), dict):
            return dict(dosage["route"])
    return None


def route_text(resource: Json) -> str | None:
    route = route_concept(resource)
    if route is None:
        return None
    texts = [route.get("text")] + [c.get("display") or c.get("code") for c in route.get("coding") or ()]
    return next((t for t in texts if isinstance(t, str) and t), None)


def is_local_route(resource: Json) -> bool | None:
    """True when the route (or, with no route, the dosage form in the medication's name) is topical,
    ophthalmic, otic, nasal or inhaled; False for any other recorded route; None when neither says."""
    route = route_concept(resource)
    if route is not None:
        codes = {c.get("code") for c in route.get("coding") or () if c.get("system") == SNOMED}
        if codes & _LOCAL_ROUTE_CODES:
            return True
        texts = [route.get("text")] + [c.get("display") for c in route.get("coding") or ()]
        return any(isinstance(t, str) and _LOCAL_WORDS.search(t) for t in texts)
    names = concept_texts(medication_concept(resource))
    if any(_LOCAL_FORMS.search(t) for t in names):
        return True
    return None
