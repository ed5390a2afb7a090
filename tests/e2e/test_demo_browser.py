"""The demo EHR page and the review page in real Chromium (Debian's, driven by Playwright): the service
runs in demo mode on a free port, with the real protocols and three builder-made demo patients (the
last test uses the bundled data/demo-patients, as `trialcds demo` does).

Assertions take their expectations from the service's own answers (the hook response the page
received, the feedback store), not from fixed card or criteria counts, so new protocol content does
not break them. `TRIALCDS_UPDATE_SCREENSHOT=1` also writes the demo page picture to docs/demo-card.png.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import BrowserContext, Locator, Page, Response, expect, sync_playwright
from service.demo_support import (
    SLE,
    SSC,
    decisive,
    latest_hemoglobin_id,
    screener,
    sle_patient,
    write_demo_patients,
)

from cds.cards.eligibility import VERDICT_WORDS
from cds.cli import DEMO_AS_OF
from cds.sandbox.process import free_port
from cds.service.feedback_store import FeedbackStore
from cds.service.main import build_app
from cds.service.settings import Settings

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "demo-card.png"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ELIGIBILITY = "/cds-services/trial-eligibility"
MEDICATION_CHECK = "/cds-services/trial-medication-check"
WAIT_MS = 30_000


@dataclass(frozen=True)
class DemoServer:
    base: str
    feedback_db: str

    def feedback_for(self, card_uuid: str) -> list[Any]:
        store = FeedbackStore(self.feedback_db)
        try:
            return store.feedback_for(card_uuid)
        finally:
            store.close()


@pytest.fixture(scope="module")
def patients_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_patients(tmp_path_factory.mktemp("demo-patients"))


@contextmanager
def serving(tmp_path: Path, patients: Path | None) -> Iterator[DemoServer]:
    """`trialcds demo` as build_app makes it, served by uvicorn in a thread, with its own feedback DB;
    `patients` None means the bundled data/demo-patients."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    feedback_db = f"sqlite:///{tmp_path / 'feedback.sqlite3'}"
    # The bundled patients are evaluated as `trialcds demo` does, on the date they were written for;
    # the test patients are dated relative to today.
    as_of = DEMO_AS_OF if patients is None else None
    app = build_app(
        Settings(mode="demo", feedback_db_url=feedback_db, as_of=as_of), base, screener(), patients
    )
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the demo service did not start")
        time.sleep(0.02)
    try:
        yield DemoServer(base, feedback_db)
    finally:
        running.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def server(tmp_path: Path, patients_folder: Path) -> Iterator[DemoServer]:
    with serving(tmp_path, patients_folder) as running:
        yield running


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium (Debian's package)")
    profile = tmp_path_factory.mktemp("chromium-profile")  # a new, empty user-data-dir
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 900},
        )
        yield context
        context.close()


@contextmanager
def demo_page(browser: BrowserContext, server: DemoServer) -> Iterator[Page]:
    """The demo page, loaded; fails the test if a script error or a failed request shows up."""
    problems: list[str] = []
    opened = browser.new_page()
    opened.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    opened.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    opened.goto(f"{server.base}/demo")
    expect(opened.locator("button.patient").first).to_be_visible()
    yield opened
    opened.close()
    assert not problems, problems


@pytest.fixture
def page(browser: BrowserContext, server: DemoServer) -> Iterator[Page]:
    with demo_page(browser, server) as opened:
        expect(opened.locator("button.patient")).to_have_count(3)
        yield opened


# ---------------------------------------------------------------------------------------- helpers
def is_call(path: str) -> Callable[[Response], bool]:
    return lambda response: response.url.endswith(path) and response.request.method == "POST"


