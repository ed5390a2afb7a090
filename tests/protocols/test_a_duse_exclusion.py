"""A-DUSE exclusion criteria (CRITERIA.md "A-DUSE") that read diagnoses, procedures and observations:
pass, fail and unknown patients, window boundaries one day inside and outside, and the manual ones."""

from __future__ import annotations

import pytest

from cds.fhir.builder import ICD10CM, LOINC, SNOMED, PatientBuilder, ago

from .support import AS_OF, evidence_text, expect

A = "a-duse"
HSCT = (SNOMED, "234336002", "Hemopoietic stem cell transplant")
CANCER = (SNOMED, "363346000", "Malignant neoplastic disease")
SMOKING = (LOINC, "72166-2", "Tobacco smoking status")
CURRENT = (SNOMED, "449868002", "Current every day smoker")
FORMER = (SNOMED, "8517006", "Former smoker")
NEVER = (SNOMED, "266919005", "Never smoker")


# ------------------------------------------------------------------------------ manual criteria
@pytest.mark.parametrize("cid", ["exc-hsct-indication", "exc-du-nature", "exc-other-trial-3m"])
def test_investigator_judgements_stay_manual_whatever_the_record(cid: str) -> None:
    p = PatientBuilder("e0")
    p.procedure(*HSCT, text="Autologous stem cell transplant", date=ago(AS_OF, months=2))
    result = expect(A, cid, p, "manual")
    assert result.check


# ------------------------------------------------------------ exc-sympathectomy-debridement-1m
def test_sympathectomy_on_the_first_day_of_the_month_window_excludes() -> None:
    p = PatientBuilder("e1")
    p.procedure(None, None, text="Thoracoscopic sympathectomy", date=ago(AS_OF, months=1))
    expect(A, "exc-sympathectomy-debridement-1m", p, "fail")


def test_sympathectomy_one_day_before_the_month_window_does_not_exclude() -> None:
    p = PatientBuilder("e2")
    p.procedure(None, None, text="Thoracoscopic sympathectomy", date=ago(AS_OF, months=1, days=1))
    expect(A, "exc-sympathectomy-debridement-1m", p, "pass")


def test_ulcer_debridement_last_week_excludes() -> None:
    p = PatientBuilder("e3")
    p.procedure(None, None, text="Sharp debridement of digital ulcer", date=ago(AS_OF, weeks=1))
    result = expect(A, "exc-sympathectomy-debridement-1m", p, "fail")
    assert result.evidence[0].reference == "Procedure/e3-proc1"


def test_debridement_with_no_date_is_unknown() -> None:
    p = PatientBuilder("e4")
    p.procedure(None, None, text="Ulcer debridement")
    expect(A, "exc-sympathectomy-debridement-1m", p, "unknown")


def test_no_sympathectomy_or_debridement_passes() -> None:
    result = expect(A, "exc-sympathectomy-debridement-1m", PatientBuilder("e5"), "pass")
    assert "no sympathectomy or ulcer debridement recorded since" in evidence_text(result)


# ---------------------------------------------------------------------------------- exc-hsct-12m
def test_autologous_transplant_11_months_ago_excludes() -> None:
    p = PatientBuilder("e6")
    p.procedure(*HSCT, text="Autologous HSCT", date=ago(AS_OF, months=11))
    expect(A, "exc-hsct-12m", p, "fail")


def test_autologous_transplant_on_the_first_day_of_the_12_months_excludes() -> None:
    p = PatientBuilder("e7")
    p.procedure(*HSCT, text="Autologous HSCT", date=ago(AS_OF, months=12))
    expect(A, "exc-hsct-12m", p, "fail")


def test_autologous_transplant_one_day_before_the_12_months_does_not_exclude() -> None:
    p = PatientBuilder("e8")
    p.procedure(*HSCT, text="Autologous HSCT", date=ago(AS_OF, months=12, days=1))
    expect(A, "exc-hsct-12m", p, "pass")


def test_recent_transplant_of_unrecorded_type_is_unknown() -> None:
    p = PatientBuilder("e9")
    p.procedure(*HSCT, date=ago(AS_OF, months=5))
    result = expect(A, "exc-hsct-12m", p, "unknown")
    assert result.check == "whether the stem cell transplant was autologous"


