"""A-DUSE as a whole: every criterion of CRITERIA.md under its id and kind, and verdicts for whole
patients (the rule itself lives in cds/eligibility/results.py)."""

from __future__ import annotations

from cds.fhir.builder import LOINC, RXNORM, SNOMED, PatientBuilder, ago

from .support import AS_OF, protocol_results, screener, ssc_with_digital_ulcer

INCLUSIONS = [
    "inc-age", "inc-ssc", "inc-active-du", "inc-du-refractory", "inc-du-standard-treatment", "inc-du-location",
]  # fmt: skip
EXCLUSIONS = [
    "exc-vasoactive-unstable", "exc-antibiotics-du", "exc-botulinum-4w", "exc-sympathectomy-debridement-1m",
    "exc-hsct-12m", "exc-hsct-indication", "exc-cancer-5y", "exc-osteomyelitis", "exc-du-nature",
    "exc-smoking-3m", "exc-pregnancy", "exc-other-trial-3m",
]  # fmt: skip


def candidate(pid: str) -> PatientBuilder:
    """SSc, a finger ulcer for 12 weeks, nifedipine for a year: nothing against him."""
    p = ssc_with_digital_ulcer(pid, ulcer_onset=ago(AS_OF, weeks=12))
    p.medication(RXNORM, "7417", "nifedipine", start=ago(AS_OF, years=1), dose=(30, "mg"), route="oral")
    return p


def statuses(p: PatientBuilder) -> dict[str, str]:
    (result,) = protocol_results("a-duse", p)
    return {c.id: c.status for c in result.criteria}


def test_protocol_lists_every_criterion_of_criteria_md_with_its_kind() -> None:
    spec = screener("a-duse").protocols[0].spec
    assert [(c.id, c.kind) for c in spec.criteria] == [(i, "inclusion") for i in INCLUSIONS] + [
        (e, "exclusion") for e in EXCLUSIONS
    ]
    assert all(c.text and c.seed and c.reading for c in spec.criteria)
    assert (spec.nct, spec.cohorts) == ("NCT04356755", ())


def test_candidate_is_likely_eligible_with_only_the_location_left_to_the_investigator() -> None:
    (result,) = protocol_results("a-duse", candidate("v1"))
    assert result.verdict == "likely-eligible"
    assert {c.id for c in result.criteria if c.status == "manual"} == {
        "inc-du-location", "exc-hsct-indication", "exc-du-nature", "exc-other-trial-3m",
    }  # fmt: skip
    assert {c.id for c in result.criteria if c.status == "pass"} == set(INCLUSIONS + EXCLUSIONS) - {
        "inc-du-location", "exc-hsct-indication", "exc-du-nature", "exc-other-trial-3m",
    }  # fmt: skip


def test_a_woman_of_childbearing_potential_without_a_pregnancy_test_is_possibly_eligible() -> None:
    p = ssc_with_digital_ulcer(
        "v2", ulcer_onset=ago(AS_OF, weeks=12), gender="female", birth_date="1990-03-03"
    )
    p.medication(RXNORM, "7417", "nifedipine", start=ago(AS_OF, years=1), dose=(30, "mg"), route="oral")
    (result,) = protocol_results("a-duse", p)
    assert result.verdict == "possibly-eligible"
    assert [c.id for c in result.criteria if c.status == "unknown"] == ["exc-pregnancy"]


def test_a_current_smoker_is_ineligible() -> None:
    p = candidate("v3")
    p.observation(LOINC, "72166-2", "Tobacco smoking status", value_code=(SNOMED, "449868002", "Current every day smoker"),
                  date=ago(AS_OF, months=2), category="social-history")  # fmt: skip
    assert statuses(p)["exc-smoking-3m"] == "fail"
    (result,) = protocol_results("a-duse", p)
    assert result.verdict == "ineligible"


def test_result_json_has_no_cohort_and_names_the_trial() -> None:
    (result,) = protocol_results("a-duse", candidate("v4"))
    doc = result.to_json()
    assert (doc["protocol"], doc["nct"], "cohort" in doc) == ("a-duse", "NCT04356755", False)
    assert [c["id"] for c in doc["criteria"]] == INCLUSIONS + EXCLUSIONS
