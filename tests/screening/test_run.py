"""A screening run over a Bulk Data export: the candidates, their results as the screener gives them
directly, patients whose data cannot be read, and resuming."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterable
from pathlib import Path

from cds.eligibility.runner import Screener
from cds.fhir.reader import PatientData
from cds.screening import (
    CandidateRule,
    NdjsonSource,
    Outcome,
    RunInfo,
    ScreeningState,
    candidate_rules,
    screen,
)
from cds.screening.progress import Progress
from cds.screening.sources import Candidates, PatientRecordData

from .support import AS_OF, population, write_export


def _progress(total: int, already: int) -> Progress:
    return Progress(io.StringIO(), total, already, tty=False)


def _run(source: NdjsonSource | FlakySource, screener: Screener, state: ScreeningState) -> Candidates:
    async def main() -> Candidates:
        rules = candidate_rules([p.spec for p in screener.protocols], screener.terminology)
        candidates = await source.candidates(rules)
        await screen(source, candidates, screener, state, AS_OF, _progress, concurrency=3)
        return candidates

    return asyncio.run(main())


def test_the_candidates_of_an_export_are_the_patients_with_a_diagnosis_code(
    screener: Screener, tmp_path: Path
) -> None:
    source = NdjsonSource(write_export(tmp_path / "export", population(9)))
    candidates = _run(
        source, screener, ScreeningState.open(tmp_path / "state", RunInfo("x", ("toy",), AS_OF))
    )
    assert sorted(candidates) == ["p0", "p1", "p3", "p4", "p6", "p7"]
    assert set(candidates.values()) == {frozenset({"toy"})}


def test_every_candidate_gets_the_result_the_screener_gives_its_record_directly(
    screener: Screener, tmp_path: Path
) -> None:
    patients = population(9)
    source = NdjsonSource(write_export(tmp_path / "export", patients))
    state = ScreeningState.open(tmp_path / "state", RunInfo("x", ("toy",), AS_OF))
    candidates = _run(source, screener, state)
    for p in patients:
        if p.patient_id in candidates:
            direct = screener.evaluate(PatientData(p.patient_id, p.resources), AS_OF).to_json()
            record = state.screened()[p.patient_id].record
            assert record is not None
            assert {k: v for k, v in record.items() if k not in ("name", "birthDate")} == direct
            assert record["name"] == f"Jane Doe{p.patient_id[1:]}"


def test_a_trial_without_screening_diagnoses_screens_every_patient_for_it_alone(
    two_trials: Screener, tmp_path: Path
) -> None:
    source = NdjsonSource(write_export(tmp_path / "export", population(3)))
    state = ScreeningState.open(tmp_path / "state", RunInfo("x", ("open", "toy"), AS_OF))
    candidates = _run(source, two_trials, state)
    assert candidates == {"p0": {"open", "toy"}, "p1": {"open", "toy"}, "p2": {"open"}}
    record = state.screened()["p2"].record
    assert record is not None and [r["protocol"] for r in record["results"]] == ["open"]


class FlakySource:
    """An export whose reads fail for some patients (a server timing out on them)."""

    def __init__(self, inner: NdjsonSource, failing: Iterable[str]) -> None:
        self.inner = inner
        self.failing = set(failing)
        self.reads: list[str] = []

    @property
    def description(self) -> str:
        return self.inner.description

    async def candidates(self, rules: Iterable[CandidateRule]) -> Candidates:
        return await self.inner.candidates(rules)

    async def record(self, patient_id: str) -> PatientRecordData:
        self.reads.append(patient_id)
        if patient_id in self.failing:
            return PatientRecordData(patient_id, problem="Observation: no answer within 5 s")
        return await self.inner.record(patient_id)


def test_a_patient_whose_data_cannot_be_read_is_recorded_not_screened_and_retried_next_run(
    screener: Screener, tmp_path: Path
) -> None:
    export = NdjsonSource(write_export(tmp_path / "export", population(6)))
    run = RunInfo("x", ("toy",), AS_OF)
    flaky = FlakySource(export, failing={"p3"})
    _run(flaky, screener, ScreeningState.open(tmp_path / "state", run))
    state = ScreeningState.open(tmp_path / "state", run)
    assert state.outcomes()["p3"] == Outcome(
        "p3", problem="data could not be read: Observation: no answer within 5 s"
    )

    again = FlakySource(export, failing=())
    _run(again, screener, state)
    assert again.reads == ["p3"]
    assert sorted(ScreeningState.open(tmp_path / "state", run).screened()) == ["p0", "p1", "p3", "p4"]


def test_a_candidate_without_a_patient_resource_is_not_screened(screener: Screener, tmp_path: Path) -> None:
    patients = population(1)
    patients[0].resources.pop(0)  # the Patient
    source = NdjsonSource(write_export(tmp_path / "export", patients))
    state = ScreeningState.open(tmp_path / "state", RunInfo("x", ("toy",), AS_OF))
    _run(source, screener, state)
    assert state.outcomes()["p0"].problem == "no Patient resource"
