"""Retrieves through the data-source interface, and queries over what they return."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cds.cql import compile_library, evaluate
from cds.cql.memory import InMemoryDataSource, InMemoryTerminology
from cds.cql.runtime import RetrieveRequest
from cds.cql.values.code import Code
from cds.cql.values.quantity import Quantity

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
HEADER = (
    "library T\nusing FHIR version '4.0.1'\ninclude FHIRHelpers version '4.0.1'\n"
    "codesystem \"SNOMED\": 'http://snomed.info/sct'\n"
    "valueset \"SLE\": 'https://trialcds.org/fhir/ValueSet/dx-sle'\n"
    'code "Hb": \'718-7\' from "LOINC"\ncodesystem "LOINC": \'http://loinc.org\'\n'
    "context Patient\n"
)

RECORD: list[dict[str, Any]] = [
    {"resourceType": "Patient", "id": "p1", "birthDate": "1980-05-20", "gender": "female"},
    {
        "resourceType": "Condition",
        "id": "c1",
        "clinicalStatus": {"coding": [{"code": "active"}]},
        "code": {"coding": [{"system": SNOMED, "code": "55464009"}], "text": "SLE"},
        "onsetDateTime": "2020-03-01",
    },
    {
        "resourceType": "Condition",
        "id": "c2",
        "code": {"coding": [{"system": SNOMED, "code": "38341003"}]},
    },
    {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "718-7"}]},
        "effectiveDateTime": "2026-10-02",
        "valueQuantity": {
            "value": Decimal("11.2"),
            "unit": "g/dL",
            "system": "http://unitsofmeasure.org",
            "code": "g/dL",
        },
    },
    {
        "resourceType": "Observation",
        "id": "o2",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "718-7"}]},
        "effectiveDateTime": "2026-06-01",
        "valueQuantity": {"value": 9, "unit": "g/dL", "system": "http://unitsofmeasure.org", "code": "g/dL"},
    },
]
TERMS = InMemoryTerminology({"https://trialcds.org/fhir/ValueSet/dx-sle": [Code("55464009", SNOMED)]})


def run(body: str) -> dict[str, Any]:
    library = compile_library(HEADER + body)
    return evaluate(library, InMemoryDataSource(RECORD), TERMS, as_of="2026-11-01")


def test_retrieve_by_value_set_returns_only_members() -> None:
    results = run('define SLEConditions: [Condition: "SLE"]')
    assert [c.data["id"] for c in results["SLEConditions"]] == ["c1"]


def test_retrieve_by_code_filters_the_code_path() -> None:
    results = run('define HbObs: [Observation: "Hb"]')
    assert sorted(o.data["id"] for o in results["HbObs"]) == ["o1", "o2"]


def test_patient_context_value_and_age() -> None:
    results = run("define G: Patient.gender\ndefine Age: AgeInYears()")
    assert results == {"G": "female", "Age": 46}


def test_choice_element_casts_and_implicit_fhir_conversion() -> None:
    body = (
        'define Latest: First([Observation: "Hb"] O sort by effective desc)\n'
        "define V: Latest.value as Quantity\n"
        "define Low: (Latest.value as Quantity) < 12 'g/dL'\n"
    )
    results = run(body)
    assert results["V"] == Quantity(Decimal("11.2"), "g/dL")
    assert results["Low"] is True


def test_query_with_where_return_and_let() -> None:
    body = (
        "define Values: [Observation: \"Hb\"] O let v: O.value as Quantity where v > 10 'g/dL' return v.value"
    )
    assert run(body)["Values"] == [Decimal("11.2")]


def test_with_and_without_relate_two_sources() -> None:
    body = (
        'define WithObs: [Condition: "SLE"] C with [Observation: "Hb"] O such that O.effective after C.onset\n'
        'define WithoutObs: [Condition: "SLE"] C without [Observation: "Hb"] O such that O.status = \'final\'\n'
    )
    results = run(body)
    assert [c.data["id"] for c in results["WithObs"]] == ["c1"]
    assert results["WithoutObs"] == []


def test_onset_datetime_reads_as_a_day_precision_datetime() -> None:
    results = run('define Onset: First([Condition: "SLE"]).onset')
    assert str(results["Onset"]) == "2020-03-01"


def test_codeable_concept_is_equivalent_to_a_code() -> None:
    results = run("define Match: exists ([Condition] C where C.code ~ Code '55464009' from \"SNOMED\")")
    assert results["Match"] is True


def test_data_source_receives_the_retrieve_details() -> None:
    seen: list[RetrieveRequest] = []

    class Recording:
        def retrieve(self, request: RetrieveRequest, terminology: Any) -> list[Any]:
            seen.append(request)
            return []

    library = compile_library(HEADER + 'define SLEConditions: [Condition: code in "SLE"]')
    evaluate(library, Recording(), TERMS)
    assert seen[0].type == "Condition" and seen[0].code_path == "code" and seen[0].comparator == "in"
    assert seen[0].valueset is not None and seen[0].valueset.id.endswith("dx-sle")


def test_multi_source_query_builds_tuples_and_sorts() -> None:
    body = "define P: from ({1, 2}) A, ({10, 20}) B return A + B sort desc"
    assert run(body)["P"] == [22, 21, 12, 11]


def test_sort_key_may_name_the_alias_of_a_single_source_query() -> None:
    # Regression: the alias used to read the last row the query visited, so every key was equal.
    body = (
        "define Onsets: [Condition] C sort by Coalesce(C.onset as DateTime, @1900-01-01T) desc\n"
        "define Ids: Onsets O return O.id\n"
    )
    assert run(body)["Ids"] == ["c1", "c2"]
    body = "define Asc: ([Condition] C sort by Coalesce(C.onset as DateTime, @1900-01-01T)) O return O.id"
    assert run(body)["Asc"] == ["c2", "c1"]


def test_a_value_set_retrieve_reads_the_data_once_per_evaluation() -> None:
    seen: list[RetrieveRequest] = []
    source = InMemoryDataSource(RECORD)

    class Recording:
        def retrieve(self, request: RetrieveRequest, terminology: Any) -> Any:
            seen.append(request)
            return source.retrieve(request, terminology)

    text = (
        "define function Of(vs ValueSet): [Condition: code in vs] C return C.id\n"
        'define A: Of("SLE")\ndefine B: Of("SLE")\ndefine Same: Of("SLE") = A\n'
        'define H1: [Observation: "Hb"] O return O.id\ndefine H2: [Observation: "Hb"] O return O.id\n'
    )
    library = compile_library(HEADER + text)
    results = evaluate(library, Recording(), TERMS, as_of="2026-11-01")
    # The same answers as a data source read each time, the value set read once; codes each time.
    assert results == evaluate(library, source, TERMS, as_of="2026-11-01")
    assert results["A"] == results["B"] == ["c1"] and results["Same"] is True
    assert sorted(results["H1"]) == sorted(results["H2"]) == ["o1", "o2"]
    assert [r.valueset is not None for r in seen] == [True, False, False]
    # A new evaluation reads again.
    evaluate(library, Recording(), TERMS, as_of="2026-11-01")
    assert len(seen) == 6
