"""A-DUSE inclusion criteria (CRITERIA.md "A-DUSE"), except the treatment history, which is with the
medication criteria: pass, fail and unknown patients and the boundaries of each."""

from __future__ import annotations

from cds.fhir.builder import ICD10CM, LOCAL, SNOMED, PatientBuilder, ago

from .support import AS_OF, FINGER, SKIN_ULCER, SSC, evidence_text, expect, ssc_with_digital_ulcer

A = "a-duse"
# A site-local body-structure code: what decides is the coded display.
DISTAL_PHALANX = ("http://example.org/site-body-sites", "DP-2R", "Distal phalanx of right index finger")


# -------------------------------------------------------------------------------------- inc-age
def test_age_17_is_not_included() -> None:
    expect(A, "inc-age", PatientBuilder("a1", birth_date=ago(AS_OF, years=18, days=-1)), "fail")


def test_age_18_on_the_birthday_is_included() -> None:
    expect(A, "inc-age", PatientBuilder("a2", birth_date=ago(AS_OF, years=18)), "pass")


def test_age_without_birth_date_is_unknown() -> None:
    expect(A, "inc-age", PatientBuilder("a3", birth_date=None), "unknown")


# -------------------------------------------------------------------------------------- inc-ssc
def test_systemic_sclerosis_diagnosis_is_included() -> None:
    p = PatientBuilder("a4")
    p.condition(*SSC, onset="2015-01-01")
    result = expect(A, "inc-ssc", p, "pass")
    assert result.evidence[0].reference == "Condition/a4-cond1"


def test_limited_subtype_coded_in_icd10cm_counts_as_systemic_sclerosis() -> None:
    p = PatientBuilder("a5")
    p.condition(ICD10CM, "M34.1", "CR(E)ST syndrome")
    expect(A, "inc-ssc", p, "pass")


def test_no_systemic_sclerosis_is_not_included() -> None:
    result = expect(A, "inc-ssc", PatientBuilder("a6"), "fail")
    assert evidence_text(result) == "no systemic sclerosis recorded"


def test_resolved_systemic_sclerosis_does_not_count() -> None:
    p = PatientBuilder("a7")
    p.condition(*SSC, clinical_status="resolved")
    expect(A, "inc-ssc", p, "fail")


def test_classification_score_8_fails_despite_the_diagnosis() -> None:
    p = PatientBuilder("a8")
    p.condition(*SSC)
    p.observation(
        LOCAL, "ssc-acr-eular-2013", "2013 ACR/EULAR SSc score", value=8, unit="{score}", date="2024-02-02"
    )
    result = expect(A, "inc-ssc", p, "fail")
    assert "2013 ACR/EULAR SSc score 8" in evidence_text(result)


def test_classification_score_9_passes_and_is_shown() -> None:
    p = PatientBuilder("a9")
    p.condition(*SSC)
    p.observation(
        LOCAL, "ssc-acr-eular-2013", "2013 ACR/EULAR SSc score", value=9, unit="{score}", date="2024-02-02"
    )
    result = expect(A, "inc-ssc", p, "pass")
    assert "score 9" in evidence_text(result)


def test_classification_score_without_diagnosis_is_not_included() -> None:
    p = PatientBuilder("a10")
    p.observation(
        LOCAL, "ssc-acr-eular-2013", "2013 ACR/EULAR SSc score", value=12, unit="{score}", date="2024-02-02"
    )
    expect(A, "inc-ssc", p, "fail")


# -------------------------------------------------------------------------------- inc-active-du
def test_ulcer_with_a_finger_body_site_is_an_active_digital_ulcer() -> None:
    result = expect(A, "inc-active-du", ssc_with_digital_ulcer("a11"), "pass")
    assert "finger site read from its text or body site" in evidence_text(result)


def test_ulcer_whose_text_says_digital_is_an_active_digital_ulcer() -> None:
    p = PatientBuilder("a12")
    p.condition(*SKIN_ULCER, text="Digital ulcer, right middle finger")
    expect(A, "inc-active-du", p, "pass")


