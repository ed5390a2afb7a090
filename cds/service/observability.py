"""Structured logs, request ids, Prometheus metrics, and the /healthz and /metrics endpoints.

Log lines are JSON objects with the request id of the call they belong to. What goes in is decided
here, not by each call site: routes are logged by their template (`/cds-services/{service_id}`), never
with query strings, bodies or headers, so neither patient data nor bearer tokens reach the log. As a
second line of defence the formatter masks anything shaped like a JWT.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cds.service.errors import log_unexpected, outcome_response
from cds.service.wire import WireResponse

REQUEST_ID_HEADER = "X-Request-ID"
_request_id: ContextVar[str | None] = ContextVar("trialcds_request_id", default=None)
# A client-chosen id is reused only if it cannot forge log structure or carry much data.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_JWT_SHAPE = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
_STANDARD_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def current_request_id() -> str | None:
    return _request_id.get()


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when it is safe to log, else a fresh one.

    >>> request_id_from("abc-123")
    'abc-123'
    >>> request_id_from('x"}\\n{"forged": 1') != 'x"}\\n{"forged": 1'
    True
    """
    return header if header and _SAFE_REQUEST_ID.match(header) else uuid.uuid4().hex


def mask_tokens(text: str) -> str:
    """
    >>> mask_tokens("Bearer eyJhbGciOiJFUzM4NCJ9.eyJpc3MiOiJ4In0.c2ln done")
    'Bearer [jwt] done'
    """
    return _JWT_SHAPE.sub("[jwt]", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            entry["request_id"] = request_id
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD_RECORD_FIELDS})
        if record.exc_info and record.exc_info[0] is not None:
            # Type only: an exception message may quote patient data.
            entry["error_type"] = record.exc_info[0].__name__
        return mask_tokens(json.dumps(entry, default=str, ensure_ascii=False))


def configure_logging(level: str = "INFO") -> None:
    """Send the `trialcds` loggers to stderr as JSON lines (called once by the command line)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("trialcds")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


class Metrics:
    """The service's Prometheus metrics, in a registry of its own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status")
        self.requests = Counter(
            "trialcds_http_requests", "HTTP requests answered", labels, registry=self.registry
        )
        self.latency = Histogram(
            "trialcds_http_request_duration_seconds",
            "Time to answer an HTTP request",
            labels,
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.cards = Counter(
            "trialcds_cards_returned", "Cards returned to CDS Clients", ("service",), registry=self.registry
        )
        self.cards_suppressed = Counter(
            "trialcds_cards_suppressed",
            "Cards withheld because a clinician overrode them recently",
            ("service",),
            registry=self.registry,
        )
        self.fhir_server_refused = Counter(
            "trialcds_fhir_server_refused",
            "Hook calls whose fhirServer is not on the client's allowlist",
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class RequestObservation:
    """ASGI middleware: request id in and out, one access log line, request metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.log = logging.getLogger("trialcds.service.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Request(scope).headers.get(REQUEST_ID_HEADER))
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500  # until a response starts; an exception before that is a 500
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            # Answered here rather than by Starlette's outermost handler so the 500 still carries
            # the request id, and its log line too.
            if started:
                raise
            log_unexpected(error)
            await outcome_response(500, "exception")(scope, receive, send_with_id)
        finally:
            self._observe(scope, status, time.perf_counter() - started)
            _request_id.reset(token)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", "unmatched")
        labels = {"method": scope["method"], "route": route, "status": str(status)}
        self.metrics.requests.labels(**labels).inc()
        self.metrics.latency.labels(**labels).observe(seconds)
        self.log.info("request", extra={**labels, "duration_ms": round(seconds * 1000, 2)})


def add_operational_routes(app: FastAPI, metrics: Metrics) -> None:
    async def healthz() -> Response:
        return WireResponse({"status": "ok"})

    async def prometheus() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    app.add_api_route("/metrics", prometheus, methods=["GET"], include_in_schema=False)