def test_recent_allogeneic_transplant_does_not_exclude() -> None:
    p = PatientBuilder("e10")
    p.procedure(*HSCT, text="Allogeneic stem cell transplant", date=ago(AS_OF, months=5))
    expect(A, "exc-hsct-12m", p, "pass")


def test_autologous_transplant_status_condition_with_recent_onset_excludes() -> None:
    p = PatientBuilder("e11")
    p.condition(ICD10CM, "Z94.84", "Stem cells transplant status", text="Status post autologous HSCT",
                onset=ago(AS_OF, months=6))  # fmt: skip
    expect(A, "exc-hsct-12m", p, "fail")


def test_transplant_status_with_no_date_is_unknown() -> None:
    p = PatientBuilder("e12")
    p.condition(ICD10CM, "Z94.84", "Stem cells transplant status")
    result = expect(A, "exc-hsct-12m", p, "unknown")
    assert result.check == "the date of the stem cell transplant"


def test_undated_transplant_status_beside_an_old_dated_transplant_passes() -> None:
    p = PatientBuilder("e13")
    p.condition(ICD10CM, "Z94.84", "Stem cells transplant status")
    p.procedure(*HSCT, text="Autologous HSCT", date="2019-03-03")
    expect(A, "exc-hsct-12m", p, "pass")


# --------------------------------------------------------------------------------- exc-cancer-5y
def test_active_cancer_diagnosed_long_ago_excludes() -> None:
    p = PatientBuilder("e14")
    p.condition(*CANCER, onset="2005-01-01")
    result = expect(A, "exc-cancer-5y", p, "fail")
    assert "active" in evidence_text(result)


def test_cancer_resolved_exactly_5_years_ago_excludes() -> None:
    p = PatientBuilder("e15")
    p.condition(ICD10CM, "C50.911", "Malignant neoplasm of right female breast", onset="2015-01-01",
                abatement=ago(AS_OF, years=5), clinical_status="resolved")  # fmt: skip
    expect(A, "exc-cancer-5y", p, "fail")


def test_cancer_resolved_one_day_more_than_5_years_ago_does_not_exclude() -> None:
    p = PatientBuilder("e16")
    p.condition(ICD10CM, "C50.911", "Malignant neoplasm of right female breast", onset="2015-01-01",
                abatement=ago(AS_OF, years=5, days=1), clinical_status="resolved")  # fmt: skip
    result = expect(A, "exc-cancer-5y", p, "pass")
    assert f"abated {ago(AS_OF, years=5, days=1)}" in evidence_text(result)


def test_cancer_diagnosed_within_5_years_excludes_even_when_resolved() -> None:
    p = PatientBuilder("e17")
    p.condition(ICD10CM, "C44.91", "Basal cell carcinoma of skin", onset=ago(AS_OF, years=2),
                clinical_status="resolved")  # fmt: skip
    expect(A, "exc-cancer-5y", p, "fail")


def test_history_of_cancer_code_dated_long_ago_does_not_exclude() -> None:
    p = PatientBuilder("e18")
    p.condition(ICD10CM, "Z85.3", "Personal history of malignant neoplasm of breast", onset="2009-06-01")
    expect(A, "exc-cancer-5y", p, "pass")


def test_history_of_cancer_without_dates_is_unknown() -> None:
    p = PatientBuilder("e19")
    p.condition(ICD10CM, "Z85.3", "Personal history of malignant neoplasm of breast")
    result = expect(A, "exc-cancer-5y", p, "unknown")
    assert result.check == "when the cancer was diagnosed and when it resolved"


def test_refuted_cancer_does_not_count() -> None:
    p = PatientBuilder("e20")
    p.condition(*CANCER, onset=ago(AS_OF, years=1), verification="refuted")
    expect(A, "exc-cancer-5y", p, "pass")


def test_no_cancer_passes() -> None:
    result = expect(A, "exc-cancer-5y", PatientBuilder("e21"), "pass")
    assert evidence_text(result) == "no cancer recorded"


# ----------------------------------------------------------------------------- exc-osteomyelitis
def test_active_osteomyelitis_of_a_finger_excludes() -> None:
    p = PatientBuilder("e22")
    p.condition(ICD10CM, "M86.141", "Other acute osteomyelitis, right hand")
    expect(A, "exc-osteomyelitis", p, "fail")


def test_resolved_osteomyelitis_does_not_exclude() -> None:
    p = PatientBuilder("e23")
    p.condition(SNOMED, "60168000", "Osteomyelitis", clinical_status="resolved")
    expect(A, "exc-osteomyelitis", p, "pass")


