"""Bad input is a 4xx with an OperationOutcome; nothing a client sends produces a 500 or a trace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from httpx import Response
from hypothesis import given, settings
from hypothesis import strategies as st

from cds.service.app import create_app
from cds.service.settings import Settings

from .conftest import ClientFactory
from .support import EC_KEY, ISSUER, NOW, SERVICE_URL, Clock, FakeEngine, bearer, jwks_of, patient_view, sign
from .wire_check import CheckedClient

HOOK = "/cds-services/trial-eligibility"


def post(
    client: Any, content: bytes | str, content_type: str = "application/json", path: str = HOOK
) -> Response:
    headers = {"Content-Type": content_type, **bearer(sign(aud=f"http://testserver{path}"))}
    return client.post(path, content=content, headers=headers)


def outcome(response: Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    [issue] = body["issue"]
    assert (issue["severity"], issue["code"]) == ("error", code)
    return str(issue.get("diagnostics", ""))


@pytest.mark.parametrize(
    "content",
    [
        "{",
        "",
        "[1, 2]",
        '"text"',
        '{"hook": NaN}',
        b"\xff\xfe{",
        "{'hook': 'patient-view'}",
        '{"hook": "patient-view"} x',
        # Nesting deeper than any parser's recursion limit (a small body: the size limit lets it in).
        '{"prefetch": ' + "[" * 100_000 + "]" * 100_000 + "}",
        # A lone surrogate escape is no Unicode character: it could never be written back as UTF-8.
        '{"hook": "patient-view", "hookInstance": "\\ud800"}',
    ],
    ids=[
        "truncated",
        "empty",
        "array",
        "string",
        "NaN",
        "bad bytes",
        "single quotes",
        "trailing text",
        "deep nesting",
        "lone surrogate",
    ],
)
def test_malformed_json_is_400_structure(make_client: ClientFactory, content: str | bytes) -> None:
    outcome(post(make_client(), content), 400, "structure")


def test_wrong_types_are_400_naming_the_member_without_echoing_it(make_client: ClientFactory) -> None:
    body = patient_view()
    body["context"]["patientId"] = {"name": "Jane Doe"}
    diagnostics = outcome(post(make_client(), json.dumps(body)), 400, "invalid")
    assert "context.patientId" in diagnostics
    assert "Jane Doe" not in diagnostics


def test_missing_required_members_are_400(make_client: ClientFactory) -> None:
    body = patient_view()
    del body["hookInstance"]
    assert "hookInstance" in outcome(post(make_client(), json.dumps(body)), 400, "invalid")


def test_a_hook_the_service_does_not_answer_is_400(make_client: ClientFactory) -> None:
    body = patient_view()
    body["hook"] = "appointment-book"
    assert "appointment-book" in outcome(post(make_client(), json.dumps(body)), 400, "invalid")


def test_an_unknown_service_is_404(make_client: ClientFactory) -> None:
    response = post(make_client(), json.dumps(patient_view()), path="/cds-services/no-such-service")
    assert "no-such-service" in outcome(response, 404, "not-found")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_body_not_declared_as_json_is_415(make_client: ClientFactory, content_type: str) -> None:
    outcome(post(make_client(), json.dumps(patient_view()), content_type), 415, "not-supported")


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/fhir+json"])
def test_json_media_types_with_parameters_or_suffixes_are_accepted(
    make_client: ClientFactory, content_type: str
) -> None:
    assert post(make_client(), json.dumps(patient_view()), content_type).status_code == 200


def test_an_unknown_path_is_404_with_an_operation_outcome(make_client: ClientFactory) -> None:
    outcome(make_client().get("/nothing-here"), 404, "not-found")


def test_a_wrong_method_is_405_with_an_operation_outcome(make_client: ClientFactory) -> None:
    outcome(make_client().delete("/cds-services"), 405, "not-supported")


def test_an_engine_bug_is_a_bare_500_without_trace_or_message(make_client: ClientFactory) -> None:
    engine = FakeEngine(error=RuntimeError("Patient/p-1 Jane Doe broke line 42"))
    response = post(make_client(engine=engine), json.dumps(patient_view()))
    assert response.status_code == 500
    assert response.json() == {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "exception"}],
    }
    assert "Traceback" not in response.text


def test_an_engine_returning_an_invalid_card_is_a_500_not_a_bad_card(make_client: ClientFactory) -> None:
    engine = FakeEngine(cards_json=[{"summary": "x" * 200, "indicator": "info", "source": {"label": "s"}}])
    assert post(make_client(engine=engine), json.dumps(patient_view())).status_code == 500


request_bodies = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
members = st.fixed_dictionaries(
    {},
    optional={
        "hook": st.sampled_from(["patient-view", "order-sign", "x"]) | request_bodies,
        "hookInstance": request_bodies,
        "context": request_bodies,
        "prefetch": request_bodies,
        "fhirServer": request_bodies,
        "fhirAuthorization": request_bodies,
        "extension": request_bodies,
    },
)


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CheckedClient]:
    # One app for every example hypothesis generates: building one per example is slow.
    db = tmp_path_factory.mktemp("fuzz") / "feedback.sqlite3"
    client_settings = {"iss": ISSUER, "jwks": jwks_of(EC_KEY)}
    app_settings = Settings(clients=[client_settings], feedback_db_url=f"sqlite:///{db}")
    with CheckedClient(
        create_app(app_settings, FakeEngine(), clock=Clock()), raise_server_exceptions=False
    ) as client:
        yield client


@settings(max_examples=60, deadline=None)
@given(body=members)
def test_no_request_body_makes_the_service_answer_500(
    shared_client: CheckedClient, body: dict[str, Any]
) -> None:
    token = sign(aud=SERVICE_URL, iat=int(NOW), exp=int(NOW) + 300)
    response = shared_client.post(HOOK, json=body, headers=bearer(token))
    assert response.status_code in (200, 400), response.text
