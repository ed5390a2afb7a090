"""The CDS Hooks endpoints around a fake engine: discovery, service calls, feedback, suppression."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cds.service.auth import AuthenticatedClient
from cds.service.models import CdsResponse, HookRequest, OrderSignRequest, PatientViewRequest

from .conftest import ClientFactory, SettingsFactory
from .support import (
    FHIR_SERVER,
    ISSUER,
    NOW,
    SERVICE_URL,
    Clock,
    FakeEngine,
    bearer,
    card,
    eligibility_card,
    missing_prefetch,
    patient_view,
    sign,
)
from .wire_check import CheckedClient

HOOK = "/cds-services/trial-eligibility"
FEEDBACK = HOOK + "/feedback"


def auth(aud: str = SERVICE_URL, clock: Clock | None = None) -> dict[str, str]:
    now = int(clock.now) if clock else int(NOW)
    return bearer(sign(aud=aud, iat=now, exp=now + 300))


def feedback_auth(clock: Clock | None = None) -> dict[str, str]:
    return auth(SERVICE_URL + "/feedback", clock)


def hook(client: CheckedClient, body: dict[str, Any], clock: Clock | None = None) -> Any:
    response = client.post(HOOK, json=body, headers=auth(clock=clock))
    assert response.status_code == 200, response.text
    return response.json()


def override(card_uuid: str, at: datetime) -> dict[str, Any]:
    reason = {"code": "declined", "system": "https://trialcds.example.org/override", "display": "Declined"}
    return {
        "card": card_uuid,
        "outcome": "overridden",
        "overrideReason": {"reason": reason, "userComment": "will ask again next visit"},
        "outcomeTimestamp": at.isoformat(),
    }


# --- discovery ---------------------------------------------------------------------------------


def test_discovery_lists_the_engines_services_without_a_token(make_client: ClientFactory) -> None:
    response = make_client().get("/cds-services")
    assert response.status_code == 200
    services = response.json()["services"]
    assert [(s["id"], s["hook"]) for s in services] == [
        ("trial-eligibility", "patient-view"),
        ("trial-medication-check", "order-sign"),
    ]
    assert "title" not in services[1]  # omitted, not null


def test_discovery_with_no_services_is_an_empty_list(make_client: ClientFactory) -> None:
    class NoServices(FakeEngine):
        def services(self) -> list[Any]:
            return []

    assert make_client(engine=NoServices()).get("/cds-services").json() == {"services": []}


# --- service calls -----------------------------------------------------------------------------


def test_a_patient_view_call_reaches_the_engine_typed_and_authenticated(
    make_client: ClientFactory, engine: FakeEngine
) -> None:
    engine.cards_json = [eligibility_card("a-duse")]
    body = hook(make_client(), patient_view("p-9", prefetch={"patient": None}))
    assert [c["summary"] for c in body["cards"]] == ["Possible trial match: a-duse"]
    call = engine.calls[0]
    assert call.service_id == "trial-eligibility"
    assert isinstance(call.request, PatientViewRequest)
    assert call.request.prefetch == {"patient": None}
    assert call.client == AuthenticatedClient(ISSUER, None, (FHIR_SERVER,))


def test_an_order_sign_call_gets_the_order_sign_context(
    make_client: ClientFactory, engine: FakeEngine
) -> None:
    body = patient_view()
    body["hook"] = "order-sign"
    body["context"]["draftOrders"] = {"resourceType": "Bundle", "entry": []}
    url = "http://testserver/cds-services/trial-medication-check"
    response = make_client().post("/cds-services/trial-medication-check", json=body, headers=auth(url))
    assert response.status_code == 200
    assert isinstance(engine.calls[0].request, OrderSignRequest)


def test_no_guidance_is_the_specs_empty_cards_list(make_client: ClientFactory) -> None:
    assert hook(make_client(), patient_view()) == {"cards": []}


def test_every_card_gets_a_uuid_for_feedback(make_client: ClientFactory, engine: FakeEngine) -> None:
    engine.cards_json = [card(), card(uuid="0b7c4a33-1111-4c43-9a4f-2f6f5b1f0c11")]
    cards = hook(make_client(), patient_view())["cards"]
    assert cards[1]["uuid"] == "0b7c4a33-1111-4c43-9a4f-2f6f5b1f0c11"
    assert len(cards[0]["uuid"]) == 36


def test_an_allowlisted_fhir_server_and_its_token_reach_the_engine(
    make_client: ClientFactory, engine: FakeEngine
) -> None:
    authorization = {
        "access_token": "opaque",
        "token_type": "Bearer",
        "expires_in": 30,
        "scope": "patient/*.read",
        "subject": "trialcds",
    }
    hook(make_client(), patient_view(fhirServer=FHIR_SERVER + "/", fhirAuthorization=authorization))
    request = engine.calls[0].request
    assert request.fhirServer == FHIR_SERVER + "/"
    assert request.fhirAuthorization is not None


def test_a_fhir_server_off_the_allowlist_never_reaches_the_engine(
    make_client: ClientFactory, engine: FakeEngine
) -> None:
    authorization = {
        "access_token": "opaque",
        "token_type": "Bearer",
        "expires_in": 30,
        "scope": "patient/*.read",
        "subject": "trialcds",
    }
    client = make_client()
    body = patient_view(fhirServer="https://169.254.169.254/latest", fhirAuthorization=authorization)
    assert client.post(HOOK, json=body, headers=auth()).status_code == 200
    request = engine.calls[0].request
    assert request.fhirServer is None and request.fhirAuthorization is None
    assert "trialcds_fhir_server_refused_total 1.0" in client.get("/metrics").text


def test_a_forbidden_fhir_server_without_prefetch_ends_in_412(
    make_client: ClientFactory, engine: FakeEngine
) -> None:
    # The engine, left without a server, cannot get its data: the spec's 412.
    class NeedsServer(FakeEngine):
        async def cards(
            self, service_id: str, request: HookRequest, client: AuthenticatedClient
        ) -> CdsResponse:
            if request.fhirServer is None:
                raise missing_prefetch()
            return CdsResponse()

    body = patient_view(fhirServer="https://internal.example/fhir")
    response = make_client(engine=NeedsServer()).post(HOOK, json=body, headers=auth())
    assert response.status_code == 412
    assert response.json()["issue"][0]["code"] == "incomplete"


def test_demo_mode_calls_only_the_configured_anonymous_servers(
    make_client: ClientFactory, make_settings: SettingsFactory, engine: FakeEngine
) -> None:
    settings = make_settings(mode="demo", anonymous_fhir_servers=["http://localhost:8080/fhir"])
    client = make_client(settings)
    client.post(HOOK, json=patient_view(fhirServer="http://localhost:8080/fhir"))
    client.post(HOOK, json=patient_view(fhirServer="https://ehr.example.org/fhir"))
    assert [call.request.fhirServer for call in engine.calls] == ["http://localhost:8080/fhir", None]


def test_an_engine_that_hangs_is_cut_off_with_a_503(
    make_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    settings = make_settings(fhir_request_timeout_s=0.05, fhir_deadline_s=0.1, hook_timeout_s=0.2)
    client = make_client(settings, engine=FakeEngine(delay_s=5))
    started = time.monotonic()
    response = client.post(HOOK, json=patient_view(), headers=auth())
    assert response.status_code == 503
    assert response.json()["issue"][0]["code"] == "timeout"
    assert time.monotonic() - started < 2


def test_the_cards_counter_counts_per_service(make_client: ClientFactory, engine: FakeEngine) -> None:
    engine.cards_json = [eligibility_card("a-duse"), eligibility_card("f01", "dcssc")]
    client = make_client()
    hook(client, patient_view())
    assert 'trialcds_cards_returned_total{service="trial-eligibility"} 2.0' in client.get("/metrics").text


# --- feedback and suppression ------------------------------------------------------------------


def test_feedback_is_stored_once_and_tied_to_patient_and_trial(
    make_client: ClientFactory, engine: FakeEngine
) -> None:
    engine.cards_json = [eligibility_card("f01", "dcssc")]
    client = make_client()
    card_uuid = hook(client, patient_view("p-3"))["cards"][0]["uuid"]
    item = override(card_uuid, datetime.fromtimestamp(NOW, UTC))
    for _ in range(2):  # clients may report the same outcome again
        response = client.post(FEEDBACK, json={"feedback": [item]}, headers=feedback_auth())
        assert response.status_code == 200
        assert response.content == b""
    store = client.app.state.service.store  # type: ignore[attr-defined]
    [stored] = store.feedback_for(card_uuid)
    assert (stored.patient_id, stored.protocol_key) == ("p-3", "f01/dcssc")
    assert stored.reason_display == "Declined" and stored.user_comment == "will ask again next visit"


def test_an_overridden_trial_is_not_shown_again_for_the_configured_days(
    make_client: ClientFactory, make_settings: SettingsFactory, engine: FakeEngine, clock: Clock
) -> None:
    engine.cards_json = [eligibility_card("f01", "dcssc"), eligibility_card("a-duse")]
    client = make_client(make_settings(override_suppression_days=14))
    first = hook(client, patient_view("p-1"))["cards"]
    f01 = next(c for c in first if c["extension"]["trialcds.eligibility"]["protocol"] == "f01")
    client.post(
        FEEDBACK, json={"feedback": [override(f01["uuid"], clock_time(clock))]}, headers=feedback_auth()
    )

    clock.now += timedelta(days=13).total_seconds()
    shown = hook(client, patient_view("p-1"), clock)["cards"]
    assert [c["extension"]["trialcds.eligibility"]["protocol"] for c in shown] == ["a-duse"]
    assert len(hook(client, patient_view("p-2"), clock)["cards"]) == 2  # another patient

    clock.now += timedelta(days=2).total_seconds()
    assert len(hook(client, patient_view("p-1"), clock)["cards"]) == 2


def test_an_override_does_not_hide_the_other_services_warnings(
    make_client: ClientFactory, engine: FakeEngine, clock: Clock
) -> None:
    engine.cards_json = [eligibility_card("f01", "dcssc")]
    client = make_client()
    card_uuid = hook(client, patient_view("p-1"))["cards"][0]["uuid"]
    client.post(
        FEEDBACK, json={"feedback": [override(card_uuid, clock_time(clock))]}, headers=feedback_auth()
    )
    body = patient_view("p-1")
    body["hook"] = "order-sign"
    body["context"]["draftOrders"] = {"resourceType": "Bundle"}
    url = "http://testserver/cds-services/trial-medication-check"
    response = client.post("/cds-services/trial-medication-check", json=body, headers=auth(url))
    assert len(response.json()["cards"]) == 1


def test_feedback_from_another_client_cannot_hide_a_card(
    make_client: ClientFactory, make_settings: SettingsFactory, engine: FakeEngine, clock: Clock
) -> None:
    from .support import OTHER_EC_KEY, jwks_of

    other = {"iss": "https://other-ehr.example.org", "jwks": jwks_of(OTHER_EC_KEY)}
    base = make_settings()
    settings = make_settings(clients=[base.clients[0].model_dump(), other])
    engine.cards_json = [eligibility_card("f01", "dcssc")]
    client = make_client(settings)
    card_uuid = hook(client, patient_view("p-1"))["cards"][0]["uuid"]
    token = sign(OTHER_EC_KEY, iss="https://other-ehr.example.org", aud=SERVICE_URL + "/feedback")
    item = override(card_uuid, clock_time(clock))
    assert client.post(FEEDBACK, json={"feedback": [item]}, headers=bearer(token)).status_code == 200
    assert len(hook(client, patient_view("p-1"))["cards"]) == 1


def test_feedback_posted_to_a_sibling_service_still_suppresses_the_cards_own_service(
    make_client: ClientFactory, engine: FakeEngine, clock: Clock
) -> None:
    engine.cards_json = [eligibility_card("f01", "dcssc")]
    client = make_client()
    card_uuid = hook(client, patient_view("p-1"))["cards"][0]["uuid"]
    sibling = "/cds-services/trial-medication-check/feedback"
    token = sign(aud="http://testserver" + sibling)
    item = override(card_uuid, clock_time(clock))
    assert client.post(sibling, json={"feedback": [item]}, headers=bearer(token)).status_code == 200
    assert hook(client, patient_view("p-1"))["cards"] == []


def test_cards_are_filed_in_a_sqlite_store_without_a_worker_thread(
    make_client: ClientFactory, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Handing the two SQLite steps to a worker thread cost more than the steps: under load the thread
    waited for the GIL behind other requests (cache path at c=16: 158 requests/s, 245 without)."""
    from cds.service import routes

    def no_thread(*_: object) -> None:
        raise AssertionError("a SQLite store is filed where the request runs")

    monkeypatch.setattr(routes, "run_in_threadpool", no_thread)
    engine.cards_json = [eligibility_card("f01", "dcssc")]
    client = make_client()
    card_uuid = hook(client, patient_view("p-1"))["cards"][0]["uuid"]
    assert client.app.state.service.store.issued(card_uuid) is not None  # type: ignore[attr-defined]


