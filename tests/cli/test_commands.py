"""The `trialcds` commands as CONTRACT.md fixes them: output, exit status 0 / 2 / 1, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cds.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo-patients"
AS_OF = "2026-11-01"


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("trialcds: "), err
    return err


def test_cql_expression_prints_its_json_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cql", "-e", "Interval[1, 10] overlaps Interval[5, 20]"]) == 0
    assert capsys.readouterr().out == "true\n"


def test_an_invalid_expression_names_line_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cql", "-e", "Interval[1,"]) == 2
    assert "<expression>:1:12: " in one_line_error(capsys)


def test_a_cql_file_prints_its_defines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "Rules.cql"
    rules.write_text("library Rules\ndefine Two: 1 + 1\ndefine Half: 1.0 / 2\n")
    assert main(["cql", str(rules), "--define", "Two"]) == 0
    assert json.loads(capsys.readouterr().out) == {"Two": 2}


def test_a_cql_file_with_an_error_names_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "Rules.cql"
    rules.write_text("library Rules\ndefine Two: 1 +\n")
    assert main(["cql", str(rules)]) == 2
    assert f"{rules}:" in one_line_error(capsys)


def test_evaluate_prints_a_table_per_patient(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(DEMO / "isabelle-moreau.json"), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert "A-DUSE" in out and "likely-eligible" in out


def test_evaluate_json_is_one_contract_object_per_patient(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(DEMO / "isabelle-moreau.json"), str(DEMO / "amara-okafor.json")]
    assert main(["evaluate", *files, "--as-of", AS_OF, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    for line in lines:
        result = json.loads(line)
        assert result["asOf"] == AS_OF and result["patient"].startswith("Patient/")
        # One entry per protocol or cohort, whatever the verdict: A-DUSE and F01's four cohorts.
        assert sorted((r["protocol"], r.get("cohort", "")) for r in result["results"]) == [
            ("a-duse", ""),
            ("f01", "aav"),
            ("f01", "dcssc"),
            ("f01", "iim"),
            ("f01", "sle"),
        ]
        for entry in result["results"]:
            assert entry["verdict"] in ("likely-eligible", "possibly-eligible", "ineligible")
            for criterion in entry["criteria"]:
                assert criterion["status"] in ("pass", "fail", "unknown", "manual")
                assert all(value not in (None, "", [], {}) for value in criterion.values())


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["/no/such/file.json"], "/no/such/file.json: no such file"),
        ([str(DEMO / "amara-okafor.json"), "--as-of", "2026-13-01"], "--as-of 2026-13-01"),
        ([str(DEMO / "amara-okafor.json"), "--protocol", "nope"], "nope: unknown protocol"),
    ],
)
def test_evaluate_refuses_bad_input_in_one_line(
    args: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", *args]) == 2
    assert named in one_line_error(capsys)


def test_evaluate_names_file_line_and_column_of_broken_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"resourceType":\n')
    assert main(["evaluate", str(broken)]) == 2
    assert f"{broken}:2:1: " in one_line_error(capsys)


def test_evaluate_refuses_json_nested_too_deeply_as_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Regression: this was "internal error (RecursionError)" and exit 1.
    deep = tmp_path / "deep.json"
    deep.write_text('{"resourceType": "Bundle", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["evaluate", str(deep)]) == 2
    assert f"{deep}: not valid JSON (nested too deeply)" in one_line_error(capsys)


def test_cql_data_nested_too_deeply_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "Rules.cql"
    rules.write_text("library Rules\ndefine Two: 1 + 1\n")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert main(["cql", str(rules), "--data", str(deep)]) == 2
    assert f"{deep}: not valid JSON: nested too deeply" in one_line_error(capsys)


def test_check_lists_each_protocols_data_requirements(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "a-duse (NCT04356755): 18 criteria" in out
    assert "f01 (NCT06208280): 51 criteria" in out
    assert "Observation.code in https://trialcds.org/fhir/ValueSet/" in out


def test_output_cut_short_by_a_closed_pipe_is_not_an_error() -> None:
    """Regression: `trialcds check | head -1` printed a BrokenPipeError traceback."""
    command = f"{sys.executable} -m cds.cli check | head -1"
    done = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("fhir_mappings:")
    assert done.stderr == ""


def test_an_internal_error_exits_1_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("cds.cql.evaluate_expression", broken)
    monkeypatch.delenv("TRIALCDS_DEBUG", raising=False)
    assert main(["cql", "-e", "1"]) == 1
    err = one_line_error(capsys)
    assert "internal error (RuntimeError)" in err and "Traceback" not in err
