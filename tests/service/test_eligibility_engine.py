"""The hook engine through the real service: prefetch semantics, fetching from a FHIR server, 412,
incomplete data, cards, order-sign warnings. A small test protocol keeps these independent of the
trials' content; a local HTTP server plays the EHR's FHIR server."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from cds.content import content_dir
from cds.eligibility.runner import Screener, compile_protocol
from cds.fhir.builder import RXNORM, SNOMED, PatientBuilder
from cds.fhir.fetch import FetchLimits, FhirFetcher
from cds.fhir.jsontext import dumps, loads
from cds.fhir.reader import PatientData
from cds.fhir.terminology import ValueSetLibrary
from cds.service.app import create_app
from cds.service.eligibility_engine import EligibilityEngine
from cds.service.hooks import load_hooks
from cds.service.settings import Settings

from .wire_check import CheckedClient

PROTOCOL_YAML = """
id: test-trial
nct: NCT00000000
title: A test trial
short_title: TEST
libraries: [TestTrial]
criteria:
  - {id: inc-adult, kind: inclusion, text: Adult}
  - {id: inc-dx, kind: inclusion, text: SLE diagnosis}
  - {id: inc-hb, kind: inclusion, text: A hemoglobin result}
  - {id: exc-rituximab, kind: exclusion, text: No rituximab}
"""
PROTOCOL_CQL = """library TestTrial version '1'
using FHIR version '4.0.1'
include FHIRHelpers version '4.0.1'
include Criteria version '0.1.0' called Criteria
codesystem "SNOMED": 'http://snomed.info/sct'
codesystem "LOINC": 'http://loinc.org'
codesystem "RxNorm": 'http://www.nlm.nih.gov/research/umls/rxnorm'
code "SLE": '55464009' from "SNOMED"
code "Hb": '718-7' from "LOINC"
code "Rituximab": '121191' from "RxNorm"
context Patient
define "inc-adult":
  if AgeInYears() >= 18 then Criteria.Pass({ Criteria.Note('adult') })
  else Criteria.Fail({ Criteria.Note('not an adult') })
define "inc-dx":
  if exists [Condition: "SLE"] then Criteria.Pass({ Criteria.Note('SLE recorded') })
  else Criteria.Fail({ Criteria.Note('no SLE recorded') })
define "inc-hb":
  if exists [Observation: "Hb"] then Criteria.Pass({ Criteria.Note('hemoglobin recorded') })
  else Criteria.Unknown({ Criteria.Note('no hemoglobin') }, 'order a blood count')
define "exc-rituximab":
  if exists ([MedicationRequest: "Rituximab"] R where R.status = 'active')
  then Criteria.Fail({ Criteria.Note('rituximab ordered') })
  else Criteria.Pass({ Criteria.Note('no rituximab') })
"""


def patient() -> PatientBuilder:
    p = PatientBuilder("p1", birth_date="1980-02-02", gender="female")
    p.condition(SNOMED, "55464009", "Systemic lupus erythematosus", onset="2020-01-01")
    p.observation("http://loinc.org", "718-7", "Hemoglobin", value=12, unit="g/dL", date="2026-10-01")
    p.observation("http://loinc.org", "777-3", "Platelets", value=250, unit="10*9/L", date="2026-10-01")
    p.observation("http://loinc.org", "751-8", "Neutrophils", value=3, unit="10*9/L", date="2026-10-01")
    return p


def ineligible_patient() -> PatientBuilder:
    """A child: the first criterion (adult) fails, so the others decide nothing."""
    p = PatientBuilder("p1", birth_date="2015-02-02", gender="female")
    p.condition(SNOMED, "55464009", "Systemic lupus erythematosus", onset="2020-01-01")
    return p


# ------------------------------------------------------------------------------ a FHIR server
class FhirServer:
    """A small FHIR server on a free port serving one patient's resources, paging by `_count`."""

    def __init__(self, resources: list[dict[str, Any]]) -> None:
        self.resources = resources
        self.requests: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/fhir"

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(str(request.rel_url))
        rtype, _, rid = request.match_info["path"].partition("/")
        if rid:
            found = [r for r in self.resources if r["resourceType"] == rtype and r["id"] == rid]
            if not found:
                return web.json_response({"resourceType": "OperationOutcome"}, status=404)
            return web.Response(text=dumps(found[0]), content_type="application/fhir+json")
        matches = [r for r in self.resources if r["resourceType"] == rtype]
        count = int(request.query.get("_count", "1000"))
        offset = int(request.query.get("_offset", "0"))
        page = matches[offset : offset + count]
        bundle: dict[str, Any] = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(matches),
            "entry": [{"resource": r} for r in page],
        }
        if offset + count < len(matches):
            query = "&".join(f"{k}={v}" for k, v in request.query.items() if k != "_offset")
            bundle["link"] = [
                {"relation": "next", "url": f"{self.base}/{rtype}?{query}&_offset={offset + count}"}
            ]
        return web.Response(text=dumps(bundle), content_type="application/fhir+json")

    def start(self) -> None:
        app = web.Application()
        app.router.add_get("/fhir/{path:.*}", self.handle)
        runner = self.runner = web.AppRunner(app)

        def serve() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(runner.setup())
            self.loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            self.loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                threading.Event().wait(0.05)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=5)
        self.loop.call_soon_threadsafe(self.loop.stop)


