"""F01 criteria common to the four cohorts: for each, patients for pass, fail and unknown (manual ones
stay manual), and the boundaries CRITERIA.md and issue 3 name."""

from __future__ import annotations

import pytest

from cds.fhir.builder import ICD10CM, LOINC, RXNORM, SNOMED, PatientBuilder, ago
from protocols.f01_patients import (
    ALT,
    AST,
    BILIRUBIN,
    CREATININE,
    HB,
    HCG,
    LVEF,
    METHYLPREDNISOLONE,
    NEGATIVE,
    PLT,
    POSITIVE,
    PREDNISONE,
    RITUXIMAB,
    SPO2,
    WEIGHT,
    days_ago,
    fit_patient,
    months_ago,
)
from protocols.support import AS_OF, evidence_text, expect


def patient(**kwargs: str) -> PatientBuilder:
    return PatientBuilder("f01-c", **kwargs)


# ---------------------------------------------------------------------------------------- inc-age
@pytest.mark.parametrize(
    ("years", "status"), [(17, "fail"), (18, "pass"), (65, "pass"), (66, "fail")], ids=lambda v: str(v)
)
def test_age_18_to_65_inclusive_on_the_birthday(years: int, status: str) -> None:
    expect("f01", "inc-age", patient(birth_date=ago(AS_OF, years=years)), status)


def test_age_65_the_day_before_turning_66_still_passes() -> None:
    expect("f01", "inc-age", patient(birth_date=ago(AS_OF, years=66, days=-1)), "pass")


def test_age_without_a_birth_date_is_unknown() -> None:
    expect("f01", "inc-age", PatientBuilder("f01-c", birth_date=None), "unknown")


# ------------------------------------------------------------------------------ manual criteria
@pytest.mark.parametrize(
    "criterion",
    [
        "inc-survival",
        "inc-ecg",
        "inc-contraception",
        "inc-consent",
        "exc-surgery-trial-1m",
        "exc-investigator",
    ],
)
def test_criteria_never_decidable_from_the_record_stay_manual(criterion: str) -> None:
    result = expect("f01", criterion, fit_patient(), "manual")
    assert result.check


# ------------------------------------------------------------------------------------- blood count
def test_hemoglobin_of_80_g_per_l_written_in_g_per_dl_passes() -> None:
    p = patient()
    p.observation(*HB, value=8.0, unit="g/dL", date=days_ago(3))
    expect("f01", "inc-hb", p, "pass")


def test_hemoglobin_of_79_g_per_l_fails() -> None:
    p = patient()
    p.observation(*HB, value=79, unit="g/L", date=days_ago(3))
    expect("f01", "inc-hb", p, "fail")


def test_no_hemoglobin_in_three_months_is_unknown() -> None:
    expect("f01", "inc-hb", patient(), "unknown")


@pytest.mark.parametrize(
    ("value", "unit", "status"),
    [(1500, "cells/uL", "pass"), (1.49, "10*3/uL", "fail"), (1.5, "10*9/L", "pass")],
    ids=["1500-cells-per-uL", "1.49-thousand-per-uL", "1.5-e9-per-L"],
)
def test_neutrophils_of_at_least_1_5_e9_per_litre_in_any_count_unit(
    value: float, unit: str, status: str
) -> None:
    p = patient()
    p.observation(LOINC, "751-8", "Neutrophils", value=value, unit=unit, date=days_ago(3))
    expect("f01", "inc-anc", p, status)


def test_neutrophils_missing_is_unknown() -> None:
    expect("f01", "inc-anc", patient(), "unknown")


@pytest.mark.parametrize(("value", "status"), [(50, "pass"), (49, "fail")])
def test_platelets_of_at_least_50_e9_per_litre(value: int, status: str) -> None:
    p = patient()
    p.observation(*PLT, value=value, unit="10*9/L", date=days_ago(3))
    expect("f01", "inc-plt", p, status)


def test_platelets_older_than_three_months_are_unknown() -> None:
    p = patient()
    p.observation(*PLT, value=200, unit="10*9/L", date=months_ago(3, days=1))
    expect("f01", "inc-plt", p, "unknown")


# ------------------------------------------------------------------------------------------ kidney
def test_measured_creatinine_clearance_of_50_passes() -> None:
    p = patient()
    p.observation(LOINC, "2164-2", "Creatinine clearance", value=50, unit="mL/min", date=days_ago(3))
    expect("f01", "inc-crcl", p, "pass")


