"""Assemble the real service: settings -> protocols, hooks, fetcher -> app. Used by `trialcds serve`
and `trialcds demo` (and by tests that run the whole product)."""

from __future__ import annotations

from fastapi import FastAPI

from ..content import content_dir
from ..eligibility.runner import Screener
from ..fhir.fetch import FetchLimits, FhirFetcher
from .app import create_app
from .eligibility_engine import EligibilityEngine
from .hooks import load_hooks
from .settings import Settings


def build_engine(settings: Settings, base_url: str, screener: Screener | None = None) -> EligibilityEngine:
    fetcher = FhirFetcher(
        FetchLimits(request_timeout_s=settings.fhir_request_timeout_s, deadline_s=settings.fhir_deadline_s)
    )
    return EligibilityEngine(screener or Screener.load(), load_hooks(content_dir("hooks")), fetcher, base_url)


def build_app(settings: Settings, base_url: str, screener: Screener | None = None) -> FastAPI:
    """The service with the trials of protocols/ and the hooks of hooks/."""
    engine = build_engine(settings, base_url, screener)
    app = create_app(settings, engine)
    app.state.engine = engine
    return app
