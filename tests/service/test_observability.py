"""Logs are JSON lines with the request id, and carry neither patient data nor tokens."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from cds.service.observability import JsonFormatter, configure_logging

from .conftest import ClientFactory
from .support import FakeEngine, bearer, eligibility_card, patient_view, sign

HOOK = "/cds-services/trial-eligibility"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything the `trialcds` loggers write, as the JSON lines an operator would see."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("trialcds")
    previous = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous[0])
    logger.propagate = previous[1]


def entries(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_request_logs_one_json_access_line_with_its_request_id(
    make_client: ClientFactory, log_lines: io.StringIO
) -> None:
    make_client().get("/healthz", headers={"X-Request-ID": "trace-7"})
    [access] = [entry for entry in entries(log_lines) if entry["logger"] == "trialcds.service.access"]
    assert access["request_id"] == "trace-7"
    assert (access["method"], access["route"], access["status"]) == ("GET", "/healthz", "200")
    assert isinstance(access["duration_ms"], float)


def test_a_hook_call_logs_no_patient_data_and_no_tokens(
    make_client: ClientFactory, engine: FakeEngine, log_lines: io.StringIO
) -> None:
    engine.cards_json = [eligibility_card("f01", "dcssc")]
    authorization = {
        "access_token": "fhir-access-token-value",
        "token_type": "Bearer",
        "expires_in": 30,
        "scope": "patient/*.read",
        "subject": "trialcds",
    }
    body = patient_view(
        "patient-jane-doe-1970",
        fhirServer="https://not-allowlisted.example/fhir",
        fhirAuthorization=authorization,
        prefetch={"patient": {"resourceType": "Patient", "name": [{"family": "Doe"}]}},
    )
    jwt = sign()
    client = make_client()
    client.post(HOOK, json=body, headers=bearer(jwt))
    client.post(HOOK, json={**body, "context": {"patientId": 1}}, headers=bearer(sign()))
    logged = log_lines.getvalue()
    assert "fhirServer not on the client's allowlist" in logged
    for secret in ("patient-jane-doe-1970", "Doe", "fhir-access-token-value", jwt):
        assert secret not in logged


def test_an_engine_error_is_logged_by_type_without_its_message(
    make_client: ClientFactory, log_lines: io.StringIO
) -> None:
    client = make_client(engine=FakeEngine(error=ValueError("Patient/p-1 has weight 412 kg")))
    client.post(HOOK, json=patient_view(), headers=bearer(sign()))
    [error] = [entry for entry in entries(log_lines) if entry["msg"] == "unhandled error"]
    assert error["error_type"] == "ValueError"
    assert "412 kg" not in log_lines.getvalue()
    assert "request_id" in error


def test_anything_shaped_like_a_jwt_is_masked_in_log_lines() -> None:
    record = logging.makeLogRecord({"name": "trialcds.x", "msg": "header was Bearer %s", "args": (sign(),)})
    line = JsonFormatter().format(record)
    assert "eyJ" not in line and "[jwt]" in line


def test_configure_logging_sends_trialcds_logs_as_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    logger = logging.getLogger("trialcds")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    try:
        configure_logging("INFO")
        logging.getLogger("trialcds.service.test").info("hello", extra={"service": "trial-eligibility"})
        line = capsys.readouterr().err.strip().splitlines()[-1]
        assert json.loads(line)["service"] == "trial-eligibility"
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]
