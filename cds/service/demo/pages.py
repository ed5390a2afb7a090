"""The browser pages' files (`cds/service/static`): HTML with a strict Content-Security-Policy, and
the scripts and styles under `/static`. Nothing comes from a CDN and nothing is built: the files are
served as they are in the package."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.responses import FileResponse
from starlette.staticfiles import StaticFiles

from ...eligibility.runner import Screener
from .patients import DemoPatients
from .review import review_routes

STATIC = Path(__file__).resolve().parent.parent / "static"
# Scripts and styles only from our own files (no inline code, so injected markup cannot run);
# `connect-src` stays open to http(s) because the page's FHIR base may be another server (HAPI).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' http: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # The review page's address carries the appContext (a patient id): never send it to other sites.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def page(name: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def install_pages(app: FastAPI, screener: Screener, patients: DemoPatients | None) -> None:
    """What every mode serves: the review page (a card's smart link), its data (demo patients only,
    so `patients` is None outside demo mode) and the static files."""

    @app.get("/review", include_in_schema=False)
    async def review_page() -> FileResponse:
        return page("review.html")

    app.include_router(review_routes(screener, patients))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