def open_chart(page: Page, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pick a patient; the hook request the page sent and the service's answer."""
    with page.expect_response(is_call(ELIGIBILITY), timeout=WAIT_MS) as answer:
        page.get_by_role("button", name=name).click()
    return exchange(page, answer.value)


def exchange(page: Page, response: Response) -> tuple[dict[str, Any], dict[str, Any]]:
    assert response.status == 200, response.text()
    body: dict[str, Any] = response.json()
    expect(page.locator("#cards > article.card")).to_have_count(len(body["cards"]), timeout=WAIT_MS)
    request: dict[str, Any] = response.request.post_data_json
    return request, body


def card_element(page: Page, card: dict[str, Any]) -> Locator:
    return page.locator(f'article.card[data-card-uuid="{card["uuid"]}"]')


def discovery(server: DemoServer) -> dict[str, dict[str, Any]]:
    services = httpx.get(f"{server.base}/cds-services", timeout=10).json()["services"]
    return {s["id"]: s for s in services}


# ------------------------------------------------------------------------------------------ tests
def test_opening_a_chart_sends_patient_view_with_prefetch_and_shows_the_cards(
    page: Page, server: DemoServer
) -> None:
    request, body = open_chart(page, "Ana Lima")
    service = discovery(server)["trial-eligibility"]
    assert request["hook"] == "patient-view"
    assert UUID.match(request["hookInstance"])
    assert request["fhirServer"] == f"{server.base}/demo/fhir"
    assert request["context"] == {"userId": "Practitioner/demo", "patientId": SLE}
    assert set(request["prefetch"]) == set(service["prefetch"])
    assert request["prefetch"]["patient"]["id"] == SLE
    observations = [r for r in sle_patient().resources if r["resourceType"] == "Observation"]
    assert request["prefetch"]["observation"]["total"] == len(observations)  # every page, merged

    assert body["cards"], "the SLE patient is a candidate for at least one trial"
    for card in body["cards"]:
        shown = card_element(page, card)
        expect(shown.locator(".card-summary")).to_have_text(card["summary"])
        verdict = card["extension"]["trialcds.eligibility"]["verdict"]
        expect(shown.locator(".verdict")).to_have_attribute("data-verdict", verdict)
        expect(shown.locator(".verdict-word")).to_have_text(VERDICT_WORDS[verdict])
        expect(shown.locator(".indicator")).to_have_text("Info")


def test_referral_suggestion_shows_the_service_request_and_records_accepted_feedback(
    page: Page, server: DemoServer
) -> None:
    _, body = open_chart(page, "Ana Lima")
    card = body["cards"][0]
    suggestion = card["suggestions"][0]
    referral = suggestion["actions"][0]["resource"]
    shown = card_element(page, card)
    shown.get_by_role("button", name=suggestion["label"]).click()

    preview = shown.locator(".action-preview")
    expect(preview).to_contain_text(referral["resourceType"])
    expect(preview).to_contain_text(referral["code"]["text"])
    expect(shown.locator(".card-outcome")).to_contain_text("feedback sent", timeout=WAIT_MS)
    (stored,) = server.feedback_for(card["uuid"])
    assert stored.outcome == "accepted"
    assert stored.accepted_suggestions == (suggestion["uuid"],)
    assert stored.patient_id == SLE
    assert abs(stored.outcome_at - datetime.now(UTC)) < timedelta(minutes=2)


def test_overriding_a_card_with_a_reason_records_it_and_hides_the_card_next_time(
    page: Page, server: DemoServer
) -> None:
    _, body = open_chart(page, "Ben Okafor")
    card = body["cards"][0]
    reason = next(r for r in card["overrideReasons"] if r["code"] == "patient-declined")
    shown = card_element(page, card)
    shown.get_by_role("button", name="Dismiss…").click()
    shown.get_by_label(reason["display"]).check()
    shown.get_by_label("Comment (optional)").fill("Prefers to wait until the summer")
    shown.get_by_role("button", name="Dismiss card").click()

    expect(shown.locator(".card-outcome")).to_contain_text(f"Dismissed: {reason['display']}", timeout=WAIT_MS)
    (stored,) = server.feedback_for(card["uuid"])
    assert (stored.outcome, stored.reason_code, stored.reason_system) == (
        "overridden",
        reason["code"],
        reason["system"],
    )
    assert stored.user_comment == "Prefers to wait until the summer"

    _, again = open_chart(page, "Ben Okafor")
    assert card["extension"]["trialcds.eligibility"] not in [
        c["extension"]["trialcds.eligibility"] for c in again["cards"]
    ]


def test_the_smart_link_opens_the_review_page_with_the_criteria_table(
    page: Page, browser: BrowserContext
) -> None:
    _, body = open_chart(page, "Ben Okafor")
    card = body["cards"][0]
    result = card["extension"]["trialcds.eligibility"]
    link = next(link for link in card["links"] if link["type"] == "smart")
    with browser.expect_page(timeout=WAIT_MS) as launched:
        card_element(page, card).get_by_role("link", name=link["label"]).click()
    review = launched.value
    assert review.url.startswith(link["url"] + "?appContext=")

    rows = review.locator("table.criteria-table tbody tr")
    expect(rows).to_have_count(len(result["criteria"]), timeout=WAIT_MS)
    expect(review.locator(".verdict-banner")).to_have_attribute("data-verdict", result["verdict"])
    expect(review.locator(".verdict-big")).to_have_text(VERDICT_WORDS[result["verdict"]])
    for criterion in result["criteria"]:
        row = review.locator(f'tr[data-criterion="{criterion["id"]}"]')
        expect(row).to_have_attribute("data-status", criterion["status"])
        expect(row).to_contain_text(criterion["text"])
        for evidence in criterion.get("evidence", []):
            expect(row).to_contain_text(evidence["display"])
    review.close()


def test_the_review_page_without_an_app_context_says_where_it_opens_from(
    browser: BrowserContext, server: DemoServer
) -> None:
    review = browser.new_page()
    review.goto(f"{server.base}/review")
    expect(review.locator("#review-status")).to_have_text(re.compile("opens from a card's review link"))
    expect(review.locator("#review-status")).to_have_attribute("data-kind", "error")
    review.close()


def test_signing_a_rituximab_order_shows_the_trial_warning(page: Page) -> None:
    open_chart(page, "Ana Lima")
    page.get_by_label("Medication", exact=True).select_option("rituximab")
    with page.expect_response(is_call(MEDICATION_CHECK), timeout=WAIT_MS) as answer:
        page.get_by_role("button", name="Sign order").click()
    response = answer.value
    assert response.status == 200, response.text()
    request, body = response.request.post_data_json, response.json()

    (draft,) = [entry["resource"] for entry in request["context"]["draftOrders"]["entry"]]
    assert (draft["resourceType"], draft["status"], draft["subject"]["reference"]) == (
        "MedicationRequest",
        "draft",
        f"Patient/{SLE}",
    )
    assert "121191" in [c["code"] for c in draft["medicationCodeableConcept"]["coding"]]
    warnings = [card for card in body["cards"] if card["indicator"] == "warning"]
    assert warnings, "a rituximab order rules the SLE patient out of a trial she is a candidate for"
    shown = page.locator("#order-cards article.card")
    expect(shown).to_have_count(len(body["cards"]), timeout=WAIT_MS)
    for card in warnings:
        element = page.locator(f'#order-cards article.card[data-card-uuid="{card["uuid"]}"]')
        expect(element.locator(".indicator")).to_have_text("Warning")
        expect(element.locator(".card-summary")).to_have_text(card["summary"])
        failing = card["extension"]["trialcds.newlyFailing"]["criteria"]
        expect(element.locator(".md-table tbody tr")).to_have_count(len(failing))


def test_with_prefetch_off_the_service_reads_the_facade_and_shows_the_same_cards(page: Page) -> None:
    _, with_prefetch = open_chart(page, "Ana Lima")
    with page.expect_response(is_call(ELIGIBILITY), timeout=WAIT_MS) as answer:
        page.get_by_label("Send prefetch").uncheck()
    request, without_prefetch = exchange(page, answer.value)

    assert "prefetch" not in request
    assert request["fhirServer"].endswith("/demo/fhir")
    assert [c["summary"] for c in without_prefetch["cards"]] == [c["summary"] for c in with_prefetch["cards"]]
    assert [decisive(c["extension"]["trialcds.eligibility"]) for c in without_prefetch["cards"]] == [
        decisive(c["extension"]["trialcds.eligibility"]) for c in with_prefetch["cards"]
    ]
    # The latest hemoglobin is on the second page of the facade's Observation search.
    references = [
        e.get("reference")
        for c in without_prefetch["cards"]
        for criterion in c["extension"]["trialcds.eligibility"]["criteria"]
        for e in criterion.get("evidence", [])
    ]
    assert f"Observation/{latest_hemoglobin_id()}" in references


def test_a_patient_without_candidate_trials_gets_a_quiet_sidebar(page: Page) -> None:
    _, body = open_chart(page, "Cara Novak")
    assert body["cards"] == []
    expect(page.locator("#cards")).to_contain_text("No clinical trial suggestions")


def test_patients_are_chosen_with_the_keyboard(page: Page) -> None:
    page.locator("button.patient").first.focus()
    page.keyboard.press("ArrowDown")
    with page.expect_response(is_call(ELIGIBILITY), timeout=WAIT_MS) as answer:
        page.keyboard.press("Enter")
    request, _ = exchange(page, answer.value)
    assert request["context"]["patientId"] == SSC
    expect(page.locator(f'button.patient[data-patient-id="{SSC}"]')).to_have_attribute("aria-current", "true")


def test_the_markdown_renderer_never_turns_card_text_into_markup(page: Page) -> None:
    rendered = page.evaluate(
        """async () => {
            const { renderMarkdown } = await import("/static/js/markdown.js");
            const render = (text) => {
                const box = document.createElement("div");
                box.append(renderMarkdown(text));
                return box;
            };
            const hostile = render('<img src=x onerror="window.pwned=1"> [go](javascript:alert(1)) <script>x()</script>');
            const table = render("**Likely eligible** for A\\\\|B:\\n\\n| | Rule | Evidence |\\n| --- | :-: | ---: |\\n| ✅ | x \\\\| y | **z** snake_case |");
            return {
                hostileElements: hostile.querySelectorAll("*:not(p)").length,
                hostileText: hostile.textContent,
                strong: table.querySelector("p strong").textContent,
                paragraph: table.querySelector("p").textContent,
                headers: table.querySelectorAll("th").length,
                cells: [...table.querySelectorAll("td")].map((td) => td.textContent),
                centered: table.querySelector("td:nth-child(2)").className,
                right: table.querySelector("td:nth-child(3)").className,
                bold: table.querySelector("td:nth-child(3) strong").textContent,
                pwned: window.pwned === 1,
            };
        }"""
    )
    assert rendered["hostileElements"] == 0
    assert rendered["hostileText"].startswith('<img src=x onerror="window.pwned=1">')
    assert not rendered["pwned"]
    assert (rendered["strong"], rendered["paragraph"]) == ("Likely eligible", "Likely eligible for A|B:")
    assert rendered["headers"] == 3
    assert rendered["cells"] == ["✅", "x | y", "z snake_case"]
    assert (rendered["centered"], rendered["right"], rendered["bold"]) == ("align-center", "align-right", "z")


def test_the_bundled_demo_patients_get_cards_and_the_page_is_pictured(
    browser: BrowserContext, tmp_path: Path
) -> None:
    """`trialcds demo` as shipped: some bundled patient gets a card; that page is docs/demo-card.png."""
    with serving(tmp_path, None) as bundled, demo_page(browser, bundled) as page:
        page.set_viewport_size({"width": 1440, "height": 1400})
        patients = page.locator("button.patient")
        for index in range(patients.count()):
            with page.expect_response(is_call(ELIGIBILITY), timeout=WAIT_MS) as answer:
                patients.nth(index).click()
            _, body = exchange(page, answer.value)
            if body["cards"]:
                break
        else:
            pytest.fail("no bundled demo patient gets a card")
        card = card_element(page, body["cards"][0])
        card.locator("details.criteria-fold > summary").click()  # show the criteria table
        expect(card.locator(".md-table tbody tr").first).to_be_visible()
        expect(page.locator(".chart-section").first).to_be_visible()
        shot = tmp_path / "demo-card.png"
        page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(data[16:20], "big") == 1440  # the PNG header's width
    if os.environ.get("TRIALCDS_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)
