"""The FastAPI application: routes, middleware and shared state wired from settings and an engine."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

import cds
from cds.service.auth import Authenticator
from cds.service.body_limit import BodySizeLimit
from cds.service.engine import HookEngine
from cds.service.errors import install_error_handlers
from cds.service.feedback_store import FeedbackStore
from cds.service.jwks import HttpJwksFetcher, JwksCache, JwksFetcher
from cds.service.observability import REQUEST_ID_HEADER, Metrics, RequestObservation, add_operational_routes
from cds.service.replay import ReplayCache
from cds.service.routes import router
from cds.service.settings import Settings
from cds.service.state import ServiceState


def create_app(
    settings: Settings,
    engine: HookEngine,
    *,
    store: FeedbackStore | None = None,
    jwks_fetcher: JwksFetcher | None = None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """The service. `store`, `jwks_fetcher` and `clock` default to the real ones; tests replace them."""
    owned_store = store is None
    feedback_store = store if store is not None else FeedbackStore(settings.feedback_db_url)
    http_fetcher = None
    if jwks_fetcher is None:
        http_fetcher = jwks_fetcher = HttpJwksFetcher(settings.jwks_fetch_timeout_s)
    jwks = JwksCache(
        jwks_fetcher,
        min_refresh_s=settings.jwks_min_refresh_s,
        max_age_s=settings.jwks_max_age_s,
        clock=clock,
    )
    replay = ReplayCache(settings.jti_cache_size, settings.jwt_leeway_s)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        closer = getattr(engine, "aclose", None)  # an engine holding connections releases them
        if closer is not None:
            await closer()
        if http_fetcher is not None:
            await http_fetcher.aclose()
        if owned_store:
            feedback_store.close()

    app = FastAPI(
        title="trialcds",
        version=cds.__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.authenticator = Authenticator(settings, jwks, replay, clock)
    app.state.service = ServiceState(settings, engine, feedback_store, metrics, clock)
    install_error_handlers(app)
    app.include_router(router)
    add_operational_routes(app, metrics)
    # Added innermost first: observation wraps CORS, which wraps the size limit.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=settings.cors_allow_credentials,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
        expose_headers=[REQUEST_ID_HEADER],
    )
    app.add_middleware(RequestObservation, metrics=metrics)
    return app
