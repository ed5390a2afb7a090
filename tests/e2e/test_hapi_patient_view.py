"""patient-view with HAPI as the EHR's FHIR server: the same cards whether the data comes as
prefetch, from HAPI, half and half, or in pages of two; and when HAPI is down or never answers, the
service still answers within its deadline, with the "could not be completed" card or a 412."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from cds.fhir import jsontext
from cds.fhir.fetch import FetchLimits, FhirFetcher
from cds.sandbox.process import free_port

from .conftest import SERVICE, Sandbox, ServiceFactory, eligibility_results, patient_view

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

INCOMPLETE = "Clinical trial screening could not be completed"
# Short limits for the failure cases: the answer must come within these, not hang.
SHORT = {"fhir_request_timeout_s": 1.0, "fhir_deadline_s": 2.0, "hook_timeout_s": 6.0}


def _call(client: Any, body: dict[str, Any]) -> httpx.Response:
    # Exact decimals, as an EHR sends them (and as HAPI gave them).
    response: httpx.Response = client.post(
        f"/cds-services/{SERVICE}", content=jsontext.dumps(body), headers={"Content-Type": "application/json"}
    )
    return response


def _half(prefetch: dict[str, Any], keep_even: bool) -> dict[str, Any]:
    return {k: v for n, (k, v) in enumerate(sorted(prefetch.items())) if (n % 2 == 0) == keep_even}


def _each_patient(
    hapi: Sandbox,
    prefetch_of: Callable[[str], dict[str, Any]],
    client: Any,
    make_body: Callable[[str, dict[str, Any]], dict[str, Any]],
) -> list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """(patient, results with the whole prefetch, results with make_body's request) per patient."""
    out = []
    for patient in hapi.patients:
        prefetch = prefetch_of(patient.id)
        baseline = eligibility_results(_call(client, patient_view(patient.id, None, prefetch)))
        other = eligibility_results(_call(client, make_body(patient.id, prefetch)))
        out.append((patient.id, baseline, other))
    return out


def _differing(rows: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]) -> list[str]:
    return [pid for pid, baseline, other in rows if baseline != other]


def test_without_prefetch_the_service_reads_hapi_and_shows_the_same_cards(
    hapi: Sandbox, prefetch_of: Callable[[str], dict[str, Any]], service: ServiceFactory
) -> None:
    rows = _each_patient(hapi, prefetch_of, service(), lambda pid, _: patient_view(pid, hapi.base_url, None))
    assert _differing(rows) == []
    assert any(baseline for _, baseline, _ in rows), "no demo patient gets a card: the comparison is empty"


@pytest.mark.parametrize("keep_even", [True, False], ids=["even-keys-prefetched", "odd-keys-prefetched"])
def test_with_half_the_keys_prefetched_and_half_fetched_the_cards_are_the_same(
    hapi: Sandbox, prefetch_of: Callable[[str], dict[str, Any]], service: ServiceFactory, keep_even: bool
) -> None:
    rows = _each_patient(
        hapi, prefetch_of, service(), lambda pid, pf: patient_view(pid, hapi.base_url, _half(pf, keep_even))
    )
    assert _differing(rows) == []


def test_with_pages_of_two_the_cards_are_the_same(
    hapi: Sandbox, prefetch_of: Callable[[str], dict[str, Any]], service: ServiceFactory
) -> None:
    client = service()
    engine = client.app.state.engine  # type: ignore[attr-defined]
    engine.fetcher = FhirFetcher(FetchLimits(page_size=2, max_pages=1000))
    rows = _each_patient(hapi, prefetch_of, client, lambda pid, _: patient_view(pid, hapi.base_url, None))
    assert _differing(rows) == []


def test_pages_of_two_really_make_hapi_page(hapi: Sandbox, fhir: httpx.Client) -> None:
    biggest = max(hapi.patients, key=lambda p: len(p.resources))
    types = {r["resourceType"] for r in biggest.resources} - {"Patient"}
    paged = [
        rtype
        for rtype in sorted(types)
        if any(
            link["relation"] == "next"
            for link in fhir.get(f"{hapi.base_url}/{rtype}?patient={biggest.id}&_count=2")
            .json()
            .get("link", [])
        )
    ]
    assert paged, "no search of the largest demo patient spans two pages of two"


# ------------------------------------------------------------------------- HAPI down or silent
@pytest.fixture
def silent_server() -> Iterator[str]:
    """A FHIR base URL on a local TCP server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/fhir"
    stopping.set()
    listener.close()
    for conn in held:
        conn.close()
    thread.join(timeout=5)


def _assert_could_not_complete(response: httpx.Response) -> None:
    assert response.status_code in (200, 412), response.text
    if response.status_code == 412:
        assert response.json()["resourceType"] == "OperationOutcome"
    else:
        assert [card["summary"] for card in response.json()["cards"]] == [INCOMPLETE]


def _down_and_silent_servers(silent: str) -> list[str]:
    # Nothing listens on a free port: a connection is refused, exactly as with a stopped HAPI.
    return [f"http://127.0.0.1:{free_port()}/fhir", silent]


@pytest.mark.parametrize("prefetched", ["none", "half"])
def test_a_fhir_server_that_is_down_or_never_answers_gives_the_incomplete_card_or_412(
    hapi: Sandbox,
    prefetch_of: Callable[[str], dict[str, Any]],
    service: ServiceFactory,
    silent_server: str,
    prefetched: str,
) -> None:
    servers = _down_and_silent_servers(silent_server)
    client = service(fhir_servers=tuple(servers), **SHORT)
    patient = hapi.patients[0]
    prefetch = _half(prefetch_of(patient.id), True) if prefetched == "half" else None
    for server in servers:
        _assert_could_not_complete(_call(client, patient_view(patient.id, server, prefetch)))


def test_without_prefetch_and_without_a_fhir_server_the_answer_is_412(
    hapi: Sandbox, service: ServiceFactory
) -> None:
    response = _call(service(), patient_view(hapi.patients[0].id, None, None))
    assert response.status_code == 412 and response.json()["resourceType"] == "OperationOutcome"
