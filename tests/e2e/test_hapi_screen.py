"""`trialcds screen --fhir-server <HAPI>` finds exactly the expected candidates: the demo patients
with a Condition coded from a protocol's screening diagnoses, each with the verdicts that evaluating
its own bundle gives."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from cds.cli import main
from cds.cql.values.code import Code, ValueSetRef
from cds.eligibility.runner import LoadedProtocol, Screener
from cds.fhir.reader import PatientData

from .conftest import DemoPatient, Sandbox

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

AS_OF = "2026-11-01"
Row = tuple[str, str, str, str]  # patient, protocol, cohort, verdict


def _is_candidate(patient: DemoPatient, protocol: LoadedProtocol, screener: Screener) -> bool:
    wanted = protocol.spec.screening_diagnoses
    if not wanted:
        return True
    terminology = screener.terminology
    urls = [entry.url for vs in wanted if (entry := terminology.entry(vs)) is not None]
    return any(
        terminology.in_valueset(Code(coding.get("code"), coding.get("system")), ValueSetRef(url))
        for r in patient.resources
        if r["resourceType"] == "Condition"
        for coding in r.get("code", {}).get("coding", [])
        for url in urls
    )


def _expected_rows(hapi: Sandbox, screener: Screener) -> set[Row]:
    rows: set[Row] = set()
    for patient in hapi.patients:
        chosen = [p for p in screener.protocols if _is_candidate(patient, p, screener)]
        if not chosen:
            continue
        result = Screener(chosen, screener.terminology).evaluate(
            PatientData(patient.id, list(patient.resources)), AS_OF
        )
        rows.update((result.patient, r.protocol, r.cohort or "", r.verdict) for r in result.results)
    return rows


def _screen(hapi: Sandbox, tmp_path: Path, out: Path) -> float:
    started = time.monotonic()
    code = main(
        ["screen", "--fhir-server", hapi.base_url, "--as-of", AS_OF, "--state", str(tmp_path / "state"),
         "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    return time.monotonic() - started


def test_screening_hapi_finds_exactly_the_expected_candidates_with_their_verdicts(
    hapi: Sandbox, screener: Screener, tmp_path: Path
) -> None:
    out = tmp_path / "report.csv"
    seconds = _screen(hapi, tmp_path, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    found = {(r["patient"], r["protocol"], r["cohort"], r["verdict"]) for r in rows}
    expected = _expected_rows(hapi, screener)
    assert expected, "no demo patient is a candidate: the comparison is empty"
    assert found == expected
    patients = len({r["patient"] for r in rows})
    print(f"\nscreened {patients} candidates of {len(hapi.patients)} demo patients in {seconds:.1f} s")


def test_a_second_run_with_the_same_options_reuses_every_result(
    hapi: Sandbox, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _screen(hapi, tmp_path, tmp_path / "first.html")
    _screen(hapi, tmp_path, tmp_path / "second.html")
    err = capsys.readouterr().err
    assert "screened now, " in err and ", 0 screened now" in err.splitlines()[-1]
    assert (tmp_path / "first.html").read_text(encoding="utf-8") == (tmp_path / "second.html").read_text(
        encoding="utf-8"
    )
