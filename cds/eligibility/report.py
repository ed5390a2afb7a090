"""The human-readable table of `trialcds evaluate`."""

from __future__ import annotations

from .results import PatientResult, ProtocolResult

MARKS = {"pass": "✓", "fail": "✗", "unknown": "?", "manual": "•"}


def title_of(result: ProtocolResult) -> str:
    name = f"{result.title} ({result.nct})"
    return f"{name} · {result.cohort_title or result.cohort}" if result.cohort else name


def table(result: PatientResult, show_all: bool = False) -> str:
    """One block per patient: a line per protocol/cohort with its verdict and counts, then the
    criteria that fail or are unknown (all criteria with show_all), each with its first evidence."""
    lines = [f"{result.patient}  (as of {result.as_of})"]
    width = max((len(title_of(r)) for r in result.results), default=0)
    for r in result.results:
        counts = " ".join(f"{r.count(s)} {s}" for s in ("fail", "unknown", "pass", "manual") if r.count(s))
        lines.append(f"  {title_of(r):<{width}}  {r.verdict:<17}  {counts}")
        for c in r.criteria:
            if not show_all and c.status not in ("fail", "unknown"):
                continue
            detail = c.evidence[0].display if c.evidence else ""
            if c.status == "unknown" and c.check:
                detail = f"{detail}; check: {c.check}" if detail else f"check: {c.check}"
            lines.append(f"      {MARKS[c.status]} {c.id:<34} {detail}".rstrip())
    return "\n".join(lines)
