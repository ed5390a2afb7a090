"""A tiny read-only FHIR R4 server over the demo patients, at `/demo/fhir`: the CapabilityStatement,
reads, and searches by patient with paging. The demo page prefetches from it, and the service itself
fetches from it when the page sends no prefetch, as it would from an EHR's FHIR server."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from ...fhir import jsontext
from ..errors import operation_outcome
from .bundles import Resource, capability_statement, searchset
from .fhir_search import FacadeError, require_resource_type, search
from .patients import DemoPatients

FHIR_JSON = "application/fhir+json"
PREFIX = "/demo/fhir"


class FhirResponse(Response):
    """FHIR JSON with exact decimals (the demo patients' values are read as Decimal)."""

    media_type = FHIR_JSON

    def __init__(self, body: Mapping[str, Any], status_code: int = 200) -> None:
        super().__init__(jsontext.dumps(body, ensure_ascii=False, separators=(",", ":")), status_code)


def fhir_base(request: Request) -> str:
    """The facade's base URL as this client reached it, for fullUrl and paging links."""
    return str(request.base_url).rstrip("/") + PREFIX


def fhir_facade(patients: DemoPatients) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    by_reference: dict[tuple[str, str], Resource] = {
        (str(r["resourceType"]), str(r["id"])): r
        for pid in patients.ids()
        for r in patients.all_resources(pid)
        if isinstance(r.get("id"), str)
    }
    resource_types = {rtype for rtype, _ in by_reference}
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    @router.get("/metadata")
    async def metadata(request: Request) -> Response:
        return FhirResponse(capability_statement(fhir_base(request), resource_types, started))

    @router.get("/{resource_type}/{resource_id}")
    async def read(resource_type: str, resource_id: str) -> Response:
        try:
            require_resource_type(resource_type)
        except FacadeError as error:
            return _outcome(error)
        found = by_reference.get((resource_type, resource_id))
        if found is None:
            return _outcome(FacadeError(404, "not-found", f"{resource_type}/{resource_id} is not known"))
        return FhirResponse(found)

    @router.get("/{resource_type}")
    async def search_type(resource_type: str, request: Request) -> Response:
        try:
            result = search(patients, resource_type, request.query_params.multi_items())
        except FacadeError as error:
            return _outcome(error)
        base = fhir_base(request)
        return FhirResponse(searchset(base, resource_type, result.criteria, result.matches, result.page))

    return router


def _outcome(error: FacadeError) -> Response:
    return FhirResponse(operation_outcome(error.code, error.diagnostics), error.status)
