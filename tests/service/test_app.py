"""The assembled app: CORS for browser clients, request ids, health and metrics endpoints."""

from __future__ import annotations

import inspect
from typing import Any

from .conftest import ClientFactory, SettingsFactory
from .support import bearer, patient_view, sign

HOOK = "/cds-services/trial-eligibility"
SANDBOX = "https://sandbox.cds-hooks.org"


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


def test_cors_preflight_from_a_configured_origin_is_allowed(
    make_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = make_client(make_settings(cors_origins=[SANDBOX]))
    response = client.options(HOOK, headers=preflight(SANDBOX))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == SANDBOX
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers and "content-type" in allowed_headers
    assert "access-control-allow-credentials" not in response.headers


def test_cors_preflight_from_another_origin_is_refused(
    make_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = make_client(make_settings(cors_origins=[SANDBOX]))
    response = client.options(HOOK, headers=preflight("https://evil.example"))
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_cors_headers_reach_error_answers_so_browsers_can_read_them(
    make_client: ClientFactory, make_settings: SettingsFactory
) -> None:
    client = make_client(make_settings(cors_origins=[SANDBOX]))
    response = client.post(HOOK, json=patient_view(), headers={"Origin": SANDBOX})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == SANDBOX


def test_no_cors_origins_means_no_cors_headers(make_client: ClientFactory) -> None:
    response = make_client().get("/cds-services", headers={"Origin": SANDBOX})
    assert "access-control-allow-origin" not in response.headers


def test_a_safe_request_id_is_echoed_and_an_unsafe_one_replaced(make_client: ClientFactory) -> None:
    client = make_client()
    assert client.get("/healthz", headers={"X-Request-ID": "ehr-42"}).headers["X-Request-ID"] == "ehr-42"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"}).headers[
        "X-Request-ID"
    ]
    assert replaced != "bad id\nwith newline" and len(replaced) == 32
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


def test_errors_carry_the_request_id_too(make_client: ClientFactory) -> None:
    response = make_client().post(HOOK, json=patient_view(), headers={"X-Request-ID": "r-1"})
    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "r-1"


def test_healthz_answers_ok(make_client: ClientFactory) -> None:
    response = make_client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_metrics_count_requests_per_route_template_and_status(make_client: ClientFactory) -> None:
    client = make_client()
    client.post(HOOK, json=patient_view(), headers=bearer(sign()))
    client.post(HOOK, json=patient_view())
    text = client.get("/metrics").text
    route = 'route="/cds-services/{service_id}"'
    assert f'trialcds_http_requests_total{{method="POST",{route},status="200"}} 1.0' in text
    assert f'trialcds_http_requests_total{{method="POST",{route},status="401"}} 1.0' in text
    assert f'trialcds_http_request_duration_seconds_count{{method="POST",{route},status="200"}} 1.0' in text


def test_unmatched_paths_share_one_metrics_label(make_client: ClientFactory) -> None:
    client = make_client()
    for path in ("/a", "/b", "/c"):
        client.get(path)
    assert (
        'trialcds_http_requests_total{method="GET",route="unmatched",status="404"} 3.0'
        in client.get("/metrics").text
    )


def test_no_openapi_or_docs_pages_are_exposed(make_client: ClientFactory) -> None:
    client = make_client()
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 404


def test_no_route_hands_a_dependency_to_a_worker_thread(make_client: ClientFactory) -> None:
    # FastAPI runs a plain-function dependency in its thread pool; for a header check or a state
    # lookup that hand-off, and the GIL it waits for under load, costs more than the work.
    from fastapi.dependencies.models import Dependant
    from fastapi.routing import APIRoute

    def plain(dependant: Dependant) -> list[str]:
        found = []
        for sub in dependant.dependencies:
            if sub.call is not None and not inspect.iscoroutinefunction(sub.call):
                found.append(getattr(sub.call, "__qualname__", repr(sub.call)))
            found.extend(plain(sub))
        return found

    def api_routes(routes: list[Any]) -> list[APIRoute]:
        out: list[APIRoute] = []
        for route in routes:
            if isinstance(route, APIRoute):
                out.append(route)
            included = getattr(route, "original_router", None)  # FastAPI >= 0.16x keeps routers whole
            if included is not None:
                out.extend(api_routes(included.routes))
        return out

    routes = api_routes(make_client().app.routes)
    assert "/cds-services/{service_id}" in {route.path for route in routes}
    assert [name for route in routes for name in plain(route.dependant)] == []
