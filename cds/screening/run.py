"""A screening run: find the candidates, read each one's data concurrently, evaluate them one at a
time in a worker thread (the evaluator is CPU-bound; the event loop keeps fetching meanwhile), and
append every outcome to the state as soon as it is known."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..eligibility.runner import Screener
from ..fhir.reader import PatientData
from .progress import Progress
from .sources import Candidates, PatientRecordData, PatientSource
from .state import Outcome, ScreeningState

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True, slots=True)
class RunSummary:
    candidates: int
    resumed: int  # screened by an earlier, interrupted run
    screened: int  # screened by this run
    not_screened: int
    seconds: float


async def screen(
    source: PatientSource,
    candidates: Candidates,
    screener: Screener,
    state: ScreeningState,
    as_of: str,
    progress_factory: Callable[[int, int], Progress],
    concurrency: int = DEFAULT_CONCURRENCY,
) -> RunSummary:
    """Screen every candidate not yet screened in `state`; outcomes go to `state` as they complete."""
    loop = asyncio.get_running_loop()
    done = state.screened()
    todo = sorted(pid for pid in candidates if pid not in done)
    progress = progress_factory(len(candidates), len(candidates) - len(todo))
    progress.start()
    started = loop.time()
    gate = asyncio.Semaphore(concurrency)
    evaluate = _Evaluator(screener, as_of)
    failed = 0
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="screen-eval") as worker:

        async def one(pid: str) -> None:
            nonlocal failed
            async with gate:
                data = await source.record(pid)
                outcome = await loop.run_in_executor(worker, evaluate, data, candidates[pid])
            state.append(outcome)
            failed += outcome.record is None
            progress.advance(failed=outcome.record is None)

        try:
            await asyncio.gather(*(one(pid) for pid in todo))
        finally:
            progress.finish()
    return RunSummary(
        candidates=len(candidates),
        resumed=len(candidates) - len(todo),
        screened=len(todo) - failed,
        not_screened=failed,
        seconds=loop.time() - started,
    )


class _Evaluator:
    """Evaluates one candidate against the protocols it is a candidate for (runs in the worker)."""

    def __init__(self, screener: Screener, as_of: str) -> None:
        self.screener = screener
        self.as_of = as_of
        self._subsets: dict[frozenset[str], Screener] = {}

    def __call__(self, data: PatientRecordData, protocols: frozenset[str]) -> Outcome:
        pid = data.patient_id
        if data.problem is not None:
            return Outcome(pid, problem=f"data could not be read: {data.problem}")
        resources = list(data.resources)
        patient = next((r for r in resources if r.get("resourceType") == "Patient"), None)
        if patient is None:
            return Outcome(pid, problem="no Patient resource")
        try:
            result = self._screener(protocols).evaluate(PatientData(pid, resources), self.as_of)
        except Exception as exc:  # one bad record must not stop a population run
            log.exception("screening a patient failed")
            return Outcome(pid, problem=f"evaluation failed ({type(exc).__name__})")
        return Outcome(pid, record={**result.to_json(), **_identity(patient)})

    def _screener(self, protocols: frozenset[str]) -> Screener:
        subset = self._subsets.get(protocols)
        if subset is None:
            chosen = [p for p in self.screener.protocols if p.spec.id in protocols]
            subset = self._subsets[protocols] = Screener(chosen, self.screener.terminology)
        return subset


def _identity(patient: Mapping[str, Any]) -> dict[str, str]:
    """Name and birth date, so a coordinator can find the patient in the EHR."""
    out: dict[str, str] = {}
    names = patient.get("name") or []
    first = names[0] if names and isinstance(names[0], dict) else {}
    text = (
        first.get("text")
        or " ".join([*(str(g) for g in first.get("given") or []), str(first.get("family") or "")]).strip()
    )
    if text:
        out["name"] = str(text)
    if patient.get("birthDate"):
        out["birthDate"] = str(patient["birthDate"])
    return out
