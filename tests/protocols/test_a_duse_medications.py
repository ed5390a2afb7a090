"""A-DUSE criteria that read medications (CRITERIA.md "A-DUSE" and rules 6 and 7): standard digital
ulcer treatment, unstable vasoactive drugs, antibiotics for an infected ulcer, botulinum toxin."""

from __future__ import annotations

from cds.fhir.builder import ATC, ICD10CM, RXNORM, PatientBuilder, ago

from .support import AS_OF, evidence_text, expect

A = "a-duse"
NIFEDIPINE = (RXNORM, "7417", "nifedipine")
AMLODIPINE = (RXNORM, "17767", "amlodipine")
BOSENTAN = (RXNORM, "75207", "bosentan")
ATORVASTATIN = (RXNORM, "83367", "atorvastatin")
AMOXICLAV = (ATC, "J01CR02", "amoxicillin and beta-lactamase inhibitor")
BOTULINUM = (ATC, "M03AX01", "botulinum toxin")


# -------------------------------------------------------------------- inc-du-standard-treatment
def test_calcium_channel_blocker_for_6_months_is_standard_treatment() -> None:
    p = PatientBuilder("m1")
    p.medication(*NIFEDIPINE, start=ago(AS_OF, months=6), dose=(30, "mg"), route="oral")
    result = expect(A, "inc-du-standard-treatment", p, "pass")
    assert result.evidence[0].reference == "MedicationStatement/m1-med1"


def test_treatment_for_exactly_8_weeks_is_enough() -> None:
    p = PatientBuilder("m2")
    p.medication(*BOSENTAN, start=ago(AS_OF, weeks=8), dose=(62.5, "mg"), per_day=2)
    expect(A, "inc-du-standard-treatment", p, "pass")


def test_treatment_for_one_day_less_than_8_weeks_leaves_it_unknown() -> None:
    p = PatientBuilder("m3")
    p.medication(*BOSENTAN, start=ago(AS_OF, weeks=8, days=-1), dose=(62.5, "mg"), per_day=2)
    result = expect(A, "inc-du-standard-treatment", p, "unknown")
    assert result.check is not None and "not documented for 8 weeks" in result.check


def test_past_treatment_of_3_months_still_documents_standard_treatment() -> None:
    p = PatientBuilder("m4")
    p.medication(*NIFEDIPINE, start="2025-01-01", end="2025-04-01", status="completed")
    expect(A, "inc-du-standard-treatment", p, "pass")


def test_standard_treatment_named_only_in_text_counts_and_says_so() -> None:
    p = PatientBuilder("m5")
    p.medication(None, None, text="Sildenafil 20 mg tablet", start=ago(AS_OF, months=4))
    result = expect(A, "inc-du-standard-treatment", p, "pass")
    assert "name" in evidence_text(result)


def test_no_standard_treatment_recorded_is_unknown() -> None:
    result = expect(A, "inc-du-standard-treatment", PatientBuilder("m6"), "unknown")
    assert result.check == "standard digital ulcer treatment (PNDS) for at least 8 weeks"


# ---------------------------------------------------------------------- exc-vasoactive-unstable
def test_no_vasoactive_drug_passes() -> None:
    result = expect(A, "exc-vasoactive-unstable", PatientBuilder("m7"), "pass")
    assert "no current statin" in evidence_text(result)


def test_amlodipine_for_a_year_is_stable() -> None:
    p = PatientBuilder("m8")
    p.medication(*AMLODIPINE, start=ago(AS_OF, years=1), dose=(5, "mg"))
    expect(A, "exc-vasoactive-unstable", p, "pass")


def test_statin_started_exactly_3_months_ago_is_stable() -> None:
    p = PatientBuilder("m9")
    p.medication(*ATORVASTATIN, start=ago(AS_OF, months=3), dose=(20, "mg"))
    expect(A, "exc-vasoactive-unstable", p, "pass")


def test_statin_started_one_day_less_than_3_months_ago_excludes() -> None:
    p = PatientBuilder("m10")
    p.medication(*ATORVASTATIN, start=ago(AS_OF, months=3, days=-1), dose=(20, "mg"))
    result = expect(A, "exc-vasoactive-unstable", p, "fail")
    assert "started less than 3 months ago" in evidence_text(result)


def test_renewed_prescriptions_count_from_the_first_one() -> None:
    p = PatientBuilder("m11")
    p.medication_request(
        *AMLODIPINE, authored=ago(AS_OF, months=6), end=ago(AS_OF, months=2), status="completed"
    )
    p.medication_request(*AMLODIPINE, authored=ago(AS_OF, months=2), dose=(5, "mg"))
    expect(A, "exc-vasoactive-unstable", p, "pass")


def test_dose_changed_two_weeks_ago_excludes() -> None:
    p = PatientBuilder("m12")
    p.medication(
        *AMLODIPINE, start=ago(AS_OF, years=1), end=ago(AS_OF, weeks=2), dose=(5, "mg"), status="completed"
    )
    p.medication(*AMLODIPINE, start=ago(AS_OF, weeks=2), dose=(10, "mg"))
    result = expect(A, "exc-vasoactive-unstable", p, "fail")
    assert "dose changed in the last month" in evidence_text(result)


