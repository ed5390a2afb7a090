"""The review page's data in demo mode: one demo patient evaluated, on the server, for one protocol
or cohort, as the result object of CONTRACT.md (with display names beside it for the page).

The smart link of a card carries the patient, protocol, cohort and as-of date in its appContext;
evaluating at that same as-of date shows the clinician what the card was based on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ...eligibility.results import ProtocolResult
from ...eligibility.runner import LoadedProtocol, Screener
from ...fhir.reader import PatientData
from ..errors import outcome_response
from ..wire import WireResponse
from .patients import DemoPatients, display_name

FHIR_ID = r"^[A-Za-z0-9\-.]{1,64}$"
PLAIN_ID = r"^[A-Za-z0-9._-]{1,64}$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
NOT_IN_DEMO_MODE = (
    "this service shows reviews of demo patients only (trialcds demo); an EHR's patients are reviewed "
    "through a SMART launch, which delivers the patient's data"
)


class ReviewError(Exception):
    def __init__(self, status: int, code: str, diagnostics: str) -> None:
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics = status, code, diagnostics


@dataclass(frozen=True, slots=True)
class ReviewQuery:
    patient_id: str
    protocol: str
    cohort: str | None = None
    as_of: str | None = None


def review_result(screener: Screener, patients: DemoPatients, query: ReviewQuery) -> dict[str, Any]:
    """The CONTRACT.md patient object holding the one requested result, plus `display` names."""
    loaded = _protocol(screener, query)
    patient = patients.patient(query.patient_id)
    if patient is None:
        raise ReviewError(404, "not-found", f"no demo patient {query.patient_id}")
    if query.as_of is not None:
        _check_date(query.as_of)
    data = PatientData(query.patient_id, patients.all_resources(query.patient_id))
    evaluated = Screener([loaded], screener.terminology).evaluate(data, query.as_of)
    chosen: ProtocolResult = next(r for r in evaluated.results if r.cohort == query.cohort)
    spec = loaded.spec
    cohort_title = next((c.title for c in spec.cohorts if c.id == query.cohort), None)
    return {
        "patient": evaluated.patient,
        "asOf": evaluated.as_of,
        "results": [chosen.to_json()],
        "display": {
            "patient": display_name(patient) or query.patient_id,
            "trial": spec.short_title,
            "title": spec.title,
            "cohort": cohort_title,
            "registry": spec.registry_url,
        },
    }


def _protocol(screener: Screener, query: ReviewQuery) -> LoadedProtocol:
    loaded = next((p for p in screener.protocols if p.spec.id == query.protocol), None)
    if loaded is None:
        raise ReviewError(404, "not-found", f"no protocol {query.protocol}")
    cohorts = [c.id for c in loaded.spec.cohorts]
    if query.cohort is None and cohorts:
        raise ReviewError(400, "required", f"protocol {query.protocol} has cohorts: {', '.join(cohorts)}")
    if query.cohort is not None and query.cohort not in cohorts:
        raise ReviewError(404, "not-found", f"protocol {query.protocol} has no cohort {query.cohort}")
    return loaded


def _check_date(text: str) -> None:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ReviewError(400, "invalid", f"asOf is not a calendar date: {text}") from None


def review_routes(screener: Screener, patients: DemoPatients | None) -> APIRouter:
    """`GET /review/result`; without demo patients (outside demo mode) it answers 404, saying why."""
    router = APIRouter()

    @router.get("/review/result")
    async def result(
        patient: Annotated[str, Query(pattern=FHIR_ID)],
        protocol: Annotated[str, Query(pattern=PLAIN_ID)],
        cohort: Annotated[str | None, Query(pattern=PLAIN_ID)] = None,
        as_of: Annotated[str | None, Query(alias="asOf", pattern=DATE)] = None,
    ) -> Response:
        if patients is None:
            return outcome_response(404, "not-found", NOT_IN_DEMO_MODE)
        query = ReviewQuery(patient, protocol, cohort, as_of)
        try:
            # CQL evaluation is CPU work: off the event loop, so hook calls keep flowing.
            body = await run_in_threadpool(review_result, screener, patients, query)
        except ReviewError as error:
            return outcome_response(error.status, error.code, error.diagnostics)
        return WireResponse(body)

    return router
