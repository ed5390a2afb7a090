"""End-to-end fixtures: one real HAPI FHIR server per test session, started through `trialcds
sandbox`'s own functions (build when needed, start, wait for /metadata, load the demo patients as
transaction Bundles), the real protocols, and the service built as `trialcds demo` builds it.

The demo patients are data/demo-patients/*.json (FHIR collection Bundles, one patient each).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from cds.content import content_dir
from cds.eligibility.runner import Screener
from cds.fhir.prefetch import fill
from cds.fhir.reader import read_file
from cds.sandbox import LoadReport
from cds.sandbox import cli as sandbox
from cds.sandbox.process import free_port
from cds.service.main import build_app
from cds.service.settings import Settings

DEMO_PATIENTS = content_dir("data") / "demo-patients"
SERVICE = "trial-eligibility"
BASE_URL = "http://testserver"
FHIR_JSON = {"Accept": "application/fhir+json"}

Json = dict[str, Any]


@dataclass(frozen=True)
class DemoPatient:
    id: str
    bundle_file: Path
    resources: tuple[Json, ...]  # as read from the bundle (the original record)


@dataclass(frozen=True)
class Sandbox:
    base_url: str
    state_dir: Path
    up: sandbox.UpReport
    load: LoadReport
    patients: tuple[DemoPatient, ...]


def demo_patients(folder: Path = DEMO_PATIENTS) -> tuple[DemoPatient, ...]:
    out = []
    for path in sorted(folder.glob("*.json")):
        resources = tuple(read_file(path))
        (patient,) = (r for r in resources if r["resourceType"] == "Patient")
        out.append(DemoPatient(str(patient["id"]), path, resources))
    return tuple(out)


@pytest.fixture(scope="session")
def hapi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """HAPI with every demo patient loaded, for the whole session; stopped at the end."""
    patients = demo_patients()
    assert patients, f"no demo patients in {DEMO_PATIENTS}"
    state = tmp_path_factory.mktemp("hapi-state")
    up = sandbox.up(free_port(), in_memory=True, state_dir=state)
    try:
        base_url, loaded = sandbox.load_demo(DEMO_PATIENTS, state_dir=state)
        yield Sandbox(base_url, state, up, loaded, patients)
    finally:
        sandbox.down(state)


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener.load()


@pytest.fixture(scope="session")
def fhir(hapi: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(headers=FHIR_JSON, timeout=60) as client:
        yield client


def search_all(fhir: httpx.Client, url: str) -> Json:
    """A query's answer with every page: a searchset's entries from all `next` pages in one Bundle."""
    response = fhir.get(url)
    response.raise_for_status()
    first: Json = json.loads(response.text, parse_float=Decimal)
    if first.get("resourceType") != "Bundle":
        return first
    entries, page = list(first.get("entry", [])), first
    while (
        next_url := next((x["url"] for x in page.get("link", []) if x["relation"] == "next"), None)
    ) is not None:
        page = json.loads(fhir.get(next_url).text, parse_float=Decimal)
        entries.extend(page.get("entry", []))
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


@pytest.fixture(scope="session")
def discovery_templates(screener: Screener, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The prefetch templates the service publishes in discovery for patient-view."""
    settings = Settings(mode="demo", feedback_db_url=f"sqlite:///{tmp_path_factory.mktemp('db') / 'f.db'}")
    with TestClient(build_app(settings, BASE_URL, screener)) as client:
        services = client.get("/cds-services").json()["services"]
    templates: dict[str, str] = next(s for s in services if s["id"] == SERVICE)["prefetch"]
    return templates


@pytest.fixture(scope="session")
def prefetch_of(
    hapi: Sandbox, fhir: httpx.Client, discovery_templates: dict[str, str]
) -> Callable[[str], dict[str, Json]]:
    """Each discovery template filled for a patient and executed literally against HAPI (all pages)."""
    cache: dict[str, dict[str, Json]] = {}

    def run(patient_id: str) -> dict[str, Json]:
        if patient_id not in cache:
            context = {"patientId": patient_id, "userId": "Practitioner/demo"}
            cache[patient_id] = {
                key: search_all(fhir, f"{hapi.base_url}/{fill(template, context)}")
                for key, template in discovery_templates.items()
            }
        return cache[patient_id]

    return run


def patient_view(patient_id: str, fhir_server: str | None, prefetch: dict[str, Json] | None) -> Json:
    body: Json = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/demo", "patientId": patient_id},
    }
    if fhir_server is not None:
        body["fhirServer"] = fhir_server
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


ServiceFactory = Callable[..., TestClient]


@pytest.fixture
def service(hapi: Sandbox, screener: Screener, tmp_path: Path) -> Iterator[ServiceFactory]:
    """The service as `trialcds demo` runs it, allowed to call HAPI (and `fhir_servers`), in-process."""
    clients: list[TestClient] = []

    def build(fhir_servers: tuple[str, ...] = (), **settings: Any) -> TestClient:
        config = Settings(
            mode="demo",
            anonymous_fhir_servers=(hapi.base_url, *fhir_servers),
            feedback_db_url=f"sqlite:///{tmp_path / 'feedback.sqlite3'}",
            **settings,
        )
        client = TestClient(build_app(config, BASE_URL, screener), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)


def eligibility_results(response: httpx.Response) -> list[Json]:
    """The CONTRACT result objects the cards carry, in a stable order."""
    assert response.status_code == 200, response.text
    results = [card["extension"]["trialcds.eligibility"] for card in response.json()["cards"]]
    return sorted(results, key=lambda r: (r["protocol"], r.get("cohort", "")))
