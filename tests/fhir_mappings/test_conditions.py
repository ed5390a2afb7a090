"""fhir_mappings/Conditions.cql: diagnoses by value set, usable and active records, labels, evidence,
and the diagnosis-shaped inclusion and exclusion (CRITERIA.md rules 2, 3 and 5)."""

from __future__ import annotations

from typing import Any

from protocols.support import mapping_value

from cds.fhir.builder import ICD10CM, SNOMED, PatientBuilder

SSC = (SNOMED, "89155008", "Systemic sclerosis")
FINGER = (SNOMED, "7569003", "Finger structure")


def conditions(expression: str, p: PatientBuilder) -> Any:
    return mapping_value(expression, p, ["Conditions"])


def ids(expression: str, p: PatientBuilder) -> list[str]:
    return [c.data["id"] for c in conditions(expression, p)]


def test_recorded_keeps_every_clinical_status() -> None:
    p = PatientBuilder("c1")
    p.condition(*SSC, clinical_status="resolved")
    p.condition(*SSC, clinical_status="inactive")
    assert ids('Conditions.Recorded("dx-ssc")', p) == ["c1-cond1", "c1-cond2"]


def test_refuted_and_entered_in_error_diagnoses_are_not_usable() -> None:
    p = PatientBuilder("c2")
    p.condition(*SSC, verification="refuted")
    p.condition(*SSC, verification="entered-in-error")
    p.condition(*SSC, verification="provisional")
    assert ids('Conditions.Recorded("dx-ssc")', p) == ["c2-cond3"]


def test_active_counts_active_recurrence_relapse_and_absent_status_only() -> None:
    p = PatientBuilder("c3")
    for status in ("active", "recurrence", "relapse", None, "resolved", "remission", "inactive"):
        p.condition(*SSC, clinical_status=status)
    assert ids('Conditions.Active("dx-ssc")', p) == ["c3-cond1", "c3-cond2", "c3-cond3", "c3-cond4"]


def test_icd10cm_codes_match_with_or_without_the_dot() -> None:
    p = PatientBuilder("c4")
    p.condition(ICD10CM, "M34.1", "CR(E)ST syndrome")
    p.condition(ICD10CM, "M341", "CR(E)ST syndrome")
    assert ids('Conditions.Recorded("dx-ssc")', p) == ["c4-cond1", "c4-cond2"]


def test_a_keyword_set_matches_the_word_in_the_text_of_a_record_of_its_scope() -> None:
    p = PatientBuilder("c5")
    p.condition(*SSC, text="Diffuse cutaneous systemic sclerosis")
    p.condition(*SSC, text="Limited cutaneous systemic sclerosis")
    assert ids('Conditions.Recorded("dx-ssc-diffuse")', p) == ["c5-cond1"]


def test_a_keyword_outside_the_scope_set_does_not_count() -> None:
    p = PatientBuilder("c6")
    p.condition(SNOMED, "233703007", "Interstitial lung disease", text="Diffuse interstitial lung disease")
    assert ids('Conditions.Recorded("dx-ssc-diffuse")', p) == []


def test_has_keyword_reads_body_site_displays() -> None:
    p = PatientBuilder("c7")
    p.condition(SNOMED, "46742003", "Skin ulcer", body_site=FINGER)
    assert conditions('Conditions.HasKeyword(First([Condition]), "dx-du")', p) is True


def test_has_keyword_needs_the_word_to_start_a_word() -> None:
    p = PatientBuilder("c8")
    p.condition(SNOMED, "46742003", "Skin ulcer", text="Skin ulcer, nondigital site")
    assert conditions('Conditions.HasKeyword(First([Condition]), "dx-du")', p) is False


def test_has_keyword_finds_a_keyword_that_starts_a_longer_word() -> None:
    p = PatientBuilder("c9")
    p.condition(SNOMED, "46742003", "Skin ulcer", text="Ulcer of left index fingertip")
    assert conditions('Conditions.HasKeyword(First([Condition]), "dx-du")', p) is True


def test_label_prefers_text_then_display_then_code() -> None:
    p = PatientBuilder("c10")
    p.condition(*SSC, text="dcSSc")
    p.condition(*SSC)
    p.condition(SNOMED, "89155008")
    assert conditions("[Condition] C return Conditions.Label(C)", p) == [
        "dcSSc",
        "Systemic sclerosis",
        "89155008",
    ]


def test_evidence_names_the_condition_its_onset_and_reference() -> None:
    p = PatientBuilder("c11")
    p.condition(*SSC, onset="2015-03-04")
    assert conditions("Conditions.Evidence(First([Condition]))", p) == {
        "reference": "Condition/c11-cond1",
        "display": "Systemic sclerosis, onset 2015-03-04",
        "date": "2015-03-04",
    }


def test_evidence_without_onset_is_dated_by_the_recorded_date() -> None:
    p = PatientBuilder("c12")
    p.condition(*SSC, recorded="2020-05-06")
    evidence = conditions("Conditions.Evidence(First([Condition]))", p)
    assert (evidence["display"], evidence["date"]) == ("Systemic sclerosis", "2020-05-06")


def test_required_diagnosis_passes_with_its_evidence() -> None:
    p = PatientBuilder("c13")
    p.condition(*SSC, onset="2015-03-04")
    result = conditions("Conditions.Required(Conditions.Active(\"dx-ssc\"), 'systemic sclerosis')", p)
    assert result["status"] == "pass"
    assert [e["reference"] for e in result["evidence"]] == ["Condition/c13-cond1"]


def test_missing_required_diagnosis_fails_saying_what_was_looked_for() -> None:
    result = conditions(
        "Conditions.Required(Conditions.Active(\"dx-ssc\"), 'systemic sclerosis')", PatientBuilder("c14")
    )
    assert result["status"] == "fail"
    assert result["evidence"][0]["display"] == "no systemic sclerosis recorded"


def test_an_excluding_diagnosis_fails_with_its_evidence() -> None:
    p = PatientBuilder("c15")
    p.condition(SNOMED, "60168000", "Osteomyelitis")
    result = conditions("Conditions.Excluding(Conditions.Active(\"dx-om\"), 'osteomyelitis')", p)
    assert result["status"] == "fail"
    assert result["evidence"][0]["display"] == "Osteomyelitis"


def test_no_excluding_diagnosis_passes_saying_what_was_looked_for() -> None:
    result = conditions(
        "Conditions.Excluding(Conditions.Active(\"dx-om\"), 'osteomyelitis')", PatientBuilder("c16")
    )
    assert result["status"] == "pass"
    assert result["evidence"][0]["display"] == "no osteomyelitis recorded"