def test_cockcroft_gault_below_50_fails() -> None:
    p = patient(birth_date="1962-01-01", gender="female")  # 64: (140 - 64) x 50 / (72 x 1.3) x 0.85 = 34.5
    p.observation(*CREATININE, value=1.3, unit="mg/dL", date=days_ago(3))
    p.observation(*WEIGHT, value=50, unit="kg", date=days_ago(3))
    result = expect("f01", "inc-crcl", p, "fail")
    assert "Cockcroft-Gault" in evidence_text(result)


def test_creatinine_clearance_without_weight_is_unknown() -> None:
    p = patient(birth_date="1962-01-01", gender="female")
    p.observation(*CREATININE, value=1.3, unit="mg/dL", date=days_ago(3))
    expect("f01", "inc-crcl", p, "unknown")


def test_creatinine_at_1_5_uln_passes_and_above_fails() -> None:
    at, above = patient(gender="male"), patient(gender="male")
    at.observation(*CREATININE, value=165, unit="umol/L", date=days_ago(3))  # 1.5 x 110
    above.observation(*CREATININE, value=166, unit="umol/L", date=days_ago(3))
    assert "default ULN" in evidence_text(expect("f01", "inc-creatinine", at, "pass"))
    expect("f01", "inc-creatinine", above, "fail")


def test_creatinine_missing_is_unknown() -> None:
    expect("f01", "inc-creatinine", patient(), "unknown")


# ------------------------------------------------------------------------------------------- liver
def liver_patient(alt: float, ast: float | None, bilirubin: float) -> PatientBuilder:
    p = patient(gender="male")
    p.observation(*ALT, value=alt, unit="U/L", date=days_ago(3), high=40)
    if ast is not None:
        p.observation(*AST, value=ast, unit="U/L", date=days_ago(3), high=40)
    p.observation(*BILIRUBIN, value=bilirubin, unit="mg/dL", date=days_ago(3), high=1.2)
    return p


def test_liver_tests_within_their_ceilings_pass() -> None:
    expect("f01", "inc-liver", liver_patient(100, 100, 1.8), "pass")


def test_bilirubin_above_1_5_uln_fails_the_liver_criterion() -> None:
    expect("f01", "inc-liver", liver_patient(30, 30, 1.9), "fail")


def test_a_missing_liver_test_with_none_failing_is_unknown() -> None:
    result = expect("f01", "inc-liver", liver_patient(30, None, 0.5), "unknown")
    assert result.check is not None and "AST" in result.check


def test_a_failing_liver_test_decides_even_when_another_is_missing() -> None:
    expect("f01", "inc-liver", liver_patient(101, None, 0.5), "fail")


# ----------------------------------------------------------------------------------- SpO2 and LVEF
@pytest.mark.parametrize(("value", "status"), [(92, "pass"), (91, "fail")])
def test_spo2_of_at_least_92_percent_on_room_air(value: int, status: str) -> None:
    p = patient()
    p.observation(*SPO2, value=value, unit="%", date=days_ago(3), category="vital-signs")
    expect("f01", "inc-spo2", p, status)


def test_spo2_only_on_oxygen_is_unknown() -> None:
    p = patient()
    p.observation(*SPO2, value=95, unit="%", date=days_ago(3), components=[(LOINC, "3151-8", 3, "L/min")])
    expect("f01", "inc-spo2", p, "unknown")


@pytest.mark.parametrize(("value", "status"), [(40, "pass"), (39, "fail")])
def test_lvef_of_at_least_40_percent(value: int, status: str) -> None:
    p = patient()
    p.observation(*LVEF, value=value, unit="%", date=months_ago(11))
    expect("f01", "inc-lvef", p, status)


def test_lvef_older_than_12_months_is_unknown() -> None:
    p = patient()
    p.observation(*LVEF, value=60, unit="%", date=months_ago(12, days=1))
    expect("f01", "inc-lvef", p, "unknown")


# -------------------------------------------------------------------------------------- effusions
def test_an_active_pleural_effusion_fails() -> None:
    p = patient()
    p.condition(ICD10CM, "J90", "Pleural effusion", onset=days_ago(30))
    expect("f01", "inc-effusions", p, "fail")


