"""F01 cohort `sle`: diagnosis age, serology, SLEDAI-2K, standard treatment and severe organ
involvement, each with pass, fail and unknown patients."""

from __future__ import annotations

import pytest

from cds.fhir.builder import ICD10CM, LOINC, SNOMED, PatientBuilder
from protocols.f01_patients import (
    HYDROXYCHLOROQUINE,
    NEGATIVE,
    POSITIVE,
    PREDNISONE,
    SLE,
    SLEDAI,
    days_ago,
    months_ago,
)
from protocols.support import evidence_text, expect

ANA = (LOINC, "8061-4", "ANA")
DSDNA = (LOINC, "5130-0", "Anti-dsDNA")


def patient() -> PatientBuilder:
    return PatientBuilder("f01-sle", birth_date="1988-02-10", gender="female")


# ------------------------------------------------------------------------------------------ sle-dx
def test_sle_diagnosed_six_months_ago_to_the_day_passes() -> None:
    p = patient()
    p.condition(*SLE, onset=months_ago(6))
    expect("f01", "sle-dx", p, "pass")


def test_sle_diagnosed_one_day_less_than_six_months_ago_fails() -> None:
    p = patient()
    p.condition(*SLE, onset=months_ago(6, days=-1))
    expect("f01", "sle-dx", p, "fail")


def test_sle_dated_only_by_its_recorded_date_counts() -> None:
    p = patient()
    p.condition(*SLE, recorded="2020-01-01")
    expect("f01", "sle-dx", p, "pass")


def test_sle_without_any_date_is_unknown() -> None:
    p = patient()
    p.condition(*SLE)
    expect("f01", "sle-dx", p, "unknown")


def test_no_sle_fails() -> None:
    expect("f01", "sle-dx", patient(), "fail")


def test_a_refuted_sle_does_not_count() -> None:
    p = patient()
    p.condition(*SLE, onset="2019-01-01", verification="refuted")
    expect("f01", "sle-dx", p, "fail")


# ----------------------------------------------------------------------------------- sle-serology
def test_a_positive_ana_passes() -> None:
    p = patient()
    p.observation(*ANA, value_code=POSITIVE, date=days_ago(20))
    expect("f01", "sle-serology", p, "pass")


def test_an_anti_dsdna_above_the_labs_range_is_positive() -> None:
    p = patient()
    p.observation(*DSDNA, value=45, unit="[IU]/mL", date=days_ago(20), high=10)
    expect("f01", "sle-serology", p, "pass")


def test_both_tests_negative_fail() -> None:
    p = patient()
    p.observation(*ANA, value_code=NEGATIVE, date=days_ago(20))
    p.observation(*DSDNA, value=4, unit="[IU]/mL", date=days_ago(20), high=10)
    expect("f01", "sle-serology", p, "fail")


def test_a_negative_ana_without_anti_dsdna_is_unknown() -> None:
    p = patient()
    p.observation(*ANA, value_code=NEGATIVE, date=days_ago(20))
    result = expect("f01", "sle-serology", p, "unknown")
    assert "no anti-dsDNA result" in evidence_text(result)


def test_a_positive_ana_older_than_three_months_does_not_count() -> None:
    p = patient()
    p.observation(*ANA, value_code=POSITIVE, date=months_ago(3, days=1))
    expect("f01", "sle-serology", p, "unknown")


# ------------------------------------------------------------------------------------- sle-sledai
@pytest.mark.parametrize(("score", "status"), [(8, "pass"), (7, "fail")])
def test_sledai_of_at_least_8(score: int, status: str) -> None:
    p = patient()
    p.observation(*SLEDAI, value=score, unit="{score}", date=days_ago(20))
    expect("f01", "sle-sledai", p, status)


def test_without_a_sledai_low_lab_items_leave_it_unknown() -> None:
    p = patient()
    p.observation(LOINC, "777-3", "Platelets", value=80, unit="10*9/L", date=days_ago(20))
    expect("f01", "sle-sledai", p, "unknown")


# --------------------------------------------------------------------------------- sle-refractory
def test_hydroxychloroquine_for_more_than_two_months_passes() -> None:
    p = patient()
    p.medication(*HYDROXYCHLOROQUINE, start=months_ago(8), dose=(200, "mg"), per_day=2)
    expect("f01", "sle-refractory", p, "pass")


def test_prednisone_for_one_month_only_is_unknown() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=months_ago(1), dose=(10, "mg"))
    expect("f01", "sle-refractory", p, "unknown")


def test_no_standard_treatment_recorded_is_unknown() -> None:
    expect("f01", "sle-refractory", patient(), "unknown")


# ------------------------------------------------------------------------------- sle-severe-organ
def test_a_lupus_crisis_two_months_ago_fails() -> None:
    p = patient()
    p.condition(None, None, text="Lupus crisis", onset=months_ago(2), clinical_status="resolved")
    p.condition(None, None, text="Lupus crisis", onset=months_ago(2))
    expect("f01", "sle-severe-organ", p, "fail")


def test_a_lupus_crisis_four_months_ago_does_not_exclude() -> None:
    p = patient()
    p.condition(None, None, text="Lupus crisis", onset=months_ago(4))
    expect("f01", "sle-severe-organ", p, "pass")


def test_an_undated_active_lupus_crisis_is_unknown() -> None:
    p = patient()
    p.condition(None, None, text="Lupus crisis")
    expect("f01", "sle-severe-organ", p, "unknown")


def test_active_neuropsychiatric_lupus_fails() -> None:
    p = patient()
    p.condition(ICD10CM, "M32.19", "Other organ involvement in SLE", text="Neuropsychiatric lupus (seizures)")
    expect("f01", "sle-severe-organ", p, "fail")


def test_thrombotic_thrombocytopenic_purpura_fails() -> None:
    p = patient()
    p.condition(SNOMED, "78129009", "Thrombotic thrombocytopenic purpura", onset=months_ago(1))
    expect("f01", "sle-severe-organ", p, "fail")


def test_mild_autoimmune_hemolytic_anemia_is_not_severe() -> None:
    p = patient()
    c = p.condition(None, None, text="Autoimmune hemolytic anemia", onset=months_ago(5))
    c["severity"] = {"coding": [{"system": "http://snomed.info/sct", "code": "255604002", "display": "Mild"}]}
    expect("f01", "sle-severe-organ", p, "pass")


def test_autoimmune_hemolytic_anemia_without_a_severity_excludes() -> None:
    p = patient()
    p.condition(ICD10CM, "D59.19", "Other autoimmune hemolytic anemia", onset=months_ago(5))
    expect("f01", "sle-severe-organ", p, "fail")


def test_lupus_nephritis_itself_does_not_exclude() -> None:
    p = patient()
    p.condition(ICD10CM, "M32.14", "Glomerular disease in SLE", onset=months_ago(5))
    expect("f01", "sle-severe-organ", p, "pass")
