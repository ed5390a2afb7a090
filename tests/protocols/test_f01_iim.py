"""F01 cohort `iim`: diagnosis, MMT-8, the core-set measures, treatment history and other myopathies,
each with pass, fail and unknown patients."""

from __future__ import annotations

from cds.fhir.builder import ICD10CM, LOCAL, LOINC, PatientBuilder
from protocols.f01_patients import (
    AZATHIOPRINE,
    DERMATOMYOSITIS,
    IBM,
    METHOTREXATE,
    PREDNISONE,
    days_ago,
    months_ago,
)
from protocols.support import evidence_text, expect

MMT8 = (LOCAL, "mmt-8", "MMT-8")
PATIENT_VAS = (LOCAL, "imacs-patient-global", "Patient global VAS")
PHYSICIAN_VAS = (LOCAL, "imacs-physician-global", "Physician global VAS")
EXTRAMUSCULAR_VAS = (LOCAL, "imacs-extramuscular", "Extramuscular VAS")
HAQ = (LOINC, "75874-8", "HAQ-DI")
ENZYMES = [
    (LOINC, "2157-6", "CK"),
    (LOINC, "1761-6", "Aldolase"),
    (LOINC, "2532-0", "LDH"),
    (LOINC, "1920-8", "AST"),
    (LOINC, "1742-6", "ALT"),
]


def patient() -> PatientBuilder:
    return PatientBuilder("f01-iim", birth_date="1975-07-20", gender="female")


# ---------------------------------------------------------------------------------------- iim-dx
def test_dermatomyositis_passes() -> None:
    p = patient()
    p.condition(*DERMATOMYOSITIS, onset="2023-01-01")
    expect("f01", "iim-dx", p, "pass")


def test_necrotizing_myopathy_named_in_text_passes() -> None:
    p = patient()
    p.condition(
        ICD10CM,
        "G72.49",
        "Other inflammatory and immune myopathies",
        text="Immune-mediated necrotizing myopathy",
    )
    expect("f01", "iim-dx", p, "pass")


def test_inclusion_body_myositis_is_not_an_iim_of_this_cohort() -> None:
    p = patient()
    p.condition(*IBM, onset="2023-01-01")
    expect("f01", "iim-dx", p, "fail")


# -------------------------------------------------------------------------------------- iim-mmt8
def test_mmt8_of_141_passes_and_142_fails() -> None:
    weak, strong = patient(), patient()
    weak.observation(*MMT8, value=141, unit="{score}", date=days_ago(10))
    strong.observation(*MMT8, value=142, unit="{score}", date=days_ago(10))
    expect("f01", "iim-mmt8", weak, "pass")
    expect("f01", "iim-mmt8", strong, "fail")


def test_no_mmt8_is_unknown() -> None:
    expect("f01", "iim-mmt8", patient(), "unknown")


# ---------------------------------------------------------------------------------- iim-core-set
def with_normal_enzymes(p: PatientBuilder) -> PatientBuilder:
    for enzyme in ENZYMES:
        p.observation(*enzyme, value=20, unit="U/L", date=days_ago(10), high=200)
    return p


def test_two_vas_of_at_least_2_pass() -> None:
    p = patient()
    p.observation(*PATIENT_VAS, value=3, unit="cm", date=days_ago(10))
    p.observation(*PHYSICIAN_VAS, value=25, unit="mm", date=days_ago(10))
    result = expect("f01", "iim-core-set", p, "pass")
    assert "2 of 5 core-set measures abnormal" in evidence_text(result)


def test_a_high_muscle_enzyme_counts_as_one_measure() -> None:
    p = patient()
    p.observation(*HAQ, value="0.5", unit="{score}", date=days_ago(10))
    p.observation(*ENZYMES[0], value=900, unit="U/L", date=days_ago(10), high=170)
    expect("f01", "iim-core-set", p, "pass")


def test_one_abnormal_measure_with_all_others_measured_normal_fails() -> None:
    p = with_normal_enzymes(patient())
    p.observation(*PATIENT_VAS, value=5, unit="cm", date=days_ago(10))
    p.observation(*PHYSICIAN_VAS, value=1, unit="cm", date=days_ago(10))
    p.observation(*EXTRAMUSCULAR_VAS, value=1.9, unit="cm", date=days_ago(10))
    p.observation(*HAQ, value="0.2", unit="{score}", date=days_ago(10))
    expect("f01", "iim-core-set", p, "fail")


def test_one_abnormal_measure_and_an_enzyme_not_all_measured_is_unknown() -> None:
    p = patient()
    p.observation(*PATIENT_VAS, value=5, unit="cm", date=days_ago(10))
    p.observation(*PHYSICIAN_VAS, value=1, unit="cm", date=days_ago(10))
    p.observation(*EXTRAMUSCULAR_VAS, value=1, unit="cm", date=days_ago(10))
    p.observation(*HAQ, value="0.1", unit="{score}", date=days_ago(10))
    p.observation(*ENZYMES[0], value=100, unit="U/L", date=days_ago(10), high=170)  # CK only, normal
    expect("f01", "iim-core-set", p, "unknown")


# -------------------------------------------------------------------------------- iim-refractory
def test_glucocorticoid_with_two_immunosuppressants_for_three_months_passes() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=months_ago(9), dose=(10, "mg"))
    p.medication(*AZATHIOPRINE, start=months_ago(9), end=months_ago(5), status="stopped")
    p.medication(*METHOTREXATE, start=months_ago(5), dose=(15, "mg"))
    expect("f01", "iim-refractory", p, "pass")


def test_two_records_of_the_same_immunosuppressant_count_once() -> None:
    p = patient()
    p.medication(*PREDNISONE, start=months_ago(9), dose=(10, "mg"))
    p.medication(*AZATHIOPRINE, start=months_ago(9), end=months_ago(5), status="stopped")
    p.medication(None, None, text="Azathioprine 50 mg tablet", start=months_ago(5))
    result = expect("f01", "iim-refractory", p, "unknown")
    assert "1 immunosuppressant(s) documented for 3 months; needs 2" in evidence_text(result)


def test_no_treatment_history_is_unknown_not_fail() -> None:
    expect("f01", "iim-refractory", patient(), "unknown")


# ---------------------------------------------------------------------------- iim-other-myopathy
def test_inclusion_body_myositis_excludes() -> None:
    p = patient()
    p.condition(*IBM, onset="2023-01-01")
    expect("f01", "iim-other-myopathy", p, "fail")


def test_a_statin_induced_myopathy_named_in_text_excludes() -> None:
    p = patient()
    p.condition(None, None, text="Statin-induced myopathy", onset="2021-01-01", clinical_status="resolved")
    expect("f01", "iim-other-myopathy", p, "fail")


def test_drug_induced_myopathy_coded_g72_0_excludes() -> None:
    p = patient()
    p.condition(ICD10CM, "G72.0", "Drug-induced myopathy", onset="2021-01-01")
    expect("f01", "iim-other-myopathy", p, "fail")


def test_dermatomyositis_alone_is_not_another_myopathy() -> None:
    p = patient()
    p.condition(*DERMATOMYOSITIS, onset="2023-01-01")
    expect("f01", "iim-other-myopathy", p, "pass")
