"""Assemble the real service: settings -> protocols, hooks, fetcher -> app. Used by `trialcds serve`
and `trialcds demo` (and by tests that run the whole product)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from ..content import content_dir
from ..eligibility.runner import Screener
from ..fhir.fetch import FetchLimits, FhirFetcher
from ..heap import settle_after_loading
from .app import create_app
from .demo import install_demo, install_pages, load_demo_patients, with_demo_fhir_server
from .eligibility_engine import EligibilityEngine
from .hooks import load_hooks
from .settings import Settings


def build_engine(settings: Settings, base_url: str, screener: Screener | None = None) -> EligibilityEngine:
    fetcher = FhirFetcher(
        FetchLimits(request_timeout_s=settings.fhir_request_timeout_s, deadline_s=settings.fhir_deadline_s)
    )
    return EligibilityEngine(
        screener or Screener.load(),
        load_hooks(content_dir("hooks")),
        fetcher,
        base_url,
        settings.as_of,
        settings.result_cache_size,
    )


def build_app(
    settings: Settings, base_url: str, screener: Screener | None = None, demo_patients: Path | None = None
) -> FastAPI:
    """The service with the trials of protocols/ and the hooks of hooks/. In demo mode also the demo
    page, the demo patients (`demo_patients`, default data/demo-patients) and their FHIR facade."""
    if settings.mode == "demo":
        settings = with_demo_fhir_server(settings, base_url)
    engine = build_engine(settings, base_url, screener)
    app = create_app(settings, engine)
    app.state.engine = engine
    patients = None
    if settings.mode == "demo":
        patients = load_demo_patients(demo_patients or content_dir("data") / "demo-patients")
        install_demo(app, patients)
    install_pages(app, engine.screener, patients)
    return app


LISTEN_URL_ENV = "TRIALCDS_INTERNAL_LISTEN_URL"


def app_from_environment() -> FastAPI:
    """The app as `trialcds serve --workers N` starts it in each worker process: settings from the
    TRIALCDS_* environment, the base URL the command line put in LISTEN_URL_ENV."""
    import os

    settings = Settings()
    base_url = str(settings.public_base_url or os.environ.get(LISTEN_URL_ENV, "http://127.0.0.1:8080"))
    app = build_app(settings, base_url.rstrip("/"))
    settle_after_loading()
    return app
