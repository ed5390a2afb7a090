"""`trialcds screen` end to end, minus argument parsing: options -> candidates -> screening (with
state and progress) -> report. Bad options and unreachable sources raise ScreeningError."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from ..eligibility.runner import Screener
from ..fhir.fetch import FetchLimits, FhirFetcher
from ..fhir.prefetch import templates
from .diagnoses import candidate_rules
from .errors import ScreeningError
from .html_report import to_html
from .progress import Progress
from .report import ReportRow, report_rows, to_csv
from .run import DEFAULT_CONCURRENCY, RunSummary, screen
from .sources import FhirServerSource, NdjsonSource, PatientSource
from .state import RunInfo, ScreeningState

REPORT_KINDS = (".csv", ".html")
# A population run is not an EHR waiting on a card: patient reads may take their time.
SCREEN_LIMITS = FetchLimits(request_timeout_s=30.0, deadline_s=120.0, page_size=100)


@dataclass(frozen=True, slots=True)
class ScreenOptions:
    as_of: str
    state_dir: Path
    fhir_server: str | None = None
    ndjson: Path | None = None
    out: Path | None = None
    fresh: bool = False
    concurrency: int = DEFAULT_CONCURRENCY
    token: str | None = None
    limits: FetchLimits = SCREEN_LIMITS


@dataclass(frozen=True, slots=True)
class ScreenResult:
    summary: RunSummary
    rows: tuple[ReportRow, ...]
    report: str  # the CSV or HTML text
    state_file: Path


def run_screen(options: ScreenOptions, screener: Screener, stderr: TextIO) -> ScreenResult:
    kind = _report_kind(options.out)
    rules = candidate_rules((p.spec for p in screener.protocols), screener.terminology)
    fetcher = FhirFetcher(options.limits)
    source = _source(options, screener, fetcher)
    run = RunInfo(source.description, tuple(sorted(p.spec.id for p in screener.protocols)), options.as_of)
    state = ScreeningState.open(options.state_dir, run, options.fresh)

    async def main() -> tuple[frozenset[str], RunSummary]:
        try:
            candidates = await source.candidates(rules)
            stderr.write(f"{len(candidates)} candidate patients in {source.description}\n")
            summary = await screen(
                source,
                candidates,
                screener,
                state,
                options.as_of,
                lambda total, already: Progress(stderr, total, already),
                options.concurrency,
            )
            return frozenset(candidates), summary
        finally:
            await fetcher.aclose()

    try:
        candidates, summary = asyncio.run(main())
    finally:
        state.close()
    outcomes = [o for pid, o in sorted(state.outcomes().items()) if pid in candidates]
    rows = tuple(report_rows(outcomes, options.as_of))
    text = to_html(rows, source.description, options.as_of) if kind == ".html" else to_csv(rows)
    return ScreenResult(summary, rows, text, state.path)


def _report_kind(out: Path | None) -> str:
    if out is None:
        return ".csv"
    if out.suffix.lower() not in REPORT_KINDS:
        raise ScreeningError(f"--out {out}: the report is .csv or .html")
    return out.suffix.lower()


def _source(options: ScreenOptions, screener: Screener, fetcher: FhirFetcher) -> PatientSource:
    if (options.fhir_server is None) == (options.ndjson is None):
        raise ScreeningError("give either --fhir-server URL or --ndjson DIR")
    if options.ndjson is not None:
        return NdjsonSource(options.ndjson)
    assert options.fhir_server is not None
    parts = urlsplit(options.fhir_server)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ScreeningError(f"--fhir-server {options.fhir_server}: not an http(s) URL")
    return FhirServerSource(options.fhir_server, fetcher, patient_queries(screener), options.token)


def patient_queries(screener: Screener) -> dict[str, str]:
    """The service's prefetch templates for these protocols: what a patient's evaluation reads."""
    types = {
        r.type for p in screener.protocols for lib in p.libraries.values() for r in lib.all_requirements()
    }
    return templates(types)