def test_a_resolved_pericardial_effusion_passes() -> None:
    p = patient()
    p.condition(ICD10CM, "I31.3", "Pericardial effusion", onset="2024-01-01", clinical_status="resolved")
    expect("f01", "inc-effusions", p, "pass")


# -------------------------------------------------------------------------------------- pregnancy
def woman(age: int = 30) -> PatientBuilder:
    return PatientBuilder("f01-w", birth_date=ago(AS_OF, years=age), gender="female")


def test_a_woman_of_childbearing_potential_with_a_negative_test_this_month_passes() -> None:
    p = woman()
    p.observation(*HCG, value_code=NEGATIVE, date=days_ago(7))
    expect("f01", "inc-pregnancy", p, "pass")


def test_a_positive_pregnancy_test_fails() -> None:
    p = woman()
    p.observation(*HCG, value_code=POSITIVE, date=days_ago(7))
    expect("f01", "inc-pregnancy", p, "fail")


def test_no_pregnancy_test_in_the_last_month_is_unknown() -> None:
    p = woman()
    p.observation(*HCG, value_code=NEGATIVE, date=months_ago(1, days=1))
    expect("f01", "inc-pregnancy", p, "unknown")


def test_a_man_needs_no_pregnancy_test() -> None:
    expect("f01", "inc-pregnancy", fit_patient(), "pass")


# --------------------------------------------------------------------------- severe pulmonary disease
def test_pulmonary_artery_pressure_above_60_in_the_last_year_fails() -> None:
    p = patient()
    p.observation(LOINC, "59101-6", "Pulmonary artery pressure", value=62, unit="mm[Hg]", date=months_ago(10))
    expect("f01", "inc-effusions", p, "pass")
    expect("f01", "exc-severe-pulmonary", p, "fail")


def test_pulmonary_artery_pressure_of_60_passes() -> None:
    p = patient()
    p.observation(LOINC, "59101-6", "Pulmonary artery pressure", value=60, unit="mm[Hg]", date=months_ago(2))
    expect("f01", "exc-severe-pulmonary", p, "pass")


def test_oxygen_dependence_fails() -> None:
    p = patient()
    p.condition(ICD10CM, "Z99.81", "Dependence on supplemental oxygen", onset="2025-01-01")
    expect("f01", "exc-severe-pulmonary", p, "fail")


def test_an_undated_ventilation_procedure_is_unknown() -> None:
    p = patient()
    p.procedure(None, None, text="Non-invasive ventilation")
    expect("f01", "exc-severe-pulmonary", p, "unknown")


# ---------------------------------------------------------------------------- CNS lymphoma, kidney
def test_primary_cns_lymphoma_fails() -> None:
    p = patient()
    p.condition(
        ICD10CM, "C83.39", "Diffuse large B-cell lymphoma", text="Primary CNS lymphoma", onset="2020-01-01"
    )
    expect("f01", "exc-cns-lymphoma", p, "fail")


def test_a_lymphoma_outside_the_cns_is_not_a_cns_lymphoma() -> None:
    p = patient()
    p.condition(
        ICD10CM, "C83.39", "Diffuse large B-cell lymphoma", text="DLBCL of the stomach", onset="2020-01-01"
    )
    expect("f01", "exc-cns-lymphoma", p, "pass")


def test_kidney_transplant_status_ever_fails() -> None:
    p = patient()
    p.condition(ICD10CM, "Z94.0", "Kidney transplant status", onset="2010-01-01")
    expect("f01", "exc-kidney-transplant", p, "fail")


def test_an_undated_kidney_transplant_procedure_fails() -> None:
    p = patient()
    p.procedure(None, None, text="Renal transplant")
    expect("f01", "exc-kidney-transplant", p, "fail")


def test_no_kidney_transplant_passes() -> None:
    expect("f01", "exc-kidney-transplant", fit_patient(), "pass")


@pytest.mark.parametrize(("months", "status"), [(2, "fail"), (4, "pass")])
def test_plasmapheresis_within_three_months_fails(months: int, status: str) -> None:
    p = patient()
    p.procedure(None, None, text="Plasma exchange", date=months_ago(months))
    expect("f01", "exc-dialysis-plasmapheresis-3m", p, status)


def test_plasmapheresis_three_months_ago_to_the_day_is_inside_the_window() -> None:
    p = patient()
    p.procedure(None, None, text="Plasmapheresis", date=months_ago(3))
    expect("f01", "exc-dialysis-plasmapheresis-3m", p, "fail")