class GarbageServer(FhirServer):
    """Answers every read with 200 and a body that is not JSON a FHIR client can read."""

    def __init__(self, body: str) -> None:
        super().__init__([])
        self.body = body

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(str(request.rel_url))
        return web.Response(text=self.body, content_type="application/fhir+json")


class SilentServer:
    """Accepts connections and never answers: a FHIR server that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}/fhir"

    def stop(self) -> None:
        self.sock.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    folder = tmp_path_factory.mktemp("protocols") / "test-trial"
    folder.mkdir()
    (folder / "protocol.yaml").write_text(PROTOCOL_YAML)
    (folder / "TestTrial.cql").write_text(PROTOCOL_CQL)
    mappings = content_dir("fhir_mappings")
    return Screener([compile_protocol(folder, mappings)], ValueSetLibrary.load(mappings / "valuesets"))


@pytest.fixture
def fhir_server() -> Iterator[FhirServer]:
    server = FhirServer(patient().resources)
    server.start()
    yield server
    server.stop()


def client_for(
    screener: Screener,
    tmp_path: Path,
    servers: list[str],
    page_size: int | None = None,
    deadline: float = 2.0,
) -> CheckedClient:
    settings = Settings(
        mode="demo",
        anonymous_fhir_servers=tuple(servers),
        fhir_request_timeout_s=deadline / 2,
        fhir_deadline_s=deadline,
        feedback_db_url=f"sqlite:///{tmp_path / 'fb.sqlite3'}",
    )
    fetcher = FhirFetcher(
        FetchLimits(request_timeout_s=deadline / 2, deadline_s=deadline, page_size=page_size)
    )
    engine = EligibilityEngine(screener, load_hooks(content_dir("hooks")), fetcher, "http://trialcds.test")
    client = CheckedClient(create_app(settings, engine), raise_server_exceptions=False)
    client.__enter__()
    return client


def prefetch_for(resources: list[dict[str, Any]], templates: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, template in templates.items():
        rtype = template.split("/")[0].split("?")[0]
        matching = [r for r in resources if r["resourceType"] == rtype]
        if "?" not in template:
            out[key] = matching[0] if matching else None
        else:
            out[key] = {
                "resourceType": "Bundle",
                "type": "searchset",
                "entry": [{"resource": r} for r in matching],
            }
    return out


def call(
    client: CheckedClient,
    service: str,
    prefetch: dict[str, Any] | None,
    server: str | None = None,
    context: dict[str, Any] | None = None,
) -> Any:
    hook = "patient-view" if service == "trial-eligibility" else "order-sign"
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": str(uuid.uuid4()),
        "context": context or {"userId": "Practitioner/1", "patientId": "p1"},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    if server is not None:
        body["fhirServer"] = server
    return client.post(
        f"/cds-services/{service}", content=dumps(body), headers={"Content-Type": "application/json"}
    )


def templates_of(client: CheckedClient, service: str) -> dict[str, str]:
    services = client.get("/cds-services").json()["services"]
    return next(s["prefetch"] for s in services if s["id"] == service)


def verdicts(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text
    out = []
    for card in loads(response.text)["cards"]:
        result = card.get("extension", {}).get("trialcds.eligibility")
        out.append((result["protocol"], result["verdict"]) if result else ("none", card["summary"]))
    return out


# ------------------------------------------------------------------------------------- tests
def test_discovery_offers_prefetch_templates_derived_from_the_protocols(
    screener: Screener, tmp_path: Path
) -> None:
    templates = templates_of(client_for(screener, tmp_path, []), "trial-eligibility")
    assert templates["patient"] == "Patient/{{context.patientId}}"
    assert templates["condition"] == "Condition?patient={{context.patientId}}"
    assert "observation" in templates and "medicationRequest" in templates


def test_full_prefetch_gives_a_card_with_the_result(screener: Screener, tmp_path: Path) -> None:
    client = client_for(screener, tmp_path, [])
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-eligibility"))
    response = call(client, "trial-eligibility", prefetch)
    assert verdicts(response) == [("test-trial", "likely-eligible")]


def test_a_null_prefetch_key_means_no_data_and_is_not_fetched(
    screener: Screener, tmp_path: Path, fhir_server: FhirServer
) -> None:
    client = client_for(screener, tmp_path, [fhir_server.base])
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-eligibility"))
    prefetch["condition"] = None
    response = call(client, "trial-eligibility", prefetch, fhir_server.base)
    assert verdicts(response) == []  # no SLE diagnosis -> ineligible -> no card
    assert fhir_server.requests == []


def test_missing_keys_without_a_fhir_server_answer_412_with_an_operation_outcome(
    screener: Screener, tmp_path: Path
) -> None:
    client = client_for(screener, tmp_path, [])
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-eligibility"))
    del prefetch["observation"]
    response = call(client, "trial-eligibility", prefetch)
    assert response.status_code == 412
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "observation" in response.text


def test_an_operation_outcome_in_prefetch_is_fetched_again(
    screener: Screener, tmp_path: Path, fhir_server: FhirServer
) -> None:
    client = client_for(screener, tmp_path, [fhir_server.base])
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-eligibility"))
    prefetch["observation"] = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "timeout"}],
    }
    response = call(client, "trial-eligibility", prefetch, fhir_server.base)
    assert verdicts(response) == [("test-trial", "likely-eligible")]
    assert [r for r in fhir_server.requests if r.startswith("/fhir/Observation")]


def test_no_prefetch_fetches_everything_with_all_pages_and_gives_the_same_cards(
    screener: Screener, tmp_path: Path, fhir_server: FhirServer
) -> None:
    prefetched = call(
        client_for(screener, tmp_path, []),
        "trial-eligibility",
        prefetch_for(
            patient().resources, templates_of(client_for(screener, tmp_path, []), "trial-eligibility")
        ),
    )
    fetched = call(
        client_for(screener, tmp_path, [fhir_server.base], page_size=1),
        "trial-eligibility",
        None,
        fhir_server.base,
    )
    assert verdicts(fetched) == verdicts(prefetched)
    # _count=1: three observations took three pages
    assert len([r for r in fhir_server.requests if r.startswith("/fhir/Observation")]) == 3


def test_a_fhir_server_not_on_the_allowlist_is_never_called(
    screener: Screener, tmp_path: Path, fhir_server: FhirServer
) -> None:
    client = client_for(screener, tmp_path, [])
    response = call(client, "trial-eligibility", None, fhir_server.base)
    assert response.status_code == 412
    assert fhir_server.requests == []


def test_a_hanging_fhir_server_gives_an_incomplete_card_within_the_deadline(
    screener: Screener, tmp_path: Path
) -> None:
    silent = SilentServer()
    try:
        client = client_for(screener, tmp_path, [silent.base], deadline=1.0)
        response = call(client, "trial-eligibility", None, silent.base)
        assert verdicts(response) == [("none", "Clinical trial screening could not be completed")]
    finally:
        silent.stop()


@pytest.mark.parametrize(
    "body",
    [
        "<html>Service Unavailable</html>",
        '{"resourceType": "Bundle"',
        "[" * 100_000 + "]" * 100_000,
        "[1, 2]",
        '{"resourceType": "Bundle", "entry": 5}',
        '{"resourceType": "Bundle", "entry": [5, {"resource": 7}]}',
        '{"resourceType": "Bundle", "entry": [], "link": "next"}',
        '{"resourceType": "Bundle", "entry": [], "link": [{"relation": "next", "url": 5}]}',
        '{"resourceType": "Patient", "id": 5}',
    ],
    ids=["html", "truncated", "deep nesting", "array", "entry", "entries", "link", "link url", "patient"],
)
def test_a_fhir_server_answering_what_is_not_json_gives_an_incomplete_card(
    screener: Screener, tmp_path: Path, body: str
) -> None:
    # Regression: the decoding error escaped the fetch and the hook answered 500.
    server = GarbageServer(body)
    server.start()
    try:
        client = client_for(screener, tmp_path, [server.base])
        response = call(client, "trial-eligibility", None, server.base)
        assert verdicts(response) == [("none", "Clinical trial screening could not be completed")]
        assert server.requests
    finally:
        server.stop()


def test_a_drafted_order_that_would_fail_a_criterion_is_warned(screener: Screener, tmp_path: Path) -> None:
    client = client_for(screener, tmp_path, [])
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-medication-check"))
    draft = {
        "resourceType": "MedicationRequest",
        "status": "draft",
        "intent": "order",
        "medicationCodeableConcept": {
            "coding": [{"system": RXNORM, "code": "121191", "display": "rituximab"}]
        },
        "subject": {"reference": "Patient/p1"},
    }
    context = {
        "userId": "Practitioner/1",
        "patientId": "p1",
        "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": draft}]},
    }
    response = call(client, "trial-medication-check", prefetch, context=context)
    assert response.status_code == 200, response.text
    (card,) = response.json()["cards"]
    assert card["indicator"] == "warning"
    assert card["extension"]["trialcds.newlyFailing"]["criteria"] == ["exc-rituximab"]
    harmless = {**draft, "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "8640"}]}}
    context["draftOrders"]["entry"] = [{"resource": harmless}]
    assert call(client, "trial-medication-check", prefetch, context=context).json()["cards"] == []


def test_a_repeated_chart_opening_reuses_the_result_but_not_the_cards(
    screener: Screener, tmp_path: Path
) -> None:
    settings = Settings(mode="demo", feedback_db_url=f"sqlite:///{tmp_path / 'fb.sqlite3'}")
    engine = EligibilityEngine(screener, load_hooks(content_dir("hooks")), FhirFetcher(), "http://t", None, 8)
    client = CheckedClient(create_app(settings, engine), raise_server_exceptions=False)
    client.__enter__()
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-eligibility"))
    first = call(client, "trial-eligibility", prefetch).json()["cards"]
    second = call(client, "trial-eligibility", prefetch).json()["cards"]
    assert engine.results.hits == 1
    assert first[0]["extension"] == second[0]["extension"] and first[0]["uuid"] != second[0]["uuid"]
    prefetch["condition"] = None  # a changed record: evaluated again
    assert call(client, "trial-eligibility", prefetch).json()["cards"] == []
    assert engine.results.hits == 1


def cached_client(
    screener: Screener, tmp_path: Path, servers: tuple[str, ...] = ()
) -> tuple[CheckedClient, EligibilityEngine]:
    settings = Settings(
        mode="demo", anonymous_fhir_servers=servers, feedback_db_url=f"sqlite:///{tmp_path / 'fb.sqlite3'}"
    )
    engine = EligibilityEngine(screener, load_hooks(content_dir("hooks")), FhirFetcher(), "http://t", None, 8)
    client = CheckedClient(create_app(settings, engine), raise_server_exceptions=False)
    client.__enter__()
    return client, engine


def test_the_same_prefetch_bytes_again_are_answered_without_reading_them(
    screener: Screener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cds.service import parsing

    reads: list[object] = []
    whole = parsing.HookCall.whole

    def counted(self: parsing.HookCall) -> Any:
        reads.append(self)
        return whole(self)

    monkeypatch.setattr(parsing.HookCall, "whole", counted)
    client, engine = cached_client(screener, tmp_path)
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-eligibility"))
    first = call(client, "trial-eligibility", prefetch).json()["cards"]
    second = call(client, "trial-eligibility", prefetch).json()["cards"]
    assert len(reads) == 1 and engine.results.hits == 1
    assert first[0]["extension"] == second[0]["extension"] and first[0]["uuid"] != second[0]["uuid"]
    assert first[0]["detail"] == second[0]["detail"]
    # The same bytes in another patient's chart are read and evaluated for that patient.
    other = {"userId": "Practitioner/1", "patientId": "p2"}
    assert call(client, "trial-eligibility", prefetch, context=other).status_code == 200
    assert len(reads) == 2


def test_a_prefetch_that_needed_the_fhir_server_is_fetched_again_on_the_next_call(
    screener: Screener, tmp_path: Path, fhir_server: FhirServer
) -> None:
    # The server's part may have changed since: only a prefetch that held everything is remembered.
    client, _engine = cached_client(screener, tmp_path, (fhir_server.base,))
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-eligibility"))
    del prefetch["observation"]
    first = verdicts(call(client, "trial-eligibility", prefetch, fhir_server.base))
    second = verdicts(call(client, "trial-eligibility", prefetch, fhir_server.base))
    assert first == second == [("test-trial", "likely-eligible")]
    assert len([r for r in fhir_server.requests if r.startswith("/fhir/Observation")]) == 2


def test_drafted_orders_are_never_answered_from_the_prefetch_bytes_alone(
    screener: Screener, tmp_path: Path
) -> None:
    client, _engine = cached_client(screener, tmp_path)
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-medication-check"))

    def drafted(code: str) -> dict[str, Any]:
        draft = {
            "resourceType": "MedicationRequest",
            "status": "draft",
            "intent": "order",
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": code}]},
            "subject": {"reference": "Patient/p1"},
        }
        entry = [{"resource": draft}]
        bundle = {"resourceType": "Bundle", "type": "collection", "entry": entry}
        return {"userId": "Practitioner/1", "patientId": "p1", "draftOrders": bundle}

    rituximab = call(client, "trial-medication-check", prefetch, context=drafted("121191")).json()["cards"]
    assert [card["indicator"] for card in rituximab] == ["warning"]
    assert call(client, "trial-medication-check", prefetch, context=drafted("8640")).json()["cards"] == []


def test_with_the_result_cache_off_no_content_key_is_computed(
    screener: Screener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The key is a canonical JSON pass over the whole record: work for nothing when nothing is kept.
    import cds.service.eligibility_engine as module

    def refuse(*args: object) -> str:
        raise AssertionError("content_key called with the cache off")

    monkeypatch.setattr(module, "content_key", refuse)
    settings = Settings(mode="demo", feedback_db_url=f"sqlite:///{tmp_path / 'fb.sqlite3'}")
    engine = EligibilityEngine(screener, load_hooks(content_dir("hooks")), FhirFetcher(), "http://t", None, 0)
    client = CheckedClient(create_app(settings, engine), raise_server_exceptions=False)
    client.__enter__()
    prefetch = prefetch_for(patient().resources, templates_of(client, "trial-eligibility"))
    assert verdicts(call(client, "trial-eligibility", prefetch)) == [("test-trial", "likely-eligible")]


def test_a_result_cut_short_at_ineligible_is_never_served_where_a_whole_one_is_needed(
    screener: Screener,
) -> None:
    # patient-view keeps only what its cards need; order-sign compares whole results before and after
    # the drafts. Both read the same cache, so the two kinds of result must not share a key.
    engine = EligibilityEngine(screener, load_hooks(content_dir("hooks")), FhirFetcher(), "http://t", None, 8)
    data = ineligible_patient().resources
    protocols = engine._protocols(engine.hooks["trial-eligibility"])
    short = engine._evaluate("p1", data, protocols, complete=False)
    whole = engine._evaluate("p1", data, protocols, complete=True)
    assert [r.verdict for r in short.results] == [r.verdict for r in whole.results] == ["ineligible"]
    assert len(short.results[0].criteria) < len(whole.results[0].criteria)
    assert whole == screener.evaluate(PatientData("p1", data), None)
    assert engine._evaluate("p1", data, protocols, complete=False) == short
    assert engine.results.hits == 1


def test_a_malformed_resource_is_left_out_and_logged_without_its_content(
    screener: Screener, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(screener, tmp_path, [])
    resources = patient().resources
    good = verdicts(
        call(client, "trial-eligibility", prefetch_for(resources, templates_of(client, "trial-eligibility")))
    )
    broken = {
        "resourceType": "Observation",
        "id": "broken",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
        "valueQuantity": {"value": "Smith-7"},
        "subject": {"reference": "Patient/p1"},
    }
    prefetch = prefetch_for([*resources, broken], templates_of(client, "trial-eligibility"))
    with caplog.at_level(logging.WARNING, logger="trialcds"):
        response = call(client, "trial-eligibility", prefetch)
    assert verdicts(response) == good
    (record,) = [r for r in caplog.records if r.getMessage() == "resources skipped"]
    assert record.__dict__["count"] == 1 and record.__dict__["types"] == ["Observation"]
    assert "Smith" not in caplog.text and "broken" not in caplog.text