def test_a_stopped_vasodilator_does_not_count() -> None:
    p = PatientBuilder("m13")
    p.medication(*NIFEDIPINE, start=ago(AS_OF, months=2), end=ago(AS_OF, weeks=3), status="completed")
    expect(A, "exc-vasoactive-unstable", p, "pass")


def test_current_vasodilator_without_start_date_is_unknown() -> None:
    p = PatientBuilder("m14")
    p.medication(*NIFEDIPINE, dose=(30, "mg"), asserted=ago(AS_OF, weeks=1))
    result = expect(A, "exc-vasoactive-unstable", p, "unknown")
    assert result.check is not None and "was started" in result.check


def test_one_recent_drug_among_stable_ones_excludes() -> None:
    p = PatientBuilder("m15")
    p.medication(*AMLODIPINE, start=ago(AS_OF, years=2), dose=(5, "mg"))
    p.medication(RXNORM, "67108", "enoxaparin", start=ago(AS_OF, weeks=3), route="subcutaneous")
    expect(A, "exc-vasoactive-unstable", p, "fail")


# --------------------------------------------------------------------------- exc-antibiotics-du
def antibiotic(p: PatientBuilder, **kwargs: object) -> None:
    defaults: dict[str, object] = {"start": ago(AS_OF, weeks=2), "end": ago(AS_OF, weeks=1), "route": "oral"}
    p.medication(*AMOXICLAV, **{**defaults, **kwargs}, status="completed")  # type: ignore[arg-type]


def test_oral_antibiotic_for_an_infected_digital_ulcer_excludes() -> None:
    p = PatientBuilder("m16")
    antibiotic(p, reason_text="infected digital ulcer")
    expect(A, "exc-antibiotics-du", p, "fail")


def test_antibiotic_for_finger_cellulitis_coded_excludes() -> None:
    p = PatientBuilder("m17")
    antibiotic(p, reason=(ICD10CM, "L03.011", "Cellulitis of right finger"))
    expect(A, "exc-antibiotics-du", p, "fail")


def test_antibiotic_without_reason_is_unknown() -> None:
    p = PatientBuilder("m18")
    antibiotic(p)
    result = expect(A, "exc-antibiotics-du", p, "unknown")
    assert result.check is not None and "why the antibiotic was given" in result.check


def test_antibiotic_for_another_reason_passes() -> None:
    p = PatientBuilder("m19")
    antibiotic(p, reason_text="community-acquired pneumonia")
    expect(A, "exc-antibiotics-du", p, "pass")


def test_topical_antibiotic_does_not_count() -> None:
    p = PatientBuilder("m20")
    antibiotic(p, route="topical", reason_text="infected digital ulcer")
    expect(A, "exc-antibiotics-du", p, "pass")


def test_antibiotic_ending_exactly_4_weeks_ago_counts() -> None:
    p = PatientBuilder("m21")
    antibiotic(p, start=ago(AS_OF, weeks=6), end=ago(AS_OF, weeks=4), reason_text="infected digital ulcer")
    expect(A, "exc-antibiotics-du", p, "fail")


def test_antibiotic_ending_one_day_before_the_4_weeks_does_not_count() -> None:
    p = PatientBuilder("m22")
    antibiotic(
        p, start=ago(AS_OF, weeks=6), end=ago(AS_OF, weeks=4, days=1), reason_text="infected digital ulcer"
    )
    expect(A, "exc-antibiotics-du", p, "pass")


# ----------------------------------------------------------------------------- exc-botulinum-4w
def test_botulinum_injection_procedure_3_weeks_ago_excludes() -> None:
    p = PatientBuilder("m23")
    p.procedure(None, None, text="Botulinum toxin injection, left hand fingers", date=ago(AS_OF, weeks=3))
    expect(A, "exc-botulinum-4w", p, "fail")


def test_botulinum_injection_exactly_4_weeks_ago_excludes() -> None:
    p = PatientBuilder("m24")
    p.procedure(None, None, text="Botox injection to digits", date=ago(AS_OF, weeks=4))
    expect(A, "exc-botulinum-4w", p, "fail")


def test_botulinum_injection_one_day_before_the_4_weeks_does_not_exclude() -> None:
    p = PatientBuilder("m25")
    p.procedure(None, None, text="Botox injection to digits", date=ago(AS_OF, weeks=4, days=1))
    expect(A, "exc-botulinum-4w", p, "pass")


def test_botulinum_toxin_given_as_a_medication_excludes() -> None:
    p = PatientBuilder("m26")
    p.medication(*BOTULINUM, start=ago(AS_OF, weeks=2), end=ago(AS_OF, weeks=2), status="completed")
    result = expect(A, "exc-botulinum-4w", p, "fail")
    assert result.evidence[0].reference == "MedicationStatement/m26-med1"


def test_botulinum_injection_without_date_is_unknown() -> None:
    p = PatientBuilder("m27")
    p.procedure(None, None, text="Botulinum toxin injection")
    expect(A, "exc-botulinum-4w", p, "unknown")


def test_no_botulinum_toxin_passes() -> None:
    expect(A, "exc-botulinum-4w", PatientBuilder("m28"), "pass")