def test_undated_dialysis_is_unknown() -> None:
    p = patient()
    p.procedure(None, None, text="Hemodialysis session")
    expect("f01", "exc-dialysis-plasmapheresis-3m", p, "unknown")


# ------------------------------------------------------------------------------------ glucocorticoids
def test_a_methylprednisolone_pulse_last_month_fails() -> None:
    p = patient()
    p.medication(
        *METHYLPREDNISOLONE, start=days_ago(30), end=days_ago(28), status="completed",
        dose=(500, "mg"), route="intravenous",
    )  # fmt: skip
    result = expect("f01", "exc-pulse-gc-2m", p, "fail")
    assert "methylprednisolone 500 mg/day" in evidence_text(result)


def test_a_pulse_three_months_ago_does_not_exclude() -> None:
    p = patient()
    p.medication(
        *METHYLPREDNISOLONE, start=months_ago(3), end=months_ago(3), status="completed", dose=(1000, "mg")
    )
    expect("f01", "exc-pulse-gc-2m", p, "pass")


def test_a_glucocorticoid_without_a_dose_in_the_window_is_unknown() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=days_ago(40))
    expect("f01", "exc-pulse-gc-2m", p, "unknown")


def test_prednisone_10_mg_is_not_a_pulse() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=days_ago(40), dose=(10, "mg"))
    expect("f01", "exc-pulse-gc-2m", p, "pass")


def test_glucocorticoid_taper_stays_manual_and_shows_the_current_dose() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=days_ago(100), dose=(15, "mg"), per_day=2)
    result = expect("f01", "exc-gc-taper", p, "manual")
    assert "current prednisone-equivalent 30 mg/day: above 20 mg/day, taper needed" in evidence_text(result)


def test_glucocorticoid_taper_without_glucocorticoids_is_manual_too() -> None:
    result = expect("f01", "exc-gc-taper", fit_patient(), "manual")
    assert "no current glucocorticoid recorded" in evidence_text(result)


# ----------------------------------------------------------------------------------- cardiovascular
@pytest.mark.parametrize(("months", "status"), [(5, "fail"), (7, "pass")])
def test_myocardial_infarction_within_six_months_fails(months: int, status: str) -> None:
    p = patient()
    p.condition(
        SNOMED, "22298006", "Myocardial infarction", onset=months_ago(months), clinical_status="resolved"
    )
    expect("f01", "exc-cardiovascular", p, status)


def test_myocardial_infarction_without_a_date_is_unknown() -> None:
    p = patient()
    p.condition(SNOMED, "22298006", "Myocardial infarction", clinical_status="resolved")
    expect("f01", "exc-cardiovascular", p, "unknown")


def test_a_history_of_stroke_fails_whatever_its_status() -> None:
    p = patient()
    p.condition(ICD10CM, "I63.9", "Cerebral infarction", onset="2012-01-01", clinical_status="resolved")
    expect("f01", "exc-cardiovascular", p, "fail")


def test_nyha_class_iii_fails() -> None:
    p = patient()
    p.observation(LOINC, "88020-3", "NYHA", value_code=(SNOMED, "420913000", "Class III"), date=days_ago(10))
    expect("f01", "exc-cardiovascular", p, "fail")


def test_no_cardiovascular_disease_passes() -> None:
    expect("f01", "exc-cardiovascular", fit_patient(), "pass")


# ---------------------------------------------------------------------------------- other diseases
def test_rheumatoid_arthritis_is_another_autoimmune_disease() -> None:
    p = patient()
    p.condition(ICD10CM, "M05.79", "Rheumatoid arthritis with rheumatoid factor", onset="2015-01-01")
    expect("f01", "exc-other-autoimmune", p, "fail")


def test_behcet_named_in_text_is_another_autoimmune_disease() -> None:
    p = patient()
    p.condition(None, None, text="Behçet's disease", onset="2015-01-01", clinical_status="inactive")
    expect("f01", "exc-other-autoimmune", p, "fail")


def test_no_other_autoimmune_disease_passes() -> None:
    expect("f01", "exc-other-autoimmune", fit_patient(), "pass")


