"""The official CQL conformance suite (../shared/cql-tests): exactly the known failures fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from cds.cql.conformance import run_suite

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "cql-tests"
KNOWN = Path(__file__).with_name("conformance_known_failures.txt")


def known_failures() -> dict[str, str]:
    out = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition("  # ")
            out[name.strip()] = reason.strip()
    return out


@pytest.mark.conformance
def test_exactly_the_known_failures_fail() -> None:
    assert SUITE.is_dir(), f"the conformance tests are expected at {SUITE}"
    reports, _ = run_suite(SUITE)
    failing = {
        f"{r.name}.{o.case.group}.{o.case.name}": o.reason
        for r in reports
        for o in r.outcomes
        if o.status != "pass"
    }
    known = known_failures()
    assert all(known.values()), "every known failure needs a reason"
    newly_failing = {k: v for k, v in failing.items() if k not in known}
    fixed = sorted(set(known) - set(failing))
    assert not newly_failing, f"tests that now fail: {newly_failing}"
    assert not fixed, f"tests that now pass: remove them from {KNOWN.name}: {fixed}"


def test_the_four_logic_files_pass_completely() -> None:
    reports, _ = run_suite(SUITE)
    for name in (
        "CqlLogicalOperatorsTest",
        "CqlNullologicalOperatorsTest",
        "CqlQueryTests",
        "CqlConditionalOperatorsTest",
    ):
        report = next(r for r in reports if r.name == name)
        assert report.count("pass") == len(report.outcomes), name
