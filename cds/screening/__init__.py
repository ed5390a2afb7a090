"""Population pre-screening (`trialcds screen`): candidates from a FHIR server or a Bulk Data export,
narrowed by the protocols' diagnosis value sets, evaluated concurrently, resumable, reported as CSV
or HTML."""

from .command import ScreenOptions, ScreenResult, run_screen
from .diagnoses import CandidateRule, candidate_rules, search_queries
from .errors import ScreeningError
from .report import ReportRow, report_rows, to_csv
from .run import RunSummary, screen
from .sources import FhirServerSource, NdjsonSource, PatientSource
from .state import Outcome, RunInfo, ScreeningState

__all__ = [
    "CandidateRule",
    "FhirServerSource",
    "NdjsonSource",
    "Outcome",
    "PatientSource",
    "ReportRow",
    "RunInfo",
    "RunSummary",
    "ScreenOptions",
    "ScreenResult",
    "ScreeningError",
    "ScreeningState",
    "candidate_rules",
    "report_rows",
    "run_screen",
    "screen",
    "search_queries",
    "to_csv",
]
