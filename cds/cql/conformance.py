"""Runs the official CQL conformance tests (cqframework/cql-tests XML) and reports per file.

Each test's expression is compiled and evaluated alone; its expected output (a CQL literal) is
evaluated by the same engine and compared strictly: same kind of value, same precision, equal.
Tests marked invalid pass when the engine raises (at compile time for `syntax` / `semantic`).
Tests for a CQL version newer than the engine's (1.5) are counted as skipped.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .engine import DefineError, compile_library, evaluate
from .errors import CqlError
from .values import temporal
from .values.interval import Interval
from .values.quantity import Quantity

NS = "{http://hl7.org/fhirpath/tests}"
ENGINE_CQL_VERSION = (1, 5)
AS_OF = "2026-01-01"


@dataclass(frozen=True, slots=True)
class TestCase:
    file: str
    group: str
    name: str
    expression: str
    outputs: tuple[str, ...]
    invalid: str | None
    version: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    case: TestCase
    status: str  # pass, fail, error, skip
    reason: str = ""


@dataclass(slots=True)
class FileReport:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def load_cases(path: Path) -> list[TestCase]:
    root = ET.parse(path).getroot()
    cases = []
    for group in root.iter(NS + "group"):
        for test in group.iter(NS + "test"):
            expr = test.find(NS + "expression")
            if expr is None:
                continue
            outputs = tuple((o.text or "").strip() for o in test.findall(NS + "output"))
            cases.append(
                TestCase(
                    file=path.stem,
                    group=group.get("name", ""),
                    name=test.get("name", ""),
                    expression=(expr.text or "").strip(),
                    outputs=outputs,
                    invalid=expr.get("invalid") if expr.get("invalid") not in (None, "false") else None,
                    version=test.get("version"),
                )
            )
    return cases


def _too_new(version: str | None) -> bool:
    if not version:
        return False
    try:
        parts = tuple(int(p) for p in version.split(".")[:2])
    except ValueError:
        return False
    return parts > ENGINE_CQL_VERSION


def _run_expression(text: str) -> Any:
    library = compile_library(f"library Test\ndefine Value:\n{text}", name_hint="Test")
    value = evaluate(library, as_of=AS_OF, defines=["Value"])["Value"]
    if isinstance(value, DefineError):
        raise value.error
    return value


def run_case(case: TestCase) -> Outcome:
    if _too_new(case.version):
        return Outcome(case, "skip", f"needs CQL {case.version}")
    if case.invalid in ("syntax", "semantic"):
        try:
            compile_library(f"library Test\ndefine Value:\n{case.expression}", name_hint="Test")
        except CqlError:
            return Outcome(case, "pass")
        return Outcome(case, "fail", f"expected a {case.invalid} error, compiled")
    try:
        actual = _run_expression(case.expression)
    except CqlError as exc:
        if case.invalid:
            return Outcome(case, "pass")
        return Outcome(case, "error", _one_line(exc.message))
    except Exception as exc:  # an engine bug: report it as such, keep running the suite
        return Outcome(case, "error", f"crash: {type(exc).__name__}: {_one_line(str(exc))}")
    if case.invalid:
        return Outcome(case, "fail", f"expected an error, got {show(actual)}")
    if not case.outputs:
        return Outcome(case, "pass")
    expected_text = case.outputs[0]
    try:
        expected = _run_expression(expected_text)
    except CqlError as exc:
        return Outcome(case, "error", f"expected output {expected_text!r} does not evaluate: {exc.message}")
    if same_value(actual, expected):
        return Outcome(case, "pass")
    return Outcome(case, "fail", f"expected {expected_text}, got {show(actual)}")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


def same_value(a: Any, b: Any) -> bool:
    """Strict sameness for test results: same kind of value, same precision, equal."""
    from .operators.comparison import equal

    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    if isinstance(a, temporal.Uncertainty) and isinstance(b, Interval):
        # The tests write an uncertainty as the closed interval of its possible values.
        return b.low_closed and b.high_closed and (a.low, a.high) == (b.low, b.high)
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return bool(a.keys() == b.keys()) and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, temporal.Date | temporal.DateTime | temporal.Time):
        return a.precision == b.precision and temporal.equal(a, b) is True
    if isinstance(a, Quantity):
        return bool(a.value == b.value) and a.unit == b.unit
    if isinstance(a, Interval):
        return (
            a.low_closed == b.low_closed
            and a.high_closed == b.high_closed
            and same_value(a.low, b.low)
            and same_value(a.high, b.high)
        ) or equal(a, b) is True
    return equal(a, b) is True


def show(value: Any) -> str:
    from .values.cql_text import to_cql

    return _one_line(to_cql(value))


def run_files(paths: Iterable[Path]) -> list[FileReport]:
    reports = []
    for path in sorted(paths):
        report = FileReport(path.stem)
        for case in load_cases(path):
            report.outcomes.append(run_case(case))
        reports.append(report)
    return reports


def markdown(reports: list[FileReport]) -> str:
    total = sum(len(r.outcomes) for r in reports)
    passed = sum(r.count("pass") for r in reports)
    lines = [
        "# CQL conformance",
        "",
        "The official CQL conformance tests (cqframework/cql-tests, `../shared/cql-tests`), run by",
        "`trialcds cql-tests`. Generated; do not edit by hand.",
        "",
        f"**{passed} of {total} tests pass ({100 * passed / total:.1f} %)**.",
        "",
        "| file | tests | passed | failed | errored | skipped | pass rate |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in reports:
        n = len(r.outcomes)
        lines.append(
            f"| {r.name} | {n} | {r.count('pass')} | {r.count('fail')} | {r.count('error')} "
            f"| {r.count('skip')} | {100 * r.count('pass') / n:.1f} % |"
        )
    lines += ["", "## Tests that do not pass", ""]
    for r in reports:
        bad = [o for o in r.outcomes if o.status != "pass"]
        if not bad:
            continue
        lines += [f"### {r.name}", "", "| test | status | reason |", "| --- | --- | --- |"]
        for o in bad:
            reason = o.reason.replace("|", "\\|")
            lines.append(f"| {o.case.group}.{o.case.name} | {o.status} | {reason} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def run_suite(folder: Path) -> tuple[list[FileReport], float]:
    started = time.perf_counter()
    reports = run_files(folder.glob("*.xml"))
    return reports, time.perf_counter() - started