def test_osteomyelitis_of_another_named_site_does_not_exclude() -> None:
    p = PatientBuilder("e24")
    p.condition(ICD10CM, "M86.151", "Other acute osteomyelitis, right femur")
    expect(A, "exc-osteomyelitis", p, "pass")


# ------------------------------------------------------------------------------- exc-smoking-3m
def smoking(pid: str) -> PatientBuilder:
    return PatientBuilder(pid)


def test_current_smoker_is_excluded() -> None:
    p = smoking("e25")
    p.observation(*SMOKING, value_code=CURRENT, date=ago(AS_OF, months=8), category="social-history")
    expect(A, "exc-smoking-3m", p, "fail")


def test_current_smoker_written_as_text_is_excluded() -> None:
    p = smoking("e26")
    p.observation(*SMOKING, value_string="Current some day smoker", date=ago(AS_OF, months=1))
    expect(A, "exc-smoking-3m", p, "fail")


def test_former_smoker_who_quit_2_months_ago_is_excluded() -> None:
    p = smoking("e27")
    o = p.observation(*SMOKING, value_code=FORMER)
    o["effectivePeriod"] = {"start": ago(AS_OF, months=2)}
    result = expect(A, "exc-smoking-3m", p, "fail")
    assert f"stopped smoking on {ago(AS_OF, months=2)}" in evidence_text(result)


def test_former_smoker_who_quit_exactly_3_months_ago_is_not_excluded() -> None:
    p = smoking("e28")
    o = p.observation(*SMOKING, value_code=FORMER)
    o["effectivePeriod"] = {"start": ago(AS_OF, months=3)}
    expect(A, "exc-smoking-3m", p, "pass")


def test_former_smoker_recorded_over_3_months_ago_is_not_excluded() -> None:
    p = smoking("e29")
    p.observation(*SMOKING, value_code=FORMER, date=ago(AS_OF, months=4))
    expect(A, "exc-smoking-3m", p, "pass")


def test_former_smoker_recorded_recently_without_quit_date_is_unknown() -> None:
    p = smoking("e30")
    p.observation(*SMOKING, value_code=FORMER, date=ago(AS_OF, weeks=2))
    result = expect(A, "exc-smoking-3m", p, "unknown")
    assert result.check == "when the patient stopped smoking (at least 3 months ago)"


def test_former_smoker_who_was_smoking_2_months_ago_is_excluded() -> None:
    p = smoking("e31")
    p.observation(*SMOKING, value_code=CURRENT, date=ago(AS_OF, months=2))
    p.observation(*SMOKING, value_code=FORMER, date=ago(AS_OF, weeks=2))
    result = expect(A, "exc-smoking-3m", p, "fail")
    assert [e.reference for e in result.evidence] == ["Observation/e31-obs2", "Observation/e31-obs1"]


def test_never_smoker_after_an_old_current_status_is_not_excluded() -> None:
    p = smoking("e32")
    p.observation(*SMOKING, value_code=CURRENT, date="2010-01-01")
    p.observation(*SMOKING, value_code=NEVER, date=ago(AS_OF, months=6))
    expect(A, "exc-smoking-3m", p, "pass")


def test_no_smoking_status_is_not_excluded() -> None:
    result = expect(A, "exc-smoking-3m", smoking("e33"), "pass")
    assert evidence_text(result) == "no smoking status recorded"


# ------------------------------------------------------------------------------ exc-pregnancy
def test_pregnancy_exclusion_passes_a_man() -> None:
    expect(A, "exc-pregnancy", PatientBuilder("e34", gender="male"), "pass")


def test_pregnancy_exclusion_is_unknown_for_a_woman_of_30_without_test() -> None:
    expect(
        A, "exc-pregnancy", PatientBuilder("e35", birth_date=ago(AS_OF, years=30), gender="female"), "unknown"
    )


def test_pregnancy_exclusion_fails_a_woman_with_a_positive_test_last_week() -> None:
    p = PatientBuilder("e36", birth_date=ago(AS_OF, years=30), gender="female")
    p.observation(
        LOINC, "2106-3", "hCG urine", value_code=(SNOMED, "10828004", "Positive"), date=ago(AS_OF, weeks=1)
    )
    expect(A, "exc-pregnancy", p, "fail")
