"""`trialcds sandbox up|down|load`: the running sandbox is reused, bad input exits 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cds.cli import main
from cds.fhir.builder import PatientBuilder
from cds.sandbox import HapiError
from cds.sandbox import cli as sandbox
from cds.sandbox.process import free_port

from .conftest import Sandbox


@pytest.mark.e2e
def test_up_while_the_sandbox_runs_returns_it_instead_of_starting_another(hapi: Sandbox) -> None:
    port = int(hapi.base_url.split(":")[2].split("/")[0])
    again = sandbox.up(port, in_memory=True, state_dir=hapi.state_dir)
    assert (again.base_url, again.already_running) == (hapi.base_url, True)


@pytest.mark.e2e
def test_up_on_another_port_while_the_sandbox_runs_is_refused(hapi: Sandbox) -> None:
    with pytest.raises(HapiError, match="already runs at"):
        sandbox.up(free_port(), in_memory=True, state_dir=hapi.state_dir)


@pytest.mark.e2e
def test_a_bundle_hapi_refuses_is_named(hapi: Sandbox, tmp_path: Path) -> None:
    p = PatientBuilder("refused-1")
    p.resources[0]["gender"] = "not-a-gender"
    (tmp_path / "refused.json").write_text(json.dumps(p.bundle()), encoding="utf-8")
    with pytest.raises(
        HapiError, match=r"bundle 'bundle #1 \(Patient/refused-1\)' was refused by HAPI \(HTTP 400\)"
    ):
        sandbox.load_demo(tmp_path, state_dir=hapi.state_dir)


def test_load_without_a_running_sandbox_says_to_start_one(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(json.dumps(PatientBuilder("p1").bundle()), encoding="utf-8")
    with pytest.raises(HapiError, match="no sandbox is running; start one with `trialcds sandbox up`"):
        sandbox.load_demo(tmp_path, state_dir=tmp_path / "state")


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (["up", "--port", "70000"], {}, "--port 70000: not a TCP port"),
        (["load", "--folder", "{tmp}/nowhere"], {}, "nowhere: no such folder"),
        (["load", "--folder", "{tmp}"], {}, "no demo patients (*.json Bundles) to load"),
        (["load", "--folder", "{tmp}"], {"a.json": "{not json"}, "a.json: not readable JSON"),
        (
            ["load", "--folder", "{tmp}"],
            {"b.json": '{"resourceType": "Patient"}'},
            "b.json: not a FHIR Bundle",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    files: dict[str, str],
    message: str,
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["sandbox", *(a.replace("{tmp}", str(tmp_path)) for a in args)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
