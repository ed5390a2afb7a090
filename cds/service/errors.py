"""Error answers: FHIR OperationOutcome bodies, and the handlers that turn exceptions into them.

CDS Hooks 3.0 (STU) asks services to explain a non-2xx answer with an OperationOutcome; 2.0 clients
ignore the body. Diagnostics name what was wrong with the request (a member's location, the rule it
broke) and never echo values, which may be patient data. Bad input is always a 4xx; a 500 means a
bug of ours and carries no detail at all, and no response ever carries a stack trace.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from cds.service.auth import AuthenticationError
from cds.service.engine import PrefetchUnavailable
from cds.service.wire import WireResponse

log = logging.getLogger("trialcds.service.errors")

_MAX_REPORTED_ERRORS = 10


class ServiceError(Exception):
    """A request the service refuses, with the HTTP status and FHIR issue type to answer with."""

    status = 400
    issue_code = "invalid"

    def __init__(self, diagnostics: str) -> None:
        super().__init__(diagnostics)
        self.diagnostics = diagnostics


class BadRequest(ServiceError):
    pass


class MalformedJson(ServiceError):
    issue_code = "structure"


class UnknownService(ServiceError):
    status = 404
    issue_code = "not-found"


class PayloadTooLarge(ServiceError):
    status = 413
    issue_code = "too-long"


class UnsupportedMediaType(ServiceError):
    status = 415
    issue_code = "not-supported"


class HookTimedOut(ServiceError):
    status = 503
    issue_code = "timeout"


def operation_outcome(issue_code: str, diagnostics: str | None = None) -> dict[str, Any]:
    """A one-issue OperationOutcome.

    >>> operation_outcome("not-found", "no service 'x'")["issue"]
    [{'severity': 'error', 'code': 'not-found', 'diagnostics': "no service 'x'"}]
    """
    issue = {"severity": "error", "code": issue_code}
    if diagnostics:
        issue["diagnostics"] = diagnostics
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def describe_validation_errors(errors: Iterable[Any]) -> str:
    """`location: rule` for each error, without the offending input."""
    described = []
    for error in errors:
        location = ".".join(str(part) for part in error.get("loc", ())) or "body"
        described.append(f"{location}: {error.get('msg', 'invalid')}")
    more = len(described) - _MAX_REPORTED_ERRORS
    shown = described[:_MAX_REPORTED_ERRORS] + ([f"... and {more} more"] if more > 0 else [])
    return "; ".join(shown)


def bad_request_from(error: ValidationError) -> BadRequest:
    return BadRequest(describe_validation_errors(error.errors(include_input=False, include_url=False)))


def outcome_response(status: int, issue_code: str, diagnostics: str | None = None) -> Response:
    return WireResponse(operation_outcome(issue_code, diagnostics), status_code=status)


async def _service_error(_: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    return outcome_response(error.status, error.issue_code, error.diagnostics)


async def _unauthenticated(_: Request, __: Exception) -> Response:
    response = outcome_response(401, "login")
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


async def _prefetch_unavailable(_: Request, error: Exception) -> Response:
    return outcome_response(412, "incomplete", str(error) or "required data is not available")


async def _request_validation(_: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    return outcome_response(400, "invalid", describe_validation_errors(error.errors()))


async def _http_exception(_: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    code = {404: "not-found", 405: "not-supported", 413: "too-long"}.get(error.status_code, "processing")
    response = outcome_response(error.status_code, code, error.detail if error.status_code < 500 else None)
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


def log_unexpected(error: BaseException) -> None:
    # The message may quote patient data, so only the type and the frames are logged.
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("unhandled error", extra={"error_type": type(error).__name__, "frames": frames})


async def _unexpected(_: Request, error: Exception) -> Response:
    log_unexpected(error)
    return outcome_response(500, "exception")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(AuthenticationError, _unauthenticated)
    app.add_exception_handler(PrefetchUnavailable, _prefetch_unavailable)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(Exception, _unexpected)
