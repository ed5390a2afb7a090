"""The HAPI FHIR sandbox answers the searches CDS Hooks prefetch templates make.

One real HAPI server (built with Maven, started as a JVM) serves the whole module. It holds one
patient with two Conditions and three Observations, plus a ValueSet for the `:in` search.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cds.sandbox import HapiLoadError, HapiServer, build, load, running, start, stop, wait_ready
from cds.sandbox.hapi import REPO_ROOT
from cds.sandbox.process import free_port, is_alive, port_is_free

# A cold Maven build downloads ~300 MB of dependencies before the first test can run.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

PATIENT_ID = "sandbox-patient-1"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
HEMOGLOBIN = "718-7"
CREATININE = "2160-0"
VALUE_SET_URL = "http://trialcds.example/ValueSet/hemoglobin-tests"


def _observation(obs_id: str, code: str, when: str, value: float, unit: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
    }


def _condition(cond_id: str, code: str, onset: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": cond_id,
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "code": {"coding": [{"system": SNOMED, "code": code}]},
        "onsetDateTime": onset,
    }


def _transaction(bundle_id: str, *resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "type": "transaction",
        "entry": [
            {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
            for r in resources
        ],
    }


PATIENT_BUNDLE = _transaction(
    "sandbox-patient-1-record",
    {"resourceType": "Patient", "id": PATIENT_ID, "gender": "female", "birthDate": "1961-04-12"},
    _condition("cond-nsclc", "254637007", "2023-05-02"),
    _condition("cond-hypertension", "38341003", "2015-09-30"),
    _observation("obs-hb-2023", HEMOGLOBIN, "2023-06-01", 11.2, "g/dL"),
    _observation("obs-hb-2024", HEMOGLOBIN, "2024-02-01", 12.9, "g/dL"),
    _observation("obs-creatinine-2024", CREATININE, "2024-05-20", 0.9, "mg/dL"),
)

VALUE_SET_BUNDLE = _transaction(
    "hemoglobin-value-set",
    {
        "resourceType": "ValueSet",
        "id": "hemoglobin-tests",
        "url": VALUE_SET_URL,
        "status": "active",
        "compose": {"include": [{"system": LOINC, "concept": [{"code": HEMOGLOBIN}]}]},
    },
)


@pytest.fixture(scope="module")
def jar() -> Path:
    return build()


@pytest.fixture(scope="module")
def hapi(jar: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HapiServer]:
    server = start(port=free_port(), state_dir=tmp_path_factory.mktemp("hapi-state"), jar=jar)
    try:
        wait_ready(server.base_url, timeout_s=300, server=server)
        load(server.base_url, [PATIENT_BUNDLE, VALUE_SET_BUNDLE])
        yield server
    finally:
        stop(server)


@pytest.fixture(scope="module")
def fhir(hapi: HapiServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=hapi.base_url, headers={"Accept": "application/fhir+json"}, timeout=30
    ) as client:
        yield client


def _search(fhir: httpx.Client, path: str) -> dict[str, Any]:
    response = fhir.get(path)
    response.raise_for_status()
    bundle: dict[str, Any] = response.json()
    return bundle


def _ids(bundle: dict[str, Any]) -> list[str]:
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


def _next_link(bundle: dict[str, Any]) -> str | None:
    return next((link["url"] for link in bundle.get("link", []) if link["relation"] == "next"), None)


def test_a_patient_is_read_by_id(fhir: httpx.Client) -> None:
    patient = _search(fhir, f"/Patient/{PATIENT_ID}")
    assert (patient["resourceType"], patient["id"], patient["birthDate"]) == (
        "Patient",
        PATIENT_ID,
        "1961-04-12",
    )


def test_conditions_are_found_by_patient(fhir: httpx.Client) -> None:
    bundle = _search(fhir, f"/Condition?patient={PATIENT_ID}")
    assert sorted(_ids(bundle)) == ["cond-hypertension", "cond-nsclc"]


def test_observations_are_found_by_patient_and_code_token(fhir: httpx.Client) -> None:
    bundle = _search(fhir, f"/Observation?patient={PATIENT_ID}&code={LOINC}|{HEMOGLOBIN}")
    assert sorted(_ids(bundle)) == ["obs-hb-2023", "obs-hb-2024"]


def test_count_2_pages_are_followed_by_next_links_to_every_observation(fhir: httpx.Client) -> None:
    page = _search(fhir, f"/Observation?patient={PATIENT_ID}&_count=2")
    pages = [_ids(page)]
    while (next_url := _next_link(page)) is not None:
        page = _search(fhir, next_url)
        pages.append(_ids(page))
    assert [len(ids) for ids in pages] == [2, 1]
    assert sorted(obs_id for ids in pages for obs_id in ids) == [
        "obs-creatinine-2024",
        "obs-hb-2023",
        "obs-hb-2024",
    ]


def test_next_links_point_back_at_the_sandbox_address(fhir: httpx.Client, hapi: HapiServer) -> None:
    next_url = _next_link(_search(fhir, f"/Observation?patient={PATIENT_ID}&_count=2"))
    assert next_url is not None and next_url.startswith(hapi.base_url)


def test_date_ge_2024_keeps_only_observations_from_2024_on(fhir: httpx.Client) -> None:
    bundle = _search(fhir, f"/Observation?patient={PATIENT_ID}&date=ge2024-01-01")
    assert sorted(_ids(bundle)) == ["obs-creatinine-2024", "obs-hb-2024"]


def test_sort_by_descending_date_lists_the_newest_observation_first(fhir: httpx.Client) -> None:
    bundle = _search(fhir, f"/Observation?patient={PATIENT_ID}&_sort=-date")
    assert _ids(bundle) == ["obs-creatinine-2024", "obs-hb-2024", "obs-hb-2023"]


def test_code_in_a_stored_value_set_finds_the_observations_coded_from_it(fhir: httpx.Client) -> None:
    bundle = _search(fhir, f"/Observation?patient={PATIENT_ID}&code:in={VALUE_SET_URL}")
    assert sorted(_ids(bundle)) == ["obs-hb-2023", "obs-hb-2024"]


def test_a_collection_bundle_is_loaded_as_a_transaction(fhir: httpx.Client, hapi: HapiServer) -> None:
    collection = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {"resourceType": "Patient", "id": "sandbox-patient-2", "gender": "male"}}],
    }
    report = load(hapi.base_url, [collection])
    assert (report.bundles, report.resources) == (1, 1)
    assert _search(fhir, "/Patient/sandbox-patient-2")["gender"] == "male"


def test_a_refused_bundle_is_named_in_the_error(hapi: HapiServer) -> None:
    dangling = _transaction(
        "bundle-with-dangling-reference", _observation("obs-x", HEMOGLOBIN, "2024-01-01", 1, "g/dL")
    )
    dangling["entry"][0]["resource"]["subject"] = {"reference": "Patient/nobody-has-this-id"}
    with pytest.raises(HapiLoadError) as refused:
        load(hapi.base_url, [dangling])
    assert refused.value.bundle_name == "bundle-with-dangling-reference"
    assert 400 <= refused.value.status < 500
    assert "bundle-with-dangling-reference" in str(refused.value)


def test_a_sandbox_started_by_one_process_is_stopped_by_another_and_keeps_its_file_data(
    jar: Path, tmp_path: Path
) -> None:
    state_dir, data_dir, port = tmp_path / "state", tmp_path / "h2", free_port()
    bundle_file = tmp_path / "bundle.json"
    bundle_file.write_text(json.dumps(PATIENT_BUNDLE), encoding="utf-8")
    # `trialcds sandbox up` in its own process: start, wait, load, exit.
    _run_in_new_process(
        f"""
        from pathlib import Path
        from cds.sandbox import load, start, wait_ready
        server = start(port={port}, data_dir=Path({str(data_dir)!r}), state_dir=Path({str(state_dir)!r}),
                       jar=Path({str(jar)!r}))
        wait_ready(server.base_url, timeout_s=300, server=server)
        load(server.base_url, [json.loads(Path({str(bundle_file)!r}).read_text())])
        """
    )
    recorded = running(state_dir)
    assert recorded is not None and recorded.port == port

    # `trialcds sandbox down` here: nothing in this process started the server.
    assert stop(state_dir=state_dir) is True
    assert not is_alive(recorded.pid)
    assert port_is_free(port)
    assert running(state_dir) is None

    restarted = start(port=port, data_dir=data_dir, state_dir=state_dir, jar=jar)
    try:
        wait_ready(restarted.base_url, timeout_s=300, server=restarted)
        response = httpx.get(f"{restarted.base_url}/Patient/{PATIENT_ID}", timeout=30)
        assert response.status_code == 200
    finally:
        restarted.stop()
    assert port_is_free(port)


def _run_in_new_process(code: str) -> None:
    script = "import json\n" + textwrap.dedent(code)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_a_page_from_another_local_origin_may_query_the_server(fhir: httpx.Client) -> None:
    response = fhir.get(f"/Patient/{PATIENT_ID}", headers={"Origin": "http://127.0.0.1:8000"})
    assert response.headers.get("Access-Control-Allow-Origin") in ("*", "http://127.0.0.1:8000")


def test_a_search_without_count_returns_pages_of_20(fhir: httpx.Client, hapi: HapiServer) -> None:
    patients = [{"resourceType": "Patient", "id": f"paging-{n:02d}", "gender": "other"} for n in range(25)]
    load(hapi.base_url, [_transaction("twenty-five-patients", *patients)])
    first = _search(fhir, "/Patient?gender=other")
    assert len(_ids(first)) == 20
    assert _next_link(first) is not None
