"""Where the population comes from: a FHIR server (searched, then read patient by patient with the
service's prefetch queries) or a Bulk Data export folder (NDJSON, read once)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..fhir.errors import DataError
from ..fhir.fetch import FetchFailure, FhirFetcher
from ..fhir.prefetch import fill
from ..fhir.reader import PatientData, Skipped, read_patients
from .diagnoses import CandidateRule, search_queries, subject_patient
from .errors import ScreeningError

Candidates = dict[str, frozenset[str]]  # patient id -> ids of the protocols it is a candidate for


@dataclass(frozen=True, slots=True)
class PatientRecordData:
    """One candidate's resources, or why they could not be read."""

    patient_id: str
    resources: tuple[dict[str, Any], ...] = ()
    problem: str | None = None


class PatientSource(Protocol):
    """A population to screen."""

    @property
    def description(self) -> str:
        """What is screened (a server URL, a folder), as the state file records it."""
        ...

    async def candidates(self, rules: Iterable[CandidateRule]) -> Candidates: ...

    async def record(self, patient_id: str) -> PatientRecordData: ...


def _merge(found: dict[str, set[str]], patient_ids: Iterable[str], protocol: str) -> None:
    for pid in patient_ids:
        found.setdefault(pid, set()).add(protocol)


class FhirServerSource:
    """A FHIR R4 server: candidates by Condition searches, each candidate's data by `queries`."""

    def __init__(
        self, base_url: str, fetcher: FhirFetcher, queries: Mapping[str, str], token: str | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.fetcher = fetcher
        self.queries = dict(queries)  # prefetch templates: key -> query with {{context.patientId}}
        self._token = token

    @property
    def description(self) -> str:
        return self.base_url

    async def candidates(self, rules: Iterable[CandidateRule]) -> Candidates:
        found: dict[str, set[str]] = {}
        for rule in rules:
            queries = ["Patient?_elements=id"] if rule.everyone else search_queries(rule)
            for resource in await self._search_all(queries):
                # Matched again here: a server that ignores a search parameter answers with more.
                if rule.everyone:
                    pid = resource.get("id") if resource.get("resourceType") == "Patient" else None
                else:
                    pid = subject_patient(resource) if rule.matches(resource) else None
                if pid:
                    _merge(found, [str(pid)], rule.protocol)
        return {pid: frozenset(protocols) for pid, protocols in found.items()}

    async def _search_all(self, queries: list[str]) -> list[dict[str, Any]]:
        results = await self.fetcher.fetch(
            self.base_url, self._token, {str(n): q for n, q in enumerate(queries)}
        )
        resources: list[dict[str, Any]] = []
        for result in results.values():
            if isinstance(result, FetchFailure):
                raise ScreeningError(f"{self.base_url}: the candidate search failed: {result.reason}")
            resources.extend(result)
        return resources

    async def record(self, patient_id: str) -> PatientRecordData:
        context = {"patientId": patient_id}
        queries = {key: fill(template, context) for key, template in self.queries.items()}
        results = await self.fetcher.fetch(self.base_url, self._token, queries)
        problems = sorted({r.reason for r in results.values() if isinstance(r, FetchFailure)})
        if problems:
            return PatientRecordData(patient_id, problem="; ".join(problems))
        resources = [r for found in results.values() if not isinstance(found, FetchFailure) for r in found]
        return PatientRecordData(patient_id, tuple(resources))


@dataclass(slots=True)
class NdjsonSource:
    """A Bulk Data export: a folder of NDJSON files (one resource type each, any order)."""

    folder: Path
    skipped: list[Skipped] = field(default_factory=list)
    _patients: dict[str, PatientData] | None = None

    @property
    def description(self) -> str:
        return str(self.folder.resolve())

    def _read(self) -> dict[str, PatientData]:
        if self._patients is None:
            files = sorted(self.folder.glob("*.ndjson"))
            if not self.folder.is_dir():
                raise ScreeningError(f"{self.folder}: no such folder")
            if not files:
                raise ScreeningError(f"{self.folder}: no .ndjson files (a Bulk Data export folder)")
            try:
                self._patients = read_patients(files, self.skipped)
            except DataError as exc:
                raise ScreeningError(str(exc)) from None
        return self._patients

    async def candidates(self, rules: Iterable[CandidateRule]) -> Candidates:
        patients = self._read()
        found: dict[str, set[str]] = {}
        for rule in rules:
            if rule.everyone:
                _merge(found, patients, rule.protocol)
                continue
            matching = (
                pid
                for pid, data in patients.items()
                if any(r.get("resourceType") == "Condition" and rule.matches(r) for r in data.resources)
            )
            _merge(found, matching, rule.protocol)
        return {pid: frozenset(protocols) for pid, protocols in found.items()}

    async def record(self, patient_id: str) -> PatientRecordData:
        data = self._read().get(patient_id)
        if data is None:
            return PatientRecordData(patient_id, problem="not in the export")
        return PatientRecordData(patient_id, tuple(data.resources))
