"""The demo-mode routes: the demo EHR page, its patient list and the FHIR facade."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from starlette.responses import FileResponse, Response

from ..wire import WireResponse
from .fhir_facade import fhir_facade
from .pages import page
from .patients import DemoPatients


def install_demo(app: FastAPI, patients: DemoPatients) -> None:
    @app.get("/demo", include_in_schema=False)
    async def demo_page() -> FileResponse:
        return page("demo.html")

    @app.get("/demo/patients")
    async def patient_list() -> Response:
        today = dt.date.today()
        return WireResponse({"patients": [s.to_json() for s in patients.summaries(today)]})

    app.include_router(fhir_facade(patients))
