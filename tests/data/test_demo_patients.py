"""The demo patients (data/demo-patients/): they read cleanly, they are what the generator writes, and
each one's verdicts are the ones its vignette expects (the expectations live once, in
scripts/build_demo_patients.py, which also writes the README table from them)."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cds.eligibility.results import ProtocolResult
from cds.eligibility.runner import Screener
from cds.fhir.reader import PatientData, Skipped, read_patients

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "data" / "demo-patients"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_demo_patients", ROOT / "scripts" / "build_demo_patients.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
PATIENTS: list[Any] = GENERATOR.PATIENTS


@functools.cache
def committed() -> tuple[dict[str, PatientData], tuple[Skipped, ...]]:
    skipped: list[Skipped] = []
    patients = read_patients(sorted(FOLDER.glob("*.json")), skipped, validate=True)
    return patients, tuple(skipped)


@functools.cache
def results_of(patient_id: str) -> dict[str, ProtocolResult]:
    """Every protocol / cohort result of a committed demo patient at the demo's as-of date."""
    patients, _ = committed()
    result = screener().evaluate(patients[patient_id], GENERATOR.AS_OF)
    return {r.protocol + (f"/{r.cohort}" if r.cohort else ""): r for r in result.results}


@functools.cache
def screener() -> Screener:
    return Screener.load()


# ------------------------------------------------------------------------------------ the files
def test_committed_demo_files_equal_the_generator_output() -> None:
    assert GENERATOR.stale(FOLDER, GENERATOR.outputs()) == []


def test_generator_check_mode_passes_on_the_committed_files() -> None:
    assert GENERATOR.main(["--check"]) == 0


def test_a_changed_demo_file_is_reported_as_stale(tmp_path: Path) -> None:
    files = GENERATOR.outputs()
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "README.md").write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "left-over.json").write_text("{}\n", encoding="utf-8")
    assert GENERATOR.stale(tmp_path, files) == ["README.md", "left-over.json"]


def test_every_demo_bundle_reads_without_skipped_resources() -> None:
    patients, skipped = committed()
    assert skipped == ()
    assert sorted(patients) == sorted(p.id for p in PATIENTS)


@pytest.mark.parametrize("patient", PATIENTS, ids=lambda p: p.id)
def test_each_demo_patient_has_60_to_300_resources(patient: Any) -> None:
    patients, _ = committed()
    assert 60 <= len(patients[patient.id].resources) <= 300


def test_there_are_at_least_12_demo_patients_with_distinct_names() -> None:
    assert len(PATIENTS) >= 12
    assert len({p.name for p in PATIENTS}) == len(PATIENTS)


def test_the_readme_has_one_row_per_patient_with_its_file() -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| ") and ".json`" in line]
    assert len(rows) == len(PATIENTS)
    for row, patient in zip(rows, PATIENTS, strict=True):
        assert f"`{patient.id}.json`" in row


# ------------------------------------------------------------------------------- the verdict mix
def test_the_demo_set_shows_every_verdict_for_a_duse_and_each_f01_cohort_but_dcssc() -> None:
    for key in GENERATOR.RESULTS:
        verdicts = {p.expected.results()[key].verdict for p in PATIENTS}
        wanted = {GENERATOR.LIKELY, GENERATOR.INELIGIBLE} | (
            set() if key == "f01/dcssc" else {GENERATOR.POSSIBLY}
        )
        assert wanted <= verdicts, key


def test_an_expected_outcome_lists_fails_for_ineligible_and_unknowns_for_possibly_eligible() -> None:
    outcome = GENERATOR.Outcome(unknowns=(("inc-hb", "no hemoglobin"),)) + GENERATOR.Outcome(
        fails=(("inc-age", "70"),)
    )
    assert outcome.verdict == GENERATOR.INELIGIBLE
    assert outcome.deciders == (("inc-age", "70"),)
    assert GENERATOR.Outcome().verdict == GENERATOR.LIKELY


# --------------------------------------------------------------------------- the verdicts themselves
CASES = [(patient, key) for patient in PATIENTS for key in GENERATOR.RESULTS]


@pytest.mark.parametrize(("patient", "key"), CASES, ids=[f"{p.id}-{k}" for p, k in CASES])
def test_demo_patient_verdict_and_deciding_criteria_are_the_expected_ones(patient: Any, key: str) -> None:
    expected = patient.expected.results()[key]
    result = results_of(patient.id)[key]
    status = expected.deciding_status or "fail"
    deciding = {c.id: c for c in result.criteria if c.status == status}
    shown = {cid: ([e.display for e in c.evidence], c.check) for cid, c in deciding.items()}
    assert result.verdict == expected.verdict, shown
    assert set(deciding) == {cid for cid, _ in expected.deciders}, shown


# ------------------------------------------------------------- evaluation until ineligible
@pytest.mark.parametrize("patient", PATIENTS, ids=lambda p: p.id)
def test_evaluating_until_ineligible_keeps_every_verdict_and_every_result_a_card_shows(patient: Any) -> None:
    # The hook only shows results that are not ineligible; for those it must have them whole. An
    # ineligible one may stop at a fail: the criteria it holds are some of the whole list's, in
    # protocol order, each as in the whole list, one of them the fail that decided it.
    patients, _ = committed()
    full = screener().evaluate(patients[patient.id], GENERATOR.AS_OF)
    quick = screener().evaluate(patients[patient.id], GENERATOR.AS_OF, complete=False)
    assert (quick.patient, quick.as_of) == (full.patient, full.as_of)
    for whole, short in zip(full.results, quick.results, strict=True):
        assert (short.key, short.verdict) == (whole.key, whole.verdict)
        if whole.verdict != "ineligible":
            assert short == whole
        else:
            assert short.criteria == tuple(c for c in whole.criteria if c in short.criteria)
            assert [c.status for c in short.criteria].count("fail") == 1


def test_until_ineligible_a_cohort_tries_its_own_criteria_before_the_shared_ones() -> None:
    # Most patients whose chart opens have none of a trial's diseases: a cohort's diagnosis decides
    # at once, and the criteria every cohort shares (labs, medications, infections) are never run.
    from cds.fhir.builder import SNOMED, PatientBuilder

    p = PatientBuilder("no-trial-disease", birth_date="1970-05-05", gender="female")
    p.condition(SNOMED, "38341003", "Hypertension", onset="2015-01-01")
    result = screener().evaluate(PatientData(p.patient_id, p.resources), GENERATOR.AS_OF, complete=False)
    f01 = screener().protocols[[x.spec.id for x in screener().protocols].index("f01")].spec
    for cohort in (r for r in result.results if r.protocol == "f01"):
        assert cohort.verdict == "ineligible"
        own = {c.id for c in f01.criteria_for(cohort.cohort) if c.cohorts}
        assert {c.id for c in cohort.criteria} <= own, cohort.key


def test_evaluating_until_ineligible_skips_criteria_after_a_fail() -> None:
    patients, _ = committed()
    full = quick = 0
    for data in patients.values():
        full += sum(len(r.criteria) for r in screener().evaluate(data, GENERATOR.AS_OF).results)
        quick += sum(
            len(r.criteria) for r in screener().evaluate(data, GENERATOR.AS_OF, complete=False).results
        )
    assert quick < full