def test_cards_are_filed_in_a_network_database_from_a_worker_thread(
    make_client: ClientFactory, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cds.service import feedback_store, routes

    threaded: list[object] = []
    real = routes.run_in_threadpool

    async def counting(fn: Any, *args: Any) -> Any:
        threaded.append(fn)
        return await real(fn, *args)

    monkeypatch.setattr(routes, "run_in_threadpool", counting)
    monkeypatch.setattr(feedback_store.FeedbackStore, "local", False)  # as a PostgreSQL store says
    engine.cards_json = [eligibility_card("f01", "dcssc")]
    client = make_client()
    card_uuid = hook(client, patient_view("p-1"))["cards"][0]["uuid"]
    assert threaded == [routes._file_cards]
    assert client.app.state.service.store.issued(card_uuid) is not None  # type: ignore[attr-defined]


def test_feedback_for_an_unknown_service_is_404(make_client: ClientFactory) -> None:
    item = override("c-1", datetime.fromtimestamp(NOW, UTC))
    url = "http://testserver/cds-services/nope/feedback"
    response = make_client().post("/cds-services/nope/feedback", json={"feedback": [item]}, headers=auth(url))
    assert response.status_code == 404


def test_malformed_feedback_is_400(make_client: ClientFactory) -> None:
    response = make_client().post(FEEDBACK, json={"feedback": [{"card": "c-1"}]}, headers=feedback_auth())
    assert response.status_code == 400
    assert "outcome" in response.json()["issue"][0]["diagnostics"]


def clock_time(clock: Clock) -> datetime:
    return datetime.fromtimestamp(clock.now, UTC)