# --------------------------------------------------------------------------------------- malignancy
def cancer(code: str, display: str, status: str, abatement: str | None) -> PatientBuilder:
    p = patient()
    p.condition(ICD10CM, code, display, onset="2015-01-01", clinical_status=status, abatement=abatement)
    return p


def test_an_active_cancer_fails() -> None:
    expect("f01", "exc-malignancy", cancer("C50.911", "Breast cancer", "active", None), "fail")


def test_a_cancer_resolved_more_than_two_years_ago_passes() -> None:
    expect(
        "f01", "exc-malignancy", cancer("C50.911", "Breast cancer", "resolved", ago(AS_OF, years=2)), "pass"
    )


def test_a_cancer_resolved_less_than_two_years_ago_is_unknown() -> None:
    result = expect(
        "f01",
        "exc-malignancy",
        cancer("C50.911", "Breast cancer", "remission", ago(AS_OF, years=2, days=-1)),
        "unknown",
    )
    assert result.check is not None and "2 years" in result.check


def test_a_cured_basal_cell_carcinoma_is_excused_whenever_it_resolved() -> None:
    expect(
        "f01", "exc-malignancy", cancer("C44.91", "Basal cell carcinoma", "resolved", days_ago(100)), "pass"
    )


def test_a_resolved_prostate_cancer_under_two_years_needs_its_stage_checked() -> None:
    expect("f01", "exc-malignancy", cancer("C61", "Prostate cancer", "resolved", days_ago(100)), "unknown")


def test_a_personal_history_of_cancer_without_dates_is_unknown() -> None:
    p = patient()
    p.condition(ICD10CM, "Z85.3", "Personal history of breast cancer")
    expect("f01", "exc-malignancy", p, "unknown")


# ------------------------------------------------------------------------------------------ allergy
def test_an_allergy_to_fludarabine_named_in_text_fails_and_says_matched_by_name() -> None:
    p = patient()
    p.allergy(None, None, text="Fludarabine phosphate")
    result = expect("f01", "exc-allergy", p, "fail")
    assert "matched by name" in evidence_text(result)


def test_an_allergy_to_tocilizumab_coded_in_rxnorm_fails() -> None:
    p = patient()
    p.allergy(RXNORM, "612865", "tocilizumab")
    expect("f01", "exc-allergy", p, "fail")


def test_an_allergy_to_rituximab_alone_is_not_a_study_drug_allergy() -> None:
    p = patient()
    p.allergy(*RITUXIMAB)
    expect("f01", "exc-allergy", p, "pass")


def test_an_anaphylactic_reaction_to_anything_fails() -> None:
    p = patient()
    a = p.allergy(None, None, text="Peanut")
    a["reaction"] = [{"manifestation": [{"text": "Anaphylaxis"}]}]
    expect("f01", "exc-allergy", p, "fail")


def test_a_refuted_severe_allergy_is_ignored() -> None:
    p = patient()
    a = p.allergy(None, None, text="Penicillin", criticality="high")
    a["verificationStatus"]["coding"][0]["code"] = "refuted"
    expect("f01", "exc-allergy", p, "pass")


# -------------------------------------------------------------------------------- prior cell therapy
def test_a_stem_cell_transplant_long_ago_fails() -> None:
    p = patient()
    p.procedure(SNOMED, "234336002", "Hemopoietic stem cell transplant", date="2012-05-01")
    expect("f01", "exc-prior-cell-therapy", p, "fail")


def test_car_t_therapy_named_in_a_procedure_fails() -> None:
    p = patient()
    p.procedure(None, None, text="CAR-T cell infusion", date="2024-05-01")
    expect("f01", "exc-prior-cell-therapy", p, "fail")


def test_no_cell_therapy_passes() -> None:
    expect("f01", "exc-prior-cell-therapy", fit_patient(), "pass")


# ---------------------------------------------------------------------------------------- biologics
def test_rituximab_two_weeks_ago_fails() -> None:
    p = patient()
    p.medication(*RITUXIMAB, start=days_ago(14), end=days_ago(14), status="completed")
    expect("f01", "exc-biologic-1m", p, "fail")


def test_telitacicept_named_in_text_within_a_month_fails() -> None:
    p = patient()
    p.medication(None, None, text="Telitacicept 160 mg weekly", start=days_ago(60))
    expect("f01", "exc-biologic-1m", p, "fail")


