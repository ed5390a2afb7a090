"""The state file keeps every completed result, survives a kill mid-line, and belongs to one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from cds.screening import Outcome, RunInfo, ScreeningError, ScreeningState

RUN = RunInfo("http://127.0.0.1:1/fhir", ("a-duse", "f01"), "2026-11-01")


def _record(pid: str) -> dict[str, object]:
    return {"patient": f"Patient/{pid}", "asOf": RUN.as_of, "results": []}


def test_outcomes_appended_are_there_when_the_run_is_opened_again(tmp_path: Path) -> None:
    state = ScreeningState.open(tmp_path, RUN)
    state.append(Outcome("p1", _record("p1")))
    state.append(Outcome("p2", _record("p2")))
    state.close()
    again = ScreeningState.open(tmp_path, RUN)
    assert sorted(again.screened()) == ["p1", "p2"]
    assert again.screened()["p2"].record == _record("p2")


def test_a_line_cut_short_by_a_kill_is_dropped_and_appending_goes_on_cleanly(tmp_path: Path) -> None:
    state = ScreeningState.open(tmp_path, RUN)
    state.append(Outcome("p1", _record("p1")))
    state.close()
    with state.path.open("a", encoding="utf-8") as f:
        f.write('{"patient":"p2","record":{"patient":"Pat')  # the process died here
    again = ScreeningState.open(tmp_path, RUN)
    assert list(again.screened()) == ["p1"]
    again.append(Outcome("p3", _record("p3")))
    again.close()
    assert sorted(ScreeningState.open(tmp_path, RUN).screened()) == ["p1", "p3"]


def test_a_patient_that_could_not_be_screened_is_tried_again_next_time(tmp_path: Path) -> None:
    state = ScreeningState.open(tmp_path, RUN)
    state.append(Outcome("p1", problem="data could not be read: timeout"))
    state.close()
    again = ScreeningState.open(tmp_path, RUN)
    assert again.screened() == {}
    assert again.outcomes()["p1"].problem == "data could not be read: timeout"


def test_other_options_are_another_run_with_its_own_state_file(tmp_path: Path) -> None:
    first = ScreeningState.open(tmp_path, RUN)
    other = ScreeningState.open(tmp_path, RunInfo(RUN.source, RUN.protocols, "2026-12-01"))
    assert first.path != other.path


def test_a_state_file_whose_header_names_another_run_is_refused(tmp_path: Path) -> None:
    state = ScreeningState.open(tmp_path, RUN)
    state.close()
    state.path.write_text('{"run":{"source":"elsewhere","protocols":[],"as_of":"2020-01-01"}}\n')
    with pytest.raises(ScreeningError, match="another run"):
        ScreeningState.open(tmp_path, RUN)


def test_fresh_forgets_the_earlier_results_of_the_same_run(tmp_path: Path) -> None:
    state = ScreeningState.open(tmp_path, RUN)
    state.append(Outcome("p1", _record("p1")))
    state.close()
    assert ScreeningState.open(tmp_path, RUN, fresh=True).screened() == {}


def test_a_garbled_line_nested_too_deeply_is_dropped_like_a_cut_one(tmp_path: Path) -> None:
    # Regression: Python's json raised RecursionError (not a ValueError) and the run could not resume.
    state = ScreeningState.open(tmp_path, RUN)
    state.append(Outcome("p1", _record("p1")))
    state.close()
    with state.path.open("a", encoding="utf-8") as f:
        f.write("[" * 100_000 + "]" * 100_000 + "\n")
    assert list(ScreeningState.open(tmp_path, RUN).screened()) == ["p1"]