def test_icd10cm_ulcer_code_with_fingertip_in_the_display_is_a_digital_ulcer() -> None:
    p = PatientBuilder("a13")
    p.condition(
        ICD10CM, "L98.491", "Non-pressure chronic ulcer of skin of fingertip, limited to breakdown of skin"
    )
    expect(A, "inc-active-du", p, "pass")


def test_ulcer_without_a_finger_site_is_not_a_digital_ulcer_and_is_shown() -> None:
    p = PatientBuilder("a14")
    p.condition(*SKIN_ULCER, text="Skin ulcer of left ankle")
    result = expect(A, "inc-active-du", p, "fail")
    assert "active skin ulcer with no finger site recorded: Skin ulcer of left ankle" in evidence_text(result)


def test_healed_digital_ulcer_is_not_active() -> None:
    p = PatientBuilder("a15")
    p.condition(*SKIN_ULCER, body_site=FINGER, clinical_status="resolved")
    expect(A, "inc-active-du", p, "fail")


def test_digital_words_without_an_ulcer_code_do_not_count() -> None:
    p = PatientBuilder("a16")
    p.condition(SNOMED, "195295006", "Raynaud's phenomenon", text="Raynaud's phenomenon of fingers")
    expect(A, "inc-active-du", p, "fail")


# ---------------------------------------------------------------------------- inc-du-refractory
def test_ulcer_active_for_exactly_8_weeks_is_refractory() -> None:
    expect(A, "inc-du-refractory", ssc_with_digital_ulcer("a17", ulcer_onset=ago(AS_OF, weeks=8)), "pass")


def test_ulcer_active_for_one_day_less_than_8_weeks_is_not_refractory() -> None:
    p = ssc_with_digital_ulcer("a18", ulcer_onset=ago(AS_OF, weeks=8, days=-1))
    result = expect(A, "inc-du-refractory", p, "fail")
    assert "onset less than 8 weeks before" in evidence_text(result)


def test_ulcer_without_onset_date_leaves_refractoriness_unknown() -> None:
    result = expect(A, "inc-du-refractory", ssc_with_digital_ulcer("a19", ulcer_onset=None), "unknown")
    assert result.check is not None and "when the digital ulcer began" in result.check


def test_ulcer_onset_known_only_to_the_year_is_unknown() -> None:
    expect(A, "inc-du-refractory", ssc_with_digital_ulcer("a20", ulcer_onset="2026"), "unknown")


def test_one_old_ulcer_among_recent_ones_is_refractory() -> None:
    p = ssc_with_digital_ulcer("a21", ulcer_onset=ago(AS_OF, weeks=2))
    p.condition(*SKIN_ULCER, onset=ago(AS_OF, weeks=12), text="Fingertip ulcer")
    result = expect(A, "inc-du-refractory", p, "pass")
    assert [e.reference for e in result.evidence] == ["Condition/a21-cond3"]


def test_no_active_digital_ulcer_is_not_refractory() -> None:
    p = PatientBuilder("a22")
    p.condition(*SSC)
    expect(A, "inc-du-refractory", p, "fail")


# ----------------------------------------------------------------------------- inc-du-location
def test_ulcer_coded_on_a_distal_phalanx_is_located_beyond_the_pip_joint() -> None:
    p = PatientBuilder("a23")
    p.condition(*SKIN_ULCER, text="Digital ulcer", body_site=DISTAL_PHALANX)
    result = expect(A, "inc-du-location", p, "pass")
    assert "distal phalanx (coded body site)" in evidence_text(result)


def test_ulcer_location_without_a_coded_phalanx_stays_manual() -> None:
    result = expect(A, "inc-du-location", ssc_with_digital_ulcer("a24"), "manual")
    assert result.check is not None and "proximal interphalangeal" in result.check
    assert result.evidence == ()
