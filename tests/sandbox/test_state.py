"""The state file that lets `sandbox up` and `sandbox down` run as two separate processes."""

from __future__ import annotations

from pathlib import Path

from cds.sandbox.state import STATE_FILE, SandboxState, clear_state, read_state, write_state

STATE = SandboxState(
    pid=4242,
    port=8090,
    base_url="http://127.0.0.1:8090/fhir",
    log_path="/tmp/hapi.log",
    data_dir=None,
    started_at=1_700_000_000.0,
)


def test_a_written_state_reads_back_equal(tmp_path: Path) -> None:
    write_state(tmp_path / "var" / "hapi", STATE)
    assert read_state(tmp_path / "var" / "hapi") == STATE


def test_no_state_file_means_nothing_is_recorded(tmp_path: Path) -> None:
    assert read_state(tmp_path) is None


def test_a_corrupt_state_file_counts_as_nothing_recorded(tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    assert read_state(tmp_path) is None


def test_cleared_state_is_gone_and_clearing_twice_is_harmless(tmp_path: Path) -> None:
    write_state(tmp_path, STATE)
    clear_state(tmp_path)
    clear_state(tmp_path)
    assert read_state(tmp_path) is None
