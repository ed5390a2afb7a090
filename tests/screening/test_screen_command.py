"""`trialcds screen`: options, reports, exit statuses, and a run killed with SIGKILL that resumes."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cds.cli import main
from cds.sandbox.process import free_port

from .support import AS_OF, population, read_jsonl, write_export, write_protocols

REPO = Path(__file__).resolve().parents[2]


def _screen(*args: str) -> list[str]:
    return ["screen", "--as-of", AS_OF, *args]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    return write_protocols(tmp_path / "protocols"), write_export(tmp_path / "export", population(12))


def test_without_out_the_csv_goes_to_stdout_and_the_progress_to_stderr(
    setup: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    protocols, export = setup
    args = ["--ndjson", str(export), "--protocols-dir", str(protocols), "--state", str(tmp_path / "s")]
    assert main(_screen(*args)) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sorted(r["patient"] for r in rows) == sorted(f"Patient/p{n}" for n in (0, 1, 3, 4, 6, 7, 9, 10))
    assert "8 candidate patients" in err and "screened 8/8 patients" in err


def test_an_html_report_is_written_where_out_says(setup: tuple[Path, Path], tmp_path: Path) -> None:
    protocols, export = setup
    out = tmp_path / "report.html"
    args = ["--ndjson", str(export), "--protocols-dir", str(protocols), "--state", str(tmp_path / "s")]
    assert main(_screen(*args, "--out", str(out))) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.count('<td class="v ') == 8


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "report.pdf"], "--out report.pdf: the report is .csv or .html"),
        (["--as-of", "2026-13-01"], "--as-of 2026-13-01: not a date"),
        (["--protocol", "nope"], "nope: unknown protocol"),
        (["--concurrency", "0"], "--concurrency 0: at least 1"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    setup: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    protocols, export = setup
    args = ["--ndjson", str(export), "--protocols-dir", str(protocols), "--state", str(tmp_path / "s")]
    assert main(_screen(*args, *extra)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_a_folder_without_ndjson_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    protocols = write_protocols(tmp_path / "protocols")
    args = ["--ndjson", str(tmp_path), "--protocols-dir", str(protocols), "--state", str(tmp_path / "s")]
    assert main(_screen(*args)) == 2
    assert "no .ndjson files" in capsys.readouterr().err


def test_an_unreachable_fhir_server_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    protocols = write_protocols(tmp_path / "protocols")
    server = f"http://127.0.0.1:{free_port()}/fhir"
    args = ["--fhir-server", server, "--protocols-dir", str(protocols), "--state", str(tmp_path / "s")]
    assert main(_screen(*args)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{server}: the candidate search failed: Condition: cannot reach" in err


def _state_lines(folder: Path) -> int:
    files = list(folder.glob("screen-*.jsonl"))
    return len(files[0].read_bytes().splitlines()) if files else 0


def test_a_run_killed_with_sigkill_continues_where_it_stopped_and_loses_no_result(tmp_path: Path) -> None:
    protocols = write_protocols(tmp_path / "protocols")
    export = write_export(tmp_path / "export", population(2400))
    state, out = tmp_path / "state", tmp_path / "report.csv"
    command = [
        sys.executable, "-m", "cds.cli", *_screen("--ndjson", str(export), "--protocols-dir", str(protocols)),
        "--state", str(state), "--out", str(out), "--concurrency", "1",
    ]  # fmt: skip
    first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _state_lines(state) < 50 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL and not out.exists()
    kept = _state_lines(state) - 1
    assert 0 < kept < 1600

    second = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert f"resuming: {kept} of 1600 patients already screened" in second.stderr
    (state_file,) = state.glob("screen-*.jsonl")
    patients = [line["patient"] for line in read_jsonl(state_file)[1:]]
    assert len(patients) == len(set(patients)) == 1600  # nothing lost, nothing screened twice
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len({r["patient"] for r in rows}) == 1600
