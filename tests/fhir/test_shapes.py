"""Shape checks: a resource whose elements the engine reads have the wrong JSON shape is skipped
(and named) before evaluation, so one broken element cannot spoil unrelated criteria."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from cds.fhir import shapes

PREDNISONE: dict[str, Any] = {
    "resourceType": "MedicationStatement",
    "id": "ms1",
    "status": "active",
    "medicationCodeableConcept": {
        "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "8640"}]
    },
    "subject": {"reference": "Patient/p1"},
    "effectivePeriod": {"start": "2026-01-01"},
    "dosage": [
        {
            "text": "10 mg once daily",
            "sequence": 1,
            "route": {"coding": [{"system": "http://snomed.info/sct", "code": "26643006"}]},
            "timing": {
                "repeat": {
                    "frequency": 1,
                    "period": 1,
                    "periodUnit": "d",
                    "when": ["MORN"],
                    "boundsPeriod": {"start": "2026-01-01"},
                },
                "code": {"text": "QD"},
            },
            "doseAndRate": [
                {
                    "type": {"text": "ordered"},
                    "doseQuantity": {"value": 10, "unit": "mg"},
                    "doseRange": {"low": {"value": 5}, "high": {"value": 10}},
                    "rateRatio": {"numerator": {"value": 10}, "denominator": {"value": 1}},
                }
            ],
        }
    ],
    "reasonReference": [{"reference": "Condition/c1"}],
}


def with_value(path: tuple[Any, ...], value: Any, resource: dict[str, Any] = PREDNISONE) -> dict[str, Any]:
    changed = copy.deepcopy(resource)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def test_a_well_formed_dosage_passes() -> None:
    assert shapes.problem(PREDNISONE) is None


@pytest.mark.parametrize(
    ("path", "value"),
    [
        # Regressions found by fuzzing: each made five criteria "could not be evaluated".
        (("dosage",), 5),
        (("dosage", 0, "route", "coding"), "x"),
        (("dosage", 0, "route", "coding", 0), [{"a": 1}]),
        (("dosage", 0, "doseAndRate"), True),
        (("dosage", 0), "twice daily"),
        (("dosage", 0, "timing"), [1]),
        (("dosage", 0, "timing", "repeat", "when"), "MORN"),
        (("dosage", 0, "timing", "repeat", "frequency"), "x"),
        (("dosage", 0, "timing", "repeat", "boundsPeriod", "start"), "2026-13-45"),
        (("dosage", 0, "doseAndRate", 0, "doseQuantity"), [1, "a"]),
        (("dosage", 0, "doseAndRate", 0, "doseRange", "high"), "x"),
        (("dosage", 0, "doseAndRate", 0, "rateRatio", "numerator"), 3),
        (("dosage", 0, "text"), {"a": 1}),
        (("reasonReference",), {"reference": "Condition/c1"}),
    ],
)
def test_a_malformed_dosage_element_is_named(path: tuple[Any, ...], value: Any) -> None:
    found = shapes.problem(with_value(path, value))
    assert found is not None and found.startswith(str(path[0])), found


def test_a_medication_request_checks_its_dosage_instructions() -> None:
    request = {**PREDNISONE, "resourceType": "MedicationRequest", "intent": "order"}
    request["dosageInstruction"] = request.pop("dosage")
    del request["effectivePeriod"]
    assert shapes.problem(request) is None
    assert shapes.problem(with_value(("dosageInstruction", 0, "route"), "oral", request)) is not None


FVC: dict[str, Any] = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "19868-9"}]},
    "valueQuantity": {"value": 2.1, "unit": "L"},
    "referenceRange": [{"low": {"value": 2.5}, "high": {"value": 4.0}, "type": {"text": "normal"}}],
    "component": [{"code": {"coding": [{"code": "19869-7"}]}, "valueQuantity": {"value": 62, "unit": "%"}}],
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("referenceRange", 0, "high", "value"), {"a": 1}),
        (("referenceRange",), {"high": {"value": 4}}),
        (("component", 0, "code", "coding", 0, "system"), [1, "a"]),
        (("component", 0, "code", "coding"), 5),
        (("component", 0, "valueQuantity", "value"), [{"a": 1}]),
        (("valueInteger",), "7"),
    ],
)
def test_a_malformed_observation_part_is_named(path: tuple[Any, ...], value: Any) -> None:
    assert shapes.problem(FVC) is None
    found = shapes.problem(with_value(path, value, FVC))
    assert found is not None and found.startswith(str(path[0])), found


@pytest.mark.parametrize(
    ("path", "value"),
    [
        # Regressions found by fuzzing: each made up to 14 criteria "could not be evaluated".
        (("effectivePeriod",), {"start": "2027-01-01", "end": "2020-01-01"}),
        (("dosage", 0, "doseAndRate", 0, "doseQuantity", "value"), 10**30),
        (("dosage", 0, "doseAndRate", 0, "doseQuantity", "value"), float("inf")),
        (("dosage", 0, "doseAndRate", 0, "doseQuantity", "value"), float("nan")),
        (("dosage", 0, "timing", "repeat", "frequency"), 10**30),
        (("dosage", 0, "doseAndRate", 0, "doseQuantity", "unit"), {"start": "2027-01-01"}),
        (("dosage", 0, "doseAndRate", 0, "doseQuantity", "code"), 5),
        # Regression: written out as CQL's ToString does, 1E-999999999999 is a trillion zeros
        # (a MemoryError in the hook, a 500); a CQL Decimal holds 28 digits, and so many places.
        (("dosage", 0, "doseAndRate", 0, "doseQuantity", "value"), Decimal("1E-999999999999")),
        (("dosage", 0, "doseAndRate", 0, "doseQuantity", "value"), Decimal("1E-29")),
    ],
)
def test_values_no_record_can_hold_are_named(path: tuple[Any, ...], value: Any) -> None:
    found = shapes.problem(with_value(path, value))
    assert found is not None and found.startswith(str(path[0])), found


@pytest.mark.parametrize(
    "value", [Decimal("0.0000000000000000000000000001"), Decimal("12.50"), Decimal("1E+3"), 7]
)
def test_decimals_within_28_places_and_28_digits_pass(value: Any) -> None:
    assert shapes.problem(with_value(("dosage", 0, "doseAndRate", 0, "doseQuantity", "value"), value)) is None


def test_a_period_ending_the_day_it_starts_or_open_ended_is_fine() -> None:
    for period in ({"start": "2026-01-01", "end": "2026-01-01"}, {"end": "2026-01-01"}, {"start": "2026-01"}):
        assert shapes.problem(with_value(("effectivePeriod",), period)) is None
    # Precisions that overlap cannot be ordered: not an error (2026-01 may end on 2026-01-15).
    assert shapes.problem(with_value(("effectivePeriod",), {"start": "2026-01", "end": "2026-01-15"})) is None
