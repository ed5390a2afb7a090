"""What a medication record names and how it is given (cds/eligibility/drugs.py), the
prednisone-equivalent table (glucocorticoids.py) and the Medications.cql bindings (medications.py)."""

from __future__ import annotations

import doctest
from decimal import Decimal
from pathlib import Path
from typing import Any

from cds.content import content_dir
from cds.cql.models import FhirObject
from cds.cql.runtime import Context
from cds.cql.values.code import Code, Concept, ValueSetRef
from cds.cql.values.interval import Interval
from cds.cql.values.quantity import Quantity
from cds.eligibility import drugs, medications
from cds.eligibility.dosage import Strength
from cds.eligibility.glucocorticoids import FactorTable, factor_table
from cds.fhir.builder import ATC, RXNORM, SNOMED, PatientBuilder
from cds.fhir.terminology import ValueSetLibrary

MAPPINGS = content_dir("fhir_mappings")
TERMS = ValueSetLibrary.load(MAPPINGS / "valuesets")
CONTEXT = Context(None, TERMS)


def statement(**kwargs: Any) -> dict[str, Any]:
    return PatientBuilder("d").medication(**{"system": None, "code": None, "start": "2026-01-01", **kwargs})


def test_module_examples_hold() -> None:
    assert doctest.testmod(drugs).failed == 0


# ------------------------------------------------------------------------------------- concepts
def test_the_concept_is_the_medication_codeable_concept() -> None:
    s = statement(system=RXNORM, code="8640", display="prednisone", text="Prednisone 5 mg")
    concept = drugs.medication_concept(s)
    assert [(c.system, c.code, c.display) for c in concept.codes] == [(RXNORM, "8640", "prednisone")]
    assert concept.display == "Prednisone 5 mg"


def test_a_contained_medication_gives_the_concept_and_strength() -> None:
    s = statement()
    del s["medicationCodeableConcept"]
    s["medicationReference"] = {"reference": "#m"}
    s["contained"] = [
        {
            "resourceType": "Medication",
            "id": "m",
            "code": {"coding": [{"system": RXNORM, "code": "6902", "display": "methylprednisolone"}]},
            "ingredient": [
                {
                    "strength": {
                        "numerator": {"value": 4, "code": "mg"},
                        "denominator": {"value": 1, "code": "{tbl}"},
                    }
                }
            ],
        }
    ]
    assert drugs.label(drugs.medication_concept(s)) == "methylprednisolone"
    assert drugs.dose_inputs(s, None).strength == Strength(Decimal(4), Decimal(1), "1")


def test_a_reference_to_a_medication_that_is_not_contained_gives_its_display_only() -> None:
    s = statement()
    del s["medicationCodeableConcept"]
    s["medicationReference"] = {"reference": "Medication/x", "display": "Cellcept 500 mg"}
    concept = drugs.medication_concept(s)
    assert (concept.codes, concept.display) == ((), "Cellcept 500 mg")


# ---------------------------------------------------------------------------------------- names
def test_names_are_whole_words_longest_first() -> None:
    texts = ["Methylprednisolone sodium succinate"]
    assert drugs.names_found(texts, ("prednisolone", "methylprednisolone")) == ["methylprednisolone"]


def test_the_drug_key_is_the_ingredient_name_else_the_codes() -> None:
    names = ("prednisone", "amlodipine")
    assert (
        drugs.drug_key(Concept((Code("312617", RXNORM, None, "prednisone 5 MG Oral Tablet"),)), names)
        == "prednisone"
    )
    assert drugs.drug_key(Concept((Code("X1", "urn:local"),)), names) == "urn:local|X1"
    assert drugs.drug_key(Concept((), "Mystery Drug"), names) == "mystery drug"


# ---------------------------------------------------------------------------------------- route
def with_route(route: dict[str, Any] | None, text: str = "amoxicillin") -> dict[str, Any]:
    s = statement(text=text)
    if route is not None:
        s["dosage"] = [{"route": route}]
    return s


def test_local_routes_by_snomed_code_or_word() -> None:
    assert drugs.is_local_route(with_route({"coding": [{"system": SNOMED, "code": "6064005"}]})) is True
    assert drugs.is_local_route(with_route({"text": "inhaled"})) is True
    assert drugs.is_local_route(with_route({"text": "Ophthalmic use"})) is True