def test_a_biologic_stopped_more_than_a_month_ago_passes() -> None:
    p = patient()
    p.medication(*RITUXIMAB, start=months_ago(6), end=months_ago(1, days=1), status="completed")
    expect("f01", "exc-biologic-1m", p, "pass")


# ------------------------------------------------------------------------------------- live vaccines
@pytest.mark.parametrize(("days", "status"), [(20, "fail"), (40, "pass")])
def test_a_live_vaccine_within_a_month_fails(days: int, status: str) -> None:
    p = patient()
    p.immunization("03", "MMR", date=days_ago(days))
    expect("f01", "exc-live-vaccine-1m", p, status)


def test_an_inactivated_vaccine_does_not_count() -> None:
    p = patient()
    p.immunization("140", "Influenza, injectable, preservative free", date=days_ago(5))
    expect("f01", "exc-live-vaccine-1m", p, "pass")


def test_a_live_vaccine_without_a_date_is_unknown() -> None:
    p = patient()
    del p.immunization("21", "varicella", date=days_ago(5))["occurrenceDateTime"]
    expect("f01", "exc-live-vaccine-1m", p, "unknown")


# ----------------------------------------------------------------------------------- anti-infectives


def with_atc(code: str, display: str) -> tuple[str, str, str]:
    return ("http://www.whocc.no/atc", code, display)


def test_a_systemic_antibiotic_in_the_last_14_days_fails() -> None:
    p = patient()
    p.medication(
        *with_atc("J01CA04", "amoxicillin"), start=days_ago(5), dose=(500, "mg"), per_day=3, route="oral"
    )
    expect("f01", "exc-active-infection", p, "fail")


def test_a_prophylactic_antiviral_passes() -> None:
    p = patient()
    p.medication(
        *with_atc("J05AB11", "valaciclovir"), start=days_ago(60), route="oral", reason_text="HSV prophylaxis"
    )
    expect("f01", "exc-active-infection", p, "pass")


def test_a_topical_antibiotic_is_not_systemic() -> None:
    p = patient()
    p.medication(*with_atc("J01XX01", "fosfomycin"), start=days_ago(5), route="topical")
    expect("f01", "exc-active-infection", p, "pass")


def test_an_antibiotic_finished_more_than_14_days_ago_passes() -> None:
    p = patient()
    p.medication(
        *with_atc("J01CA04", "amoxicillin"), start=days_ago(30), end=days_ago(15), status="completed"
    )
    expect("f01", "exc-active-infection", p, "pass")


# -------------------------------------------------------------------------------------- infections
def test_a_positive_hbsag_in_three_months_fails() -> None:
    p = patient()
    p.observation(LOINC, "5196-1", "HBsAg", value_code=POSITIVE, date=days_ago(30))
    expect("f01", "exc-hbv-hcv-hiv-syphilis", p, "fail")


def test_an_hiv_infection_condition_fails() -> None:
    p = patient()
    p.condition(ICD10CM, "B20", "HIV disease", onset="2010-01-01")
    expect("f01", "exc-hbv-hcv-hiv-syphilis", p, "fail")


def test_negative_serologies_pass() -> None:
    p = patient()
    p.observation(LOINC, "5196-1", "HBsAg", value_code=NEGATIVE, date=days_ago(30))
    p.observation(LOINC, "7918-6", "HIV 1+2 Ab", value_code=NEGATIVE, date=days_ago(30))
    expect("f01", "exc-hbv-hcv-hiv-syphilis", p, "pass")


def test_a_resolved_hepatitis_c_is_not_active() -> None:
    p = patient()
    p.condition(ICD10CM, "B18.2", "Chronic viral hepatitis C", onset="2010-01-01", clinical_status="resolved")
    expect("f01", "exc-hbv-hcv-hiv-syphilis", p, "pass")


def test_latent_tuberculosis_fails_even_when_treated() -> None:
    p = patient()
    p.condition(ICD10CM, "R76.12", "Positive IGRA", onset="2019-01-01", clinical_status="resolved")
    expect("f01", "exc-tuberculosis", p, "fail")


@pytest.mark.parametrize(("months", "status"), [(5, "fail"), (7, "pass")])
def test_a_positive_igra_in_six_months_fails(months: int, status: str) -> None:
    p = patient()
    p.observation(LOINC, "71773-6", "IGRA", value_code=POSITIVE, date=months_ago(months))
    expect("f01", "exc-tuberculosis", p, status)
