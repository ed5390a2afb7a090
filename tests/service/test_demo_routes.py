"""Demo mode: the read-only FHIR facade over the demo patients, the patient list, the review data, the
pages and their files; and what stays closed outside demo mode."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from cds.content import content_dir
from cds.fhir import jsontext
from cds.fhir.errors import DataError
from cds.fhir.prefetch import fill
from cds.fhir.reader import PatientData, read_patients
from cds.service.demo import load_demo_patients, with_demo_fhir_server
from cds.service.demo.pages import STATIC
from cds.service.demo.patients import main_diagnoses
from cds.service.fhir_server_policy import is_allowed
from cds.service.main import build_app
from cds.service.settings import Settings

from .conftest import SettingsFactory
from .demo_support import SLE, SSC, TEEN, decisive, screener, sle_patient, ssc_patient, write_demo_patients
from .wire_check import CheckedClient

BASE = "http://testserver"
FHIR = f"{BASE}/demo/fhir"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_patients(tmp_path_factory.mktemp("demo-patients"))


@pytest.fixture
def client(tmp_path: Path, demo_folder: Path) -> Iterator[CheckedClient]:
    settings = Settings(mode="demo", feedback_db_url=f"sqlite:///{tmp_path / 'feedback.sqlite3'}")
    with CheckedClient(build_app(settings, BASE, screener(), demo_folder)) as test_client:
        yield test_client


def all_pages(client: CheckedClient, url: str) -> list[dict[str, Any]]:
    """Every page of a search, following `next` links."""
    pages = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        next_url = next((link["url"] for link in pages[-1]["link"] if link["relation"] == "next"), None)
    return pages


def ids_of(pages: list[dict[str, Any]]) -> list[str]:
    return [entry["resource"]["id"] for page in pages for entry in page.get("entry", [])]


def builder_ids(resource_type: str) -> list[str]:
    return [r["id"] for r in sle_patient().resources if r["resourceType"] == resource_type]


# --------------------------------------------------------------------------------- FHIR facade
def test_metadata_is_a_capability_statement_naming_the_types_it_serves(client: CheckedClient) -> None:
    statement = client.get("/demo/fhir/metadata").json()
    assert statement["resourceType"] == "CapabilityStatement"
    assert statement["fhirVersion"] == "4.0.1"
    served = {r["type"] for r in statement["rest"][0]["resource"]}
    assert {"Patient", "Condition", "Observation", "MedicationStatement"} <= served


def test_reading_a_demo_patient_returns_its_patient_resource_as_fhir_json(client: CheckedClient) -> None:
    response = client.get(f"/demo/fhir/Patient/{SLE}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert response.json() == {**sle_patient().patient}


def test_reading_an_unknown_patient_is_404_with_an_operation_outcome(client: CheckedClient) -> None:
    response = client.get("/demo/fhir/Patient/nobody")
    assert response.status_code == 404
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "not-found"


def test_search_by_patient_returns_a_searchset_of_that_patients_resources_only(client: CheckedClient) -> None:
    pages = all_pages(client, f"/demo/fhir/Condition?patient={SSC}")
    assert pages[0]["type"] == "searchset"
    assert ids_of(pages) == [r["id"] for r in ssc_patient().resources if r["resourceType"] == "Condition"]
    for page in pages:
        for entry in page["entry"]:
            assert entry["resource"]["subject"]["reference"] == f"Patient/{SSC}"
            assert entry["fullUrl"] == f"{FHIR}/Condition/{entry['resource']['id']}"


def test_subject_reference_search_finds_what_patient_search_finds(client: CheckedClient) -> None:
    by_patient = ids_of(all_pages(client, f"/demo/fhir/Observation?patient={SLE}"))
    by_subject = ids_of(all_pages(client, f"/demo/fhir/Observation?subject={quote('Patient/' + SLE)}"))
    assert by_subject == by_patient == builder_ids("Observation")


def test_paging_with_count_walks_every_match_once_through_next_links(client: CheckedClient) -> None:
    pages = all_pages(client, f"/demo/fhir/Observation?patient={SLE}&_count=5")
    expected = builder_ids("Observation")
    assert len(pages) == -(-len(expected) // 5)
    assert all(page["total"] == len(expected) for page in pages)
    assert all(len(page.get("entry", [])) <= 5 for page in pages)
    assert ids_of(pages) == expected


def test_without_count_a_long_search_still_pages(client: CheckedClient) -> None:
    first = client.get(f"/demo/fhir/Observation?patient={SLE}").json()
    assert any(link["relation"] == "next" for link in first["link"])
    assert len(first["entry"]) < first["total"]


def test_count_zero_answers_the_total_without_entries(client: CheckedClient) -> None:
    bundle = client.get(f"/demo/fhir/Observation?patient={SLE}&_count=0").json()
    assert bundle["total"] == len(builder_ids("Observation"))
    assert "entry" not in bundle


def test_decimals_are_served_digit_for_digit(client: CheckedClient) -> None:
    text = client.get(f"/demo/fhir/Observation?patient={SLE}&_count=100").text
    assert '"value":11.20' in text


def test_patient_search_lists_every_demo_patient_or_the_ids_asked_for(client: CheckedClient) -> None:
    everyone = ids_of(all_pages(client, "/demo/fhir/Patient"))
    assert sorted(everyone) == sorted([SLE, SSC, TEEN])
    assert ids_of(all_pages(client, f"/demo/fhir/Patient?_id={SSC}")) == [SSC]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/demo/fhir/Condition?patient=nobody", 404, "not-found"),
        ("/demo/fhir/Condition", 400, "not-supported"),
        (f"/demo/fhir/Observation?patient={SLE}&code=718-7", 400, "not-supported"),
        (f"/demo/fhir/Observation?patient={SLE}&_count=ten", 400, "invalid"),
        (f"/demo/fhir/Nonsense?patient={SLE}", 404, "not-supported"),
        ("/demo/fhir/HumanName/x", 404, "not-supported"),
        (f"/demo/fhir/Observation?patient={SLE}&_format=xml", 406, "not-supported"),
    ],
)
def test_a_search_the_facade_cannot_answer_fully_is_refused_not_guessed(
    client: CheckedClient, url: str, status: int, code: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["issue"][0]["code"] == code


# -------------------------------------------------------------------------------- patient list
def test_patient_list_shows_name_age_sex_and_current_diagnoses_by_name(client: CheckedClient) -> None:
    patients = client.get("/demo/patients").json()["patients"]
    assert [p["name"] for p in patients] == ["Ana Lima", "Ben Okafor", "Cara Novak"]
    ana, ben, cara = patients
    assert (ana["id"], ana["age"], ana["sex"]) == (SLE, 34, "female")
    assert ana["diagnoses"] == ["Systemic lupus erythematosus"]  # the resolved bronchitis is not shown
    assert ben["diagnoses"] == ["Systemic sclerosis", "Digital ulcer, right index fingertip"]
    assert (cara["age"], cara["sex"]) == (16, "female")


def test_problem_list_entries_come_before_older_encounter_diagnoses() -> None:
    problem = {"category": [{"coding": [{"code": "problem-list-item"}]}]}
    conditions = [
        {"code": {"text": "Old diagnosis"}, "onsetDateTime": "2001-01-01"},
        {**problem, "code": {"text": "On the problem list"}, "onsetDateTime": "2020-01-01"},
        {"code": {"text": "Refuted"}, "verificationStatus": {"coding": [{"code": "refuted"}]}},
    ]
    assert main_diagnoses(conditions) == ("On the problem list", "Old diagnosis")


def test_loading_a_folder_groups_resources_by_patient_and_type(demo_folder: Path) -> None:
    patients = load_demo_patients(demo_folder)
    assert patients.ids() == sorted([SLE, SSC, TEEN])
    assert len(patients.resources(SLE, "Observation")) == len(builder_ids("Observation"))
    assert patients.patient("nobody") is None


def test_every_bundled_demo_file_is_one_patient_and_the_loader_lists_them_all() -> None:
    folder = content_dir("data") / "demo-patients"
    files = sorted(folder.glob("*.json"))
    assert files, f"trialcds demo ships patients in {folder}"
    ids = []
    for path in files:
        (patient_id,) = read_patients([path])  # one patient per file
        ids.append(patient_id)
    assert load_demo_patients(folder).ids() == sorted(ids)


def test_a_demo_file_that_is_not_fhir_json_names_itself(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"resourceType": "Bundle", "entry": [')
    with pytest.raises(DataError, match=r"broken\.json"):
        load_demo_patients(tmp_path)


def test_a_bundle_without_its_patient_resource_lists_no_patient(tmp_path: Path) -> None:
    builder = ssc_patient()
    builder.resources.remove(builder.patient)
    (tmp_path / "orphans.json").write_text(jsontext.dumps(builder.bundle()))
    assert load_demo_patients(tmp_path).ids() == []


# -------------------------------------------------------------------------------------- review
def review(client: CheckedClient, **params: str) -> Any:
    return client.get("/review/result", params=params)


def test_review_result_is_the_contract_object_for_the_asked_cohort(client: CheckedClient) -> None:
    as_of = "2026-11-01"
    body = review(client, patient=SLE, protocol="f01", cohort="sle", asOf=as_of).json()
    direct = screener().evaluate(PatientData(SLE, sle_patient().resources), as_of)
    expected = next(r for r in direct.results if r.cohort == "sle")
    assert body["patient"] == f"Patient/{SLE}"
    assert body["asOf"] == as_of
    assert body["results"] == [expected.to_json()]
    assert body["display"]["patient"] == "Ana Lima"
    assert body["display"]["registry"].endswith(expected.nct)


def test_review_result_without_a_date_evaluates_as_of_today(client: CheckedClient) -> None:
    body = review(client, patient=SSC, protocol="a-duse").json()
    assert body["asOf"] == dt.date.today().isoformat()
    assert body["results"][0]["protocol"] == "a-duse"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"patient": "nobody", "protocol": "f01", "cohort": "sle"}, 404),
        ({"patient": SLE, "protocol": "no-such-trial"}, 404),
        ({"patient": SLE, "protocol": "f01", "cohort": "no-such-cohort"}, 404),
        ({"patient": SLE, "protocol": "f01"}, 400),
        ({"patient": SLE, "protocol": "f01", "cohort": "sle", "asOf": "01/11/2026"}, 400),
        ({"patient": SLE, "protocol": "f01", "cohort": "sle", "asOf": "2026-02-30"}, 400),
        ({"patient": "Patient/../x", "protocol": "f01", "cohort": "sle"}, 400),
    ],
)
def test_review_result_refuses_what_it_cannot_evaluate(
    client: CheckedClient, params: dict[str, str], status: int
) -> None:
    response = review(client, **params)
    assert response.status_code == status
    assert response.json()["resourceType"] == "OperationOutcome"


# ---------------------------------------------------------------- a hook through the demo facade
def prefetch_from_facade(client: CheckedClient, templates: dict[str, str], patient: str) -> dict[str, Any]:
    """What the demo page does: fill each template and read it from the facade, every page."""
    prefetch: dict[str, Any] = {}
    for key, template in templates.items():
        query = fill(template, {"patientId": patient})
        if "?" not in query:
            prefetch[key] = client.get(f"/demo/fhir/{query}").json()
            continue
        entries = [e for page in all_pages(client, f"/demo/fhir/{query}") for e in page.get("entry", [])]
        prefetch[key] = {"resourceType": "Bundle", "type": "searchset", "total": len(entries)}
        if entries:
            prefetch[key]["entry"] = entries
    return prefetch


def test_a_card_from_facade_prefetch_links_to_a_review_with_the_same_result(client: CheckedClient) -> None:
    service = next(s for s in client.get("/cds-services").json()["services"] if s["hook"] == "patient-view")
    request = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": FHIR,
        "context": {"userId": "Practitioner/demo", "patientId": SLE},
        "prefetch": prefetch_from_facade(client, service["prefetch"], SLE),
    }
    cards = client.post(f"/cds-services/{service['id']}", json=request).json()["cards"]
    assert cards, "the SLE demo patient is a candidate for at least one trial"
    for card in cards:
        link = next(link for link in card["links"] if link["type"] == "smart")
        assert link["url"] == f"{BASE}/review"
        context = json.loads(link["appContext"])
        params = {k: v for k, v in context.items() if v is not None}
        body = review(client, **params).json()
        assert [decisive(r) for r in body["results"]] == [decisive(card["extension"]["trialcds.eligibility"])]


# ----------------------------------------------------------------------------- pages and files
def test_demo_and_review_pages_are_served_with_a_strict_content_security_policy(
    client: CheckedClient,
) -> None:
    for path in ("/demo", "/review"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers["referrer-policy"] == "no-referrer"


def test_every_file_the_pages_and_scripts_load_is_served(client: CheckedClient) -> None:
    wanted = set()
    for html in ("demo.html", "review.html"):
        wanted |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', (STATIC / html).read_text()))
    for script in (STATIC / "js").glob("*.js"):
        wanted |= {f"/static/js/{name}" for name in re.findall(r'from "\./([\w-]+\.js)"', script.read_text())}
    assert len(wanted) > 5
    for path in sorted(wanted):
        assert client.get(path).status_code == 200, path


def test_page_scripts_never_parse_strings_as_html() -> None:
    # Card text and FHIR data reach the page from outside; they must only ever become text nodes.
    forbidden = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function")
    for script in sorted((STATIC / "js").glob("*.js")):
        assert not forbidden.search(script.read_text()), script.name


# ------------------------------------------------------------------------------ mode boundaries
def test_outside_demo_mode_there_is_no_demo_page_facade_or_demo_review_data(
    make_settings: SettingsFactory,
) -> None:
    with CheckedClient(build_app(make_settings(), BASE, screener())) as production:
        assert production.get("/demo").status_code == 404
        assert production.get("/demo/patients").status_code == 404
        assert production.get(f"/demo/fhir/Patient/{SLE}").status_code == 404
        refused = review(production, patient=SLE, protocol="f01", cohort="sle")
        assert refused.status_code == 404
        assert "demo" in refused.json()["issue"][0]["diagnostics"]
        assert production.get("/review").status_code == 200  # the smart link's target still answers


def test_demo_mode_lets_the_service_call_its_own_fhir_facade_and_the_operators_servers() -> None:
    settings = Settings(mode="demo", anonymous_fhir_servers=["https://hapi.example.org/fhir"])
    widened = with_demo_fhir_server(settings, "https://demo.example.org/")
    assert widened.anonymous_fhir_servers == (
        "https://hapi.example.org/fhir",
        "https://demo.example.org/demo/fhir",
    )
    assert with_demo_fhir_server(widened, "https://demo.example.org") == widened


def test_a_service_on_this_machine_accepts_its_facade_under_every_loopback_name() -> None:
    widened = with_demo_fhir_server(Settings(mode="demo"), "http://127.0.0.1:8080")
    for spelling in (
        "http://localhost:8080/demo/fhir/",
        "http://127.0.0.1:8080/demo/fhir",
        "http://[::1]:8080/demo/fhir",
    ):
        assert is_allowed(spelling, widened.anonymous_fhir_servers), spelling
    assert not is_allowed("http://localhost:9090/demo/fhir", widened.anonymous_fhir_servers)


def test_a_demo_on_this_machine_may_call_the_local_hapi_sandbox() -> None:
    # `trialcds sandbox up` serves http://127.0.0.1:8090/fhir: the demo page can read it, no settings.
    widened = with_demo_fhir_server(Settings(mode="demo"), "http://127.0.0.1:8080")
    for spelling in ("http://127.0.0.1:8090/fhir", "http://localhost:8090/fhir/"):
        assert is_allowed(spelling, widened.anonymous_fhir_servers), spelling
    assert not is_allowed("http://127.0.0.1:8091/fhir", widened.anonymous_fhir_servers)
    # A demo served to other machines does not reach into its host's loopback.
    public = with_demo_fhir_server(Settings(mode="demo"), "https://demo.example.org")
    assert not is_allowed("http://127.0.0.1:8090/fhir", public.anonymous_fhir_servers)


@pytest.mark.parametrize(
    "name",
    [
        "cds.service.demo.patients",
        "cds.service.demo.bundles",
        "cds.service.demo.fhir_search",
        "cds.service.demo.allowlist",
    ],
)
def test_module_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
