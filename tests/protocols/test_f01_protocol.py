"""The F01 protocol as a whole: every criterion of CRITERIA.md under its id, kind and cohorts; one result
per cohort; verdicts from the criteria's statuses."""

from __future__ import annotations

from cds.fhir.builder import LOINC, PatientBuilder
from protocols.f01_patients import (
    HCG,
    HYDROXYCHLOROQUINE,
    NEGATIVE,
    POSITIVE,
    PREDNISONE,
    SLE,
    SLEDAI,
    days_ago,
    fit_patient,
    months_ago,
)
from protocols.support import protocol_results, screener

COMMON_INCLUSIONS = [
    "inc-age", "inc-survival", "inc-hb", "inc-anc", "inc-plt", "inc-crcl", "inc-creatinine", "inc-liver",
    "inc-spo2", "inc-lvef", "inc-effusions", "inc-ecg", "inc-pregnancy", "inc-contraception", "inc-consent",
]  # fmt: skip
COMMON_EXCLUSIONS = [
    "exc-severe-pulmonary", "exc-cns-lymphoma", "exc-kidney-transplant", "exc-dialysis-plasmapheresis-3m",
    "exc-pulse-gc-2m", "exc-cardiovascular", "exc-other-autoimmune", "exc-malignancy", "exc-allergy",
    "exc-prior-cell-therapy", "exc-biologic-1m", "exc-live-vaccine-1m", "exc-surgery-trial-1m",
    "exc-active-infection", "exc-hbv-hcv-hiv-syphilis", "exc-tuberculosis", "exc-gc-taper", "exc-investigator",
]  # fmt: skip
COHORTS = {
    "sle": (["sle-dx", "sle-serology", "sle-sledai", "sle-refractory"], ["sle-severe-organ"]),
    "aav": (["aav-dx", "aav-bvas", "aav-anca", "aav-relapsed-refractory"], []),
    "iim": (["iim-dx", "iim-mmt8", "iim-core-set", "iim-refractory"], ["iim-other-myopathy"]),
    "dcssc": (["dcssc-dx", "dcssc-ild-function", "dcssc-refractory", "dcssc-active"], []),
}
MANUAL = [
    "inc-survival",
    "inc-ecg",
    "inc-contraception",
    "inc-consent",
    "exc-surgery-trial-1m",
    "exc-investigator",
]


def spec_kinds() -> dict[str, tuple[str, tuple[str, ...]]]:
    spec = screener("f01").protocols[0].spec
    return {c.id: (c.kind, c.cohorts) for c in spec.criteria}


def test_every_common_criterion_of_criteria_md_is_in_every_cohort() -> None:
    kinds = spec_kinds()
    for cid in COMMON_INCLUSIONS:
        assert kinds[cid] == ("inclusion", ())
    for cid in COMMON_EXCLUSIONS:
        assert kinds[cid] == ("exclusion", ())


def test_every_cohort_criterion_of_criteria_md_belongs_to_its_cohort_only() -> None:
    kinds = spec_kinds()
    for cohort, (inclusions, exclusions) in COHORTS.items():
        for cid in inclusions:
            assert kinds[cid] == ("inclusion", (cohort,))
        for cid in exclusions:
            assert kinds[cid] == ("exclusion", (cohort,))


def test_the_protocol_has_no_criterion_criteria_md_does_not_name() -> None:
    named = set(COMMON_INCLUSIONS + COMMON_EXCLUSIONS)
    for inclusions, exclusions in COHORTS.values():
        named |= set(inclusions + exclusions)
    assert set(spec_kinds()) == named


def test_metadata_names_the_trial_and_its_four_cohorts() -> None:
    spec = screener("f01").protocols[0].spec
    assert (spec.nct, spec.short_title, spec.phase) == ("NCT06208280", "F01 (CD19 CAR-NK)", "Phase 1")
    assert [c.id for c in spec.cohorts] == ["sle", "aav", "iim", "dcssc"]
    assert all(c.seed and c.reading and c.text for c in spec.criteria)


def test_one_result_per_cohort_each_with_the_common_and_its_own_criteria() -> None:
    results = protocol_results("f01", fit_patient())
    assert [r.cohort for r in results] == ["sle", "aav", "iim", "dcssc"]
    for r in results:
        inclusions, exclusions = COHORTS[r.cohort or ""]
        expected = [*COMMON_INCLUSIONS, *COMMON_EXCLUSIONS, *inclusions, *exclusions]
        assert sorted(c.id for c in r.criteria) == sorted(expected)


def test_manual_criteria_stay_manual_in_every_cohort() -> None:
    for r in protocol_results("f01", fit_patient()):
        assert {c.id for c in r.criteria if c.status == "manual"} >= set(MANUAL)


def eligible_sle_patient(gender: str = "male") -> PatientBuilder:
    p = fit_patient("f01-sle-ok", gender=gender)
    p.condition(*SLE, onset="2019-06-01")
    p.observation(LOINC, "8061-4", "ANA", value_code=POSITIVE, date=days_ago(20))
    p.observation(*SLEDAI, value=10, unit="{score}", date=days_ago(20))
    p.medication(*PREDNISONE, start=months_ago(10), dose=(10, "mg"))
    p.medication(*HYDROXYCHLOROQUINE, start=months_ago(10), dose=(200, "mg"), per_day=2)
    return p


def test_a_patient_meeting_every_computable_sle_criterion_is_likely_eligible_for_sle_only() -> None:
    verdicts = {r.cohort: r.verdict for r in protocol_results("f01", eligible_sle_patient())}
    assert verdicts == {
        "sle": "likely-eligible",
        "aav": "ineligible",
        "iim": "ineligible",
        "dcssc": "ineligible",
    }


def test_one_unknown_criterion_makes_the_cohort_possibly_eligible() -> None:
    p = eligible_sle_patient()
    p.resources = [r for r in p.resources if r.get("code", {}).get("coding", [{}])[0].get("code") != "718-7"]
    sle = next(r for r in protocol_results("f01", p) if r.cohort == "sle")
    assert sle.verdict == "possibly-eligible"
    assert [c.id for c in sle.criteria if c.status == "unknown"] == ["inc-hb"]


def test_one_failing_criterion_makes_the_cohort_ineligible() -> None:
    p = eligible_sle_patient("female")
    p.observation(*HCG, value_code=POSITIVE, date=days_ago(3))
    sle = next(r for r in protocol_results("f01", p) if r.cohort == "sle")
    assert sle.verdict == "ineligible"
    assert [c.id for c in sle.criteria if c.status == "fail"] == ["inc-pregnancy"]


def test_the_result_json_carries_the_cohort_and_omits_empty_members() -> None:
    p = eligible_sle_patient("female")
    p.observation(*HCG, value_code=NEGATIVE, date=days_ago(3))
    sle = next(r for r in protocol_results("f01", p) if r.cohort == "sle").to_json()
    assert (sle["protocol"], sle["nct"], sle["cohort"]) == ("f01", "NCT06208280", "sle")
    manual = next(c for c in sle["criteria"] if c["id"] == "inc-consent")
    assert "evidence" not in manual
    hb = next(c for c in sle["criteria"] if c["id"] == "inc-hb")
    assert hb["evidence"][0]["reference"].startswith("Observation/")
