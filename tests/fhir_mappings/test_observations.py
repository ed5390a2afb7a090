"""fhir_mappings/Observations.cql: usable observations of a window, the latest one, values as text,
coded answers, and whether a qualitative result is positive."""

from __future__ import annotations

from typing import Any

import pytest
from protocols.support import AS_OF, mapping_value

from cds.fhir.builder import LOINC, SNOMED, PatientBuilder, ago

HB = (LOINC, "718-7", "Hemoglobin")
HCG = (LOINC, "2106-3", "hCG urine")
LAST_MONTH = "Records.LastMonths(1)"


def obs(expression: str, p: PatientBuilder) -> Any:
    return mapping_value(expression, p, ["Observations", "Records"])


def latest_id(p: PatientBuilder, window: str = LAST_MONTH) -> str | None:
    found = obs(f"Observations.Latest([Observation], {window})", p)
    return None if found is None else str(found.data["id"])


def test_latest_is_the_most_recent_in_the_window() -> None:
    p = PatientBuilder("o1")
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, days=3))
    p.observation(*HB, value=11, unit="g/dL", date=ago(AS_OF, days=1))
    p.observation(*HB, value=10, unit="g/dL", date=ago(AS_OF, days=10))
    assert latest_id(p) == "o1-obs2"


def test_latest_ignores_observations_that_are_not_final_amended_or_corrected() -> None:
    p = PatientBuilder("o2")
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, days=5), status="amended")
    p.observation(*HB, value=11, unit="g/dL", date=ago(AS_OF, days=1), status="preliminary")
    p.observation(*HB, value=11, unit="g/dL", date=ago(AS_OF, days=1), status="entered-in-error")
    assert latest_id(p) == "o2-obs1"


def test_an_observation_on_the_first_day_of_the_window_is_inside() -> None:
    p = PatientBuilder("o3")
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, months=1))
    assert latest_id(p) == "o3-obs1"


def test_an_observation_one_day_before_the_window_is_outside() -> None:
    p = PatientBuilder("o4")
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, months=1, days=1))
    assert latest_id(p) is None


def test_an_observation_after_the_as_of_date_is_outside() -> None:
    p = PatientBuilder("o5")
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, days=-1))
    assert latest_id(p) is None


def test_a_timestamped_observation_on_the_as_of_day_is_inside() -> None:
    p = PatientBuilder("o6")
    p.observation(*HB, value=12, unit="g/dL", date=f"{AS_OF}T16:30:00Z")
    assert latest_id(p) == "o6-obs1"


def test_a_null_window_takes_any_date() -> None:
    p = PatientBuilder("o7")
    p.observation(*HB, value=12, unit="g/dL", date="2001-01-01")
    assert latest_id(p, "null") == "o7-obs1"


def test_records_ever_reaches_back_to_any_past_date_but_not_the_future() -> None:
    p = PatientBuilder("o8")
    p.observation(*HB, value=12, unit="g/dL", date="1961-01-01")
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, days=-3))
    assert latest_id(p, "Records.Ever()") == "o8-obs1"


def test_earliest_is_the_oldest_in_the_window() -> None:
    p = PatientBuilder("o9")
    p.observation(*HB, value=12, unit="g/dL", date=ago(AS_OF, days=3))
    p.observation(*HB, value=10, unit="g/dL", date=ago(AS_OF, days=10))
    assert obs(f"Observations.Earliest([Observation], {LAST_MONTH}).id", p) == "o9-obs2"


def test_an_effective_period_is_dated_by_its_start() -> None:
    p = PatientBuilder("o10")
    o = p.observation(*HB, value=12, unit="g/dL")
    o["effectivePeriod"] = {"start": ago(AS_OF, days=4), "end": ago(AS_OF, days=2)}
    assert latest_id(p) == "o10-obs1"


# --------------------------------------------------------------------------------- value text
@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"value": "12.5", "unit": "g/dL"}, "12.5 g/dL"),
        ({"value": 3, "unit": "1"}, "3"),
        ({"value_code": (SNOMED, "260385009", "Negative")}, "Negative"),
        ({"value_string": "trace"}, "trace"),
    ],
    ids=["quantity", "unitless", "coded", "string"],
)
def test_value_text_reads_each_value_type(kwargs: dict[str, Any], text: str) -> None:
    p = PatientBuilder("o11")
    p.observation(*HB, date=AS_OF, **kwargs)
    assert obs("Observations.ValueText(First([Observation]))", p) == text


