"""The screening report: one row per patient and protocol/cohort (verdict, failing and unknown
criteria), built from the state's outcomes, written as CSV (spreadsheets) or HTML (html_report)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .state import Outcome

VERDICT_ORDER = {"likely-eligible": 0, "possibly-eligible": 1, "ineligible": 2, "not-screened": 3}
CSV_COLUMNS = (
    "patient",
    "name",
    "birth_date",
    "protocol",
    "nct",
    "cohort",
    "verdict",
    "failing",
    "unknown",
    "as_of",
)


@dataclass(frozen=True, slots=True)
class ReportRow:
    patient: str  # Patient/<id>
    name: str
    birth_date: str
    protocol: str
    nct: str
    cohort: str
    verdict: str  # a CONTRACT verdict, or not-screened
    failing: tuple[str, ...]  # "id: text" of the failing criteria
    unknown: tuple[str, ...]  # "id: text (check: ...)" of the unknown ones
    as_of: str

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        return (VERDICT_ORDER.get(self.verdict, 9), self.protocol, self.cohort, self.patient)

    def cells(self) -> dict[str, str]:
        return {
            "patient": self.patient,
            "name": self.name,
            "birth_date": self.birth_date,
            "protocol": self.protocol,
            "nct": self.nct,
            "cohort": self.cohort,
            "verdict": self.verdict,
            "failing": "; ".join(self.failing),
            "unknown": "; ".join(self.unknown),
            "as_of": self.as_of,
        }


def report_rows(outcomes: Iterable[Outcome], as_of: str) -> list[ReportRow]:
    """Rows for every outcome: one per protocol/cohort result, or one `not-screened` row with why."""
    rows: list[ReportRow] = []
    for outcome in outcomes:
        if outcome.record is None:
            problem = outcome.problem or "not screened"
            rows.append(
                ReportRow(
                    f"Patient/{outcome.patient}", "", "", "", "", "", "not-screened", (), (problem,), as_of
                )
            )
            continue
        rows.extend(_rows_of(outcome.record))
    return sorted(rows, key=lambda r: r.sort_key)


def _rows_of(record: Mapping[str, Any]) -> list[ReportRow]:
    return [
        ReportRow(
            patient=str(record["patient"]),
            name=str(record.get("name", "")),
            birth_date=str(record.get("birthDate", "")),
            protocol=str(result["protocol"]),
            nct=str(result.get("nct", "")),
            cohort=str(result.get("cohort", "")),
            verdict=str(result["verdict"]),
            failing=tuple(_named(c) for c in result.get("criteria", []) if c.get("status") == "fail"),
            unknown=tuple(_named(c) for c in result.get("criteria", []) if c.get("status") == "unknown"),
            as_of=str(record.get("asOf", "")),
        )
        for result in record.get("results", [])
    ]


def _named(criterion: Mapping[str, Any]) -> str:
    """
    >>> _named({"id": "inc-lvef", "text": "LVEF >= 40%", "check": "an echocardiogram"})
    'inc-lvef: LVEF >= 40% (check: an echocardiogram)'
    """
    text = f"{criterion['id']}: {criterion.get('text', '')}".rstrip(": ")
    return f"{text} (check: {criterion['check']})" if criterion.get("check") else text


def to_csv(rows: Iterable[ReportRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _inert(v) for k, v in row.cells().items()})
    return out.getvalue()


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (a name from an EHR could start with `=`).

    >>> _inert("=HYPERLINK(1)"), _inert("Patient/p1")
    ("'=HYPERLINK(1)", 'Patient/p1')
    """
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
