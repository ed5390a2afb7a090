"""F01 cohort `aav`: diagnosis, BVAS v3 activity, ANCA and the relapsed / refractory treatment
history, each with pass, fail and unknown patients."""

from __future__ import annotations

from cds.fhir.builder import ICD10CM, LOCAL, LOINC, PatientBuilder
from protocols.f01_patients import GPA, MPA, NEGATIVE, PREDNISONE, RITUXIMAB, days_ago, months_ago
from protocols.support import evidence_text, expect

PR3 = (LOINC, "6968-2", "PR3-ANCA")
MPO = (LOINC, "6969-0", "MPO-ANCA")
BVAS = (LOCAL, "bvas-v3", "BVAS v3")


def patient() -> PatientBuilder:
    return PatientBuilder("f01-aav", birth_date="1966-09-30", gender="male")


# -------------------------------------------------------------------------------------- aav-dx
def test_granulomatosis_with_polyangiitis_passes() -> None:
    p = patient()
    p.condition(*GPA, onset="2022-01-01")
    expect("f01", "aav-dx", p, "pass")


def test_microscopic_polyangiitis_in_icd_10_cm_passes() -> None:
    p = patient()
    p.condition(*MPA, onset="2022-01-01")
    expect("f01", "aav-dx", p, "pass")


def test_egpa_alone_is_not_gpa_or_mpa() -> None:
    p = patient()
    p.condition(ICD10CM, "M30.1", "Churg-Strauss", onset="2022-01-01")
    expect("f01", "aav-dx", p, "fail")


# ------------------------------------------------------------------------------------- aav-bvas
def test_bvas_with_one_major_item_passes() -> None:
    p = patient()
    p.observation(
        *BVAS, value=8, unit="{score}", date=days_ago(10), components=[(LOCAL, "bvas-v3-major", 1, "1")]
    )
    expect("f01", "aav-bvas", p, "pass")


def test_bvas_total_of_2_without_items_fails() -> None:
    p = patient()
    p.observation(*BVAS, value=2, unit="{score}", date=days_ago(10))
    expect("f01", "aav-bvas", p, "fail")


def test_no_bvas_is_unknown() -> None:
    expect("f01", "aav-bvas", patient(), "unknown")


# ------------------------------------------------------------------------------------- aav-anca
def test_pr3_anca_above_the_labs_range_passes() -> None:
    p = patient()
    p.observation(*PR3, value=35, unit="[IU]/mL", date=days_ago(20), high=2)
    expect("f01", "aav-anca", p, "pass")


def test_both_ancas_negative_fail() -> None:
    p = patient()
    p.observation(*PR3, value_code=NEGATIVE, date=days_ago(20))
    p.observation(*MPO, value=0.5, unit="[IU]/mL", date=days_ago(20), high=3.5)
    expect("f01", "aav-anca", p, "fail")


def test_mpo_negative_and_no_pr3_is_unknown() -> None:
    p = patient()
    p.observation(*MPO, value_code=NEGATIVE, date=days_ago(20))
    expect("f01", "aav-anca", p, "unknown")


# ------------------------------------------------------------------------- aav-relapsed-refractory
def test_glucocorticoid_with_rituximab_for_four_months_passes_and_shows_the_bvas_history() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=months_ago(10), dose=(5, "mg"))
    p.medication(*RITUXIMAB, start=months_ago(10), end=months_ago(4), status="completed")
    p.observation(*BVAS, value=0, unit="{score}", date=months_ago(6))
    result = expect("f01", "aav-relapsed-refractory", p, "pass")
    text = evidence_text(result)
    assert "for review, BVAS history: BVAS v3 0" in text
    assert "5 mg/day prednisone-equivalent (remission needs <= 7.5)" in text


def test_glucocorticoid_alone_is_unknown() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=months_ago(10), dose=(5, "mg"))
    expect("f01", "aav-relapsed-refractory", p, "unknown")


def test_no_treatment_history_is_unknown() -> None:
    expect("f01", "aav-relapsed-refractory", patient(), "unknown")