def test_value_text_keeps_the_comparator() -> None:
    p = PatientBuilder("o12")
    o = p.observation(*HCG, value=5, unit="m[IU]/mL", date=AS_OF)
    o["valueQuantity"]["comparator"] = "<"
    assert obs("Observations.ValueText(First([Observation]))", p) == "< 5 m[IU]/mL"


def test_evidence_names_label_value_date_and_reference() -> None:
    p = PatientBuilder("o13")
    p.observation(*HB, value=11, unit="g/dL", date="2026-10-02")
    assert obs("Observations.Evidence(First([Observation]))", p) == {
        "reference": "Observation/o13-obs1",
        "display": "Hemoglobin 11 g/dL",
        "date": "2026-10-02",
    }


def test_evidence_of_an_observation_without_value_says_so() -> None:
    p = PatientBuilder("o14")
    p.observation(*HB, date="2026-10-02")
    assert obs("Observations.Evidence(First([Observation])).display", p) == "Hemoglobin (no value)"


# ------------------------------------------------------------------------------- coded answers
def test_answer_in_reads_the_coded_value_against_a_value_set() -> None:
    p = PatientBuilder("o15")
    p.observation(LOINC, "72166-2", "Tobacco smoking status", value_code=(SNOMED, "8517006", "Former smoker"))
    assert obs('Observations.AnswerIn(First([Observation]), "ans-smoking-former")', p) is True
    assert obs('Observations.AnswerIn(First([Observation]), "ans-smoking-current")', p) is False


def test_answer_in_is_null_when_the_value_is_not_coded() -> None:
    p = PatientBuilder("o16")
    p.observation(LOINC, "72166-2", "Tobacco smoking status", value_string="former smoker")
    assert obs('Observations.AnswerIn(First([Observation]), "ans-smoking-former")', p) is None


# ---------------------------------------------------------------------------------- positivity
@pytest.mark.parametrize(
    ("kwargs", "positive"),
    [
        ({"value_code": (SNOMED, "10828004", "Positive")}, True),
        ({"value_code": (SNOMED, "260385009", "Negative")}, False),
        ({"value_code": (SNOMED, "260415000", "Not detected")}, False),
        ({"value_code": (SNOMED, "260373001", "Detected")}, True),
        ({"value_string": "Non-reactive"}, False),
        ({"value_string": "REACTIVE"}, True),
        ({"value_string": "Negative for HCV RNA"}, False),
        ({"value_string": "weakly positive"}, True),
        ({"value_string": "indeterminate"}, None),
        ({"interpretation": "POS"}, True),
        ({"interpretation": "NEG"}, False),
        ({"interpretation": "ND"}, False),
        ({"interpretation": "H", "value": 40, "unit": "U/mL"}, True),
        ({"value": 40, "unit": "U/mL", "high": 20}, True),
        ({"value": 20, "unit": "U/mL", "high": 20}, False),
        ({"value": 40, "unit": "U/mL"}, None),
        ({}, None),
    ],
    ids=[
        "coded-positive", "coded-negative", "coded-not-detected", "coded-detected", "non-reactive",
        "reactive", "negative-for", "weakly-positive", "indeterminate", "interp-pos", "interp-neg",
        "interp-not-detected", "interp-high", "above-range", "at-range-high", "no-range", "nothing",
    ],
)  # fmt: skip
def test_is_positive_reads_result_interpretation_and_range(
    kwargs: dict[str, Any], positive: bool | None
) -> None:
    p = PatientBuilder("o17")
    p.observation(*HCG, date=AS_OF, **kwargs)
    assert obs("Observations.IsPositive(First([Observation]))", p) is positive


def test_the_result_itself_outranks_the_interpretation() -> None:
    p = PatientBuilder("o18")
    p.observation(*HCG, date=AS_OF, value_string="Negative", interpretation="A")
    assert obs("Observations.IsPositive(First([Observation]))", p) is False


def test_a_boolean_value_is_its_own_answer() -> None:
    p = PatientBuilder("o19")
    o = p.observation(*HCG, date=AS_OF)
    o["valueBoolean"] = True
    assert obs("Observations.IsPositive(First([Observation]))", p) is True
