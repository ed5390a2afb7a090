"""Oversized request bodies are refused with 413 before they are parsed, declared or streamed."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .conftest import ClientFactory, SettingsFactory
from .support import FakeEngine, bearer, patient_view, sign

HOOK = "/cds-services/trial-eligibility"
LIMIT = 2048


def oversized_body() -> bytes:
    body = patient_view(prefetch={"patient": {"resourceType": "Patient", "note": "x" * (2 * LIMIT)}})
    return json.dumps(body).encode()


def test_a_declared_length_over_the_limit_is_413(
    make_client: ClientFactory, make_settings: SettingsFactory, engine: FakeEngine
) -> None:
    client = make_client(make_settings(max_request_bytes=LIMIT))
    headers = {"Content-Type": "application/json", **bearer(sign())}
    response = client.post(HOOK, content=oversized_body(), headers=headers)
    assert response.status_code == 413
    assert response.json()["issue"][0]["code"] == "too-long"
    assert engine.calls == []


def test_a_chunked_body_is_cut_off_once_it_crosses_the_limit(
    make_client: ClientFactory, make_settings: SettingsFactory, engine: FakeEngine
) -> None:
    client = make_client(make_settings(max_request_bytes=LIMIT))
    body = oversized_body()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 512):
            yield body[start : start + 512]

    headers = {"Content-Type": "application/json", **bearer(sign())}
    response = client.post(HOOK, content=chunks(), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["issue"][0]["code"] == "too-long"
    assert engine.calls == []


def test_a_body_at_the_limit_is_accepted(make_client: ClientFactory, make_settings: SettingsFactory) -> None:
    body = json.dumps(patient_view()).encode()
    client = make_client(make_settings(max_request_bytes=len(body)))
    headers = {"Content-Type": "application/json", **bearer(sign())}
    assert client.post(HOOK, content=body, headers=headers).status_code == 200


def test_feedback_bodies_are_limited_too(make_client: ClientFactory, make_settings: SettingsFactory) -> None:
    client = make_client(make_settings(max_request_bytes=LIMIT))
    item = {"card": "c", "outcome": "overridden", "outcomeTimestamp": "2027-01-15T00:00:00Z"}
    body = json.dumps({"feedback": [item] * 100})
    headers = {
        "Content-Type": "application/json",
        **bearer(sign(aud="http://testserver" + HOOK + "/feedback")),
    }
    assert client.post(HOOK + "/feedback", content=body, headers=headers).status_code == 413
