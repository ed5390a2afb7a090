"""Criterion and protocol results, the verdict rule, and their JSON (CONTRACT.md "Eligibility result").

The verdict rule of CRITERIA.md lives here and nowhere else: `ineligible` if any criterion fails, else
`possibly-eligible` if any is unknown, else `likely-eligible` (only pass and manual remain)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("pass", "fail", "unknown", "manual")
KINDS = ("inclusion", "exclusion")


@dataclass(frozen=True, slots=True)
class Evidence:
    """What decided a criterion: a resource and its value and date, or what was looked for."""

    display: str
    reference: str | None = None
    date: str | None = None

    def to_json(self) -> dict[str, str]:
        out = {"reference": self.reference, "display": self.display, "date": self.date}
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    kind: str
    status: str
    text: str
    evidence: tuple[Evidence, ...] = ()
    check: str | None = None  # for unknown (and manual) criteria: what a person should check

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "status": self.status, "text": self.text}
        if self.evidence:
            out["evidence"] = [e.to_json() for e in self.evidence]
        if self.check:
            out["check"] = self.check
        return out


def verdict(statuses: Iterable[str]) -> str:
    seen = set(statuses)
    if "fail" in seen:
        return "ineligible"
    if "unknown" in seen:
        return "possibly-eligible"
    return "likely-eligible"


@dataclass(frozen=True, slots=True)
class ProtocolResult:
    protocol: str
    nct: str
    title: str
    criteria: tuple[CriterionResult, ...]
    cohort: str | None = None
    cohort_title: str | None = None

    @property
    def verdict(self) -> str:
        return verdict(c.status for c in self.criteria)

    @property
    def key(self) -> str:
        return f"{self.protocol}/{self.cohort}" if self.cohort else self.protocol

    def count(self, status: str) -> int:
        return sum(1 for c in self.criteria if c.status == status)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"protocol": self.protocol, "nct": self.nct}
        if self.cohort:
            out["cohort"] = self.cohort
        out["verdict"] = self.verdict
        out["criteria"] = [c.to_json() for c in self.criteria]
        return out


@dataclass(frozen=True, slots=True)
class PatientResult:
    patient: str  # Patient/<id>
    as_of: str
    results: tuple[ProtocolResult, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"patient": self.patient, "asOf": self.as_of, "results": [r.to_json() for r in self.results]}