def test_subcutaneous_and_transdermal_are_systemic() -> None:
    assert drugs.is_local_route(with_route({"text": "Subcutaneous route"})) is False
    assert drugs.is_local_route(with_route({"text": "Transdermal"})) is False


def test_without_a_route_the_dosage_form_decides_or_nothing_does() -> None:
    assert drugs.is_local_route(with_route(None, "Fusidic acid 2% cream")) is True
    assert drugs.is_local_route(with_route(None, "amoxicillin 500 mg capsule")) is None


def test_route_text_is_the_text_else_a_display() -> None:
    assert (
        drugs.route_text(with_route({"coding": [{"system": SNOMED, "code": "26643006", "display": "Oral"}]}))
        == "Oral"
    )
    assert drugs.route_text(with_route(None)) is None


# ------------------------------------------------------------------------- prednisone equivalents
def test_the_table_finds_factors_by_rxnorm_atc_and_name() -> None:
    table = factor_table()
    assert table.factor(Concept((Code("6902", RXNORM),))) == Decimal("1.25")
    assert table.factor(Concept((Code("H02AB02", ATC),))) == Decimal("6.67")
    assert table.factor(Concept((), "Hydrocortisone 10 mg tablet")) == Decimal("0.25")
    assert table.factor(Concept((), "Depo-Medrol 40 mg/mL")) == Decimal("1.25")
    assert table.factor(Concept((Code("17767", RXNORM),), "amlodipine")) is None


def test_every_factor_of_the_yaml_file_is_read() -> None:
    table = FactorTable.from_yaml(
        {
            "drugs": [
                {"ingredient": "cortisone", "rxnorm": [], "atc": [], "factor": 0.2},
                {"ingredient": "x", "factor": 3},
            ]
        }
    )
    assert table.by_name == {"cortisone": Decimal("0.2"), "x": Decimal(3)}


def test_the_table_is_the_shipped_file() -> None:
    assert factor_table(Path(MAPPINGS / "glucocorticoid-equivalents.yaml")).by_rxnorm["3264"] == Decimal(
        "6.67"
    )


# ------------------------------------------------------------------------------------ bindings
def fhir(resource: dict[str, Any]) -> FhirObject:
    return FhirObject(resource["resourceType"], resource)


def test_matched_by_says_code_before_name() -> None:
    ccb = ValueSetRef("https://trialcds.org/fhir/ValueSet/med-ccb")
    coded = Concept((Code("C08CA05", ATC),), "Adalat")
    assert medications.matched_by(CONTEXT, coded, ccb) == "code"
    assert medications.matched_by(CONTEXT, Concept((), "Norvasc 5mg"), ccb) == "name"
    assert medications.matched_by(CONTEXT, Concept((), "Lipitor"), ccb) is None
    assert medications.matched_by(CONTEXT, Concept((), "Norvasc"), ValueSetRef("urn:unknown")) is None


def test_drug_key_knows_every_med_value_set_name() -> None:
    assert medications.drug_key(CONTEXT, Concept((), "Rituximab 1 g IV")) == "rituximab"


def test_dose_phases_read_the_weight_of_an_observation_quantity() -> None:
    s = statement(system=RXNORM, code="6902", dose=(10, "mg/kg"))
    # 154 lb = 69.85322498 kg (1 lb = 0.45359237 kg)
    weight = FhirObject(
        "Quantity", {"value": 154, "unit": "lb", "system": "http://unitsofmeasure.org", "code": "[lb_av]"}
    )
    span = Interval(None, None, False, True, "DateTime")
    (phase,) = medications.dose_phases(fhir(s), span, weight)
    assert phase["dailyDose"] == Quantity(Decimal("698.5322498"), "mg/d")


def test_bindings_answer_null_for_what_is_not_a_record() -> None:
    assert medications.medication_concept(None) is None
    assert medications.dose_phases("not a resource", None, None) == []
    assert medications.local_route(None) is None
    assert medications.prednisone_factor(None) is None


def test_prednisone_factor_binding_reads_the_table() -> None:
    assert medications.prednisone_factor(Concept((Code("1514", RXNORM),))) == Decimal("8.33")
