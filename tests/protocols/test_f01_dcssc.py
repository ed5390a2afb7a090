"""F01 cohort `dcssc`: diffuse subtype, ILD with lung function in its window, treatment history and
activity (skin and lung progression), each with pass, fail and unknown patients."""

from __future__ import annotations

from cds.fhir.builder import ICD10CM, LOCAL, LOINC, PatientBuilder
from protocols.f01_patients import (
    CYCLOPHOSPHAMIDE,
    ILD,
    MYCOPHENOLATE,
    PREDNISONE,
    SSC,
    days_ago,
    months_ago,
)
from protocols.support import evidence_text, expect

FVC_PCT = (LOINC, "19872-1", "FVC % predicted")
DLCO_PCT = (LOINC, "98130-8", "DLCO % predicted")
MRSS = (LOCAL, "mrss", "mRSS")


def patient() -> PatientBuilder:
    return PatientBuilder("f01-ssc", birth_date="1972-11-11", gender="female")


# -------------------------------------------------------------------------------------- dcssc-dx
def test_diffuse_written_in_the_ssc_condition_passes_as_a_word_match() -> None:
    p = patient()
    p.condition(*SSC, text="Diffuse cutaneous systemic sclerosis", onset="2021-01-01")
    expect("f01", "dcssc-dx", p, "pass")


def test_limited_cutaneous_ssc_fails() -> None:
    p = patient()
    p.condition(ICD10CM, "M34.1", "CR(E)ST syndrome", onset="2021-01-01")
    expect("f01", "dcssc-dx", p, "fail")


def test_ssc_without_a_subtype_is_unknown() -> None:
    p = patient()
    p.condition(*SSC, onset="2021-01-01")
    expect("f01", "dcssc-dx", p, "unknown")


def test_no_ssc_fails() -> None:
    expect("f01", "dcssc-dx", patient(), "fail")


# ---------------------------------------------------------------------------- dcssc-ild-function
def with_ild() -> PatientBuilder:
    p = patient()
    p.condition(*ILD, onset="2023-01-01")
    return p


def test_ild_with_fvc_at_45_percent_predicted_passes() -> None:
    p = with_ild()
    p.observation(*FVC_PCT, value=45, unit="%", date=days_ago(30))
    expect("f01", "dcssc-ild-function", p, "pass")


def test_ild_with_fvc_44_9_and_dlco_out_of_range_fails() -> None:
    p = with_ild()
    p.observation(*FVC_PCT, value="44.9", unit="%", date=days_ago(30))
    p.observation(*DLCO_PCT, value=75, unit="%", date=days_ago(30))
    expect("f01", "dcssc-ild-function", p, "fail")


def test_fvc_out_of_range_but_dlco_at_40_passes() -> None:
    p = with_ild()
    p.observation(*FVC_PCT, value="70.1", unit="%", date=days_ago(30))
    p.observation(*DLCO_PCT, value=40, unit="%", date=days_ago(30))
    expect("f01", "dcssc-ild-function", p, "pass")


def test_fvc_out_of_range_and_no_dlco_is_unknown() -> None:
    p = with_ild()
    p.observation(*FVC_PCT, value="70.1", unit="%", date=days_ago(30))
    expect("f01", "dcssc-ild-function", p, "unknown")


def test_ild_without_lung_function_in_six_months_is_unknown() -> None:
    p = with_ild()
    p.observation(*FVC_PCT, value=60, unit="%", date=months_ago(6, days=1))
    expect("f01", "dcssc-ild-function", p, "unknown")


def test_no_ild_fails_even_with_lung_function_in_range() -> None:
    p = patient()
    p.observation(*FVC_PCT, value=60, unit="%", date=days_ago(30))
    expect("f01", "dcssc-ild-function", p, "fail")


# ------------------------------------------------------------------------------ dcssc-refractory
def test_glucocorticoid_cyclophosphamide_and_mycophenolate_for_six_months_pass() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=months_ago(12), dose=(7.5, "mg"))
    p.medication(*CYCLOPHOSPHAMIDE, start=months_ago(12), end=months_ago(6), status="completed")
    p.medication(*MYCOPHENOLATE, start=months_ago(6), dose=(1000, "mg"), per_day=2)
    expect("f01", "dcssc-refractory", p, "pass")


def test_without_a_third_drug_it_is_unknown() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=months_ago(12), dose=(7.5, "mg"))
    p.medication(*CYCLOPHOSPHAMIDE, start=months_ago(12), end=months_ago(6), status="completed")
    expect("f01", "dcssc-refractory", p, "unknown")


def test_no_treatment_history_is_unknown() -> None:
    expect("f01", "dcssc-refractory", patient(), "unknown")


# ---------------------------------------------------------------------------------- dcssc-active
def test_an_mrss_rise_of_10_percent_is_activity() -> None:
    p = patient()
    p.observation(*MRSS, value=20, unit="{score}", date=months_ago(5))
    p.observation(*MRSS, value=22, unit="{score}", date=days_ago(10))
    expect("f01", "dcssc-active", p, "pass")


def test_ild_first_diagnosed_in_the_last_six_months_is_activity() -> None:
    p = patient()
    p.condition(*ILD, onset=months_ago(2))
    expect("f01", "dcssc-active", p, "pass")


def test_an_fvc_fall_of_10_percent_is_activity_and_shows_the_absolute_change() -> None:
    p = patient()
    p.observation(*FVC_PCT, value=80, unit="%", date=months_ago(5))
    p.observation(*FVC_PCT, value=72, unit="%", date=days_ago(10))
    result = expect("f01", "dcssc-active", p, "pass")
    assert "absolute change -8 points" in evidence_text(result)


def test_an_fvc_fall_of_6_percent_with_a_dlco_fall_of_16_percent_is_activity() -> None:
    p = patient()
    for months, fvc, dlco in ((5, 80, 50), (0, "75.2", 42)):
        p.observation(*FVC_PCT, value=fvc, unit="%", date=months_ago(months, days=1))
        p.observation(*DLCO_PCT, value=dlco, unit="%", date=months_ago(months, days=1))
    expect("f01", "dcssc-active", p, "pass")


def test_stable_skin_and_lungs_with_an_old_ild_is_not_active() -> None:
    p = patient()
    p.condition(*ILD, onset="2020-01-01")
    for months, mrss, fvc, dlco in ((5, 20, 80, 50), (0, 20, 78, 49)):
        when = months_ago(months, days=1)
        p.observation(*MRSS, value=mrss, unit="{score}", date=when)
        p.observation(*FVC_PCT, value=fvc, unit="%", date=when)
        p.observation(*DLCO_PCT, value=dlco, unit="%", date=when)
    expect("f01", "dcssc-active", p, "fail")


def test_without_serial_measurements_activity_is_unknown() -> None:
    p = patient()
    p.condition(*ILD, onset="2020-01-01")
    p.observation(*FVC_PCT, value=70, unit="%", date=days_ago(10))
    expect("f01", "dcssc-active", p, "unknown")
