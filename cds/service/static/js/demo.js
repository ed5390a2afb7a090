// The demo EHR page: pick a patient, and the page does what an EHR does on opening a chart: a real
// CDS Hooks patient-view call (discovery, prefetch from the FHIR server, the hook request), then the
// cards in the sidebar. Signing a medication order sends order-sign with the draft order.

import { acceptedFeedback, CdsClient, overriddenFeedback, runPrefetch } from "./cds-client.js";
import { renderCard } from "./cards.js";
import { loadChart, renderChart } from "./chart.js";
import { el, safeUrl, uuid4 } from "./dom.js";
import { FhirClient } from "./fhir-client.js";
import { CATALOG, draftMedicationRequest, draftOrders } from "./orders.js";

const USER = "Practitioner/demo";
const SEX = { female: "Female", male: "Male", other: "Other", unknown: "Sex unknown" };

const $ = (id) => document.getElementById(id);
const cds = new CdsClient();
const state = { patients: [], current: null, fhir: null, ticket: 0 };

// -------------------------------------------------------------------------------------- options
function fhirBase() {
  return safeUrl($("fhir-base").value.trim())?.replace(/\/+$/, "") ?? null;
}

function sendPrefetch() {
  return $("send-prefetch").checked;
}

function initOptions() {
  const preset = new URLSearchParams(location.search).get("fhirServer");
  $("fhir-base").value = (preset && safeUrl(preset)) || `${location.origin}/demo/fhir`;
  $("settings").addEventListener("submit", (event) => {
    event.preventDefault();
    rerun();
  });
  $("fhir-base").addEventListener("change", rerun);
  $("send-prefetch").addEventListener("change", rerun);
}

function rerun() {
  if (state.current) openChart(state.current);
}

// -------------------------------------------------------------------------------- patient list
async function loadPatients() {
  const list = $("patients");
  try {
    const response = await fetch("/demo/patients", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`the service answered ${response.status}`);
    state.patients = (await response.json()).patients ?? [];
  } catch (error) {
    list.replaceChildren(el("li", { class: "muted" }, `Patients could not be loaded (${error.message}).`));
    return;
  }
  if (!state.patients.length) {
    list.replaceChildren(el("li", { class: "muted" }, "No demo patients are installed."));
    return;
  }
  list.replaceChildren(...state.patients.map(patientItem));
  list.addEventListener("keydown", moveFocus);
}

function patientItem(patient) {
  return el(
    "li",
    {},
    el(
      "button",
      { type: "button", class: "patient", dataset: { patientId: patient.id }, onclick: () => openChart(patient) },
      el("span", { class: "patient-name" }, patient.name),
      el("span", { class: "patient-meta" }, demographics(patient)),
      patient.diagnoses?.length ? el("span", { class: "patient-dx" }, patient.diagnoses.join(" · ")) : null,
    ),
  );
}

function demographics(patient) {
  const parts = [SEX[patient.sex] ?? null, patient.age === undefined ? null : `${patient.age} y`];
  return parts.filter(Boolean).join(", ") || "—";
}

/** Arrow keys move between patients, as in a list box. */
function moveFocus(event) {
  if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
  const buttons = [...$("patients").querySelectorAll("button.patient")];
  const at = buttons.indexOf(document.activeElement);
  const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
  if (buttons[next]) {
    event.preventDefault();
    buttons[next].focus();
  }
}

// --------------------------------------------------------------------------------- open a chart
function openChart(patient) {
  state.current = patient;
  state.ticket += 1;
  const base = fhirBase();
  for (const button of $("patients").querySelectorAll("button.patient")) {
    const chosen = button.dataset.patientId === patient.id;
    button.setAttribute("aria-current", chosen ? "true" : "false");
  }
  $("banner").replaceChildren(
    el("h2", { class: "banner-name" }, patient.name),
    el("p", { class: "banner-meta" }, `${demographics(patient)} · ID ${patient.id}`),
  );
  $("order-patient").textContent = patient.name;
  $("order-form").querySelector("button").disabled = false;
  $("order-cards").replaceChildren();
  if (!base) {
    status("The FHIR server address is not an http(s) URL.", "error");
    return;
  }
  state.fhir = new FhirClient(base);
  const ticket = state.ticket;
  $("chart").replaceChildren(el("p", { class: "muted" }, "Loading the chart…"));
  loadChart(state.fhir, patient.id).then((chart) => ticket === state.ticket && renderChart($("chart"), chart));
  patientView(patient, ticket);
}

async function patientView(patient, ticket) {
  const cards = $("cards");
  cards.setAttribute("aria-busy", "true");
  cards.replaceChildren(el("div", { class: "card card-placeholder" }, "Checking clinical trials…"));
  status("Calling the trial eligibility service…");
  try {
    const service = await cds.serviceFor("patient-view");
    const context = { userId: USER, patientId: patient.id };
    const answer = await callService(service, context, "patient-view");
    if (ticket !== state.ticket) return; // the user has moved to another chart
    showCards(cards, answer, service.id, "No clinical trial suggestions for this patient.");
  } catch (error) {
    if (ticket !== state.ticket) return;
    cards.replaceChildren();
    status(`The decision support service could not be reached (${error.message}).`, "error");
  } finally {
    if (ticket === state.ticket) cards.removeAttribute("aria-busy");
  }
}

/** Build and send one hook request; records the exchange for the "CDS Hooks exchange" view. */
async function callService(service, context, hook) {
  const request = { hook, hookInstance: uuid4(), fhirServer: state.fhir.base, context };
  let report = null;
  if (sendPrefetch()) {
    ({ prefetch: request.prefetch, report } = await runPrefetch(state.fhir, service.prefetch, context));
  }
  const answer = await cds.call(service.id, request);
  showExchange(service, request, report, answer);
  return answer;
}

function showCards(container, answer, serviceId, emptyText) {
  if (answer.status !== 200) {
    container.replaceChildren();
    status(`The service answered ${answer.status}: ${diagnostics(answer.body)}`, "error");
    return;
  }
  const cards = answer.body?.cards ?? [];
  const feedback = {
    accept: (card, suggestion) => send(serviceId, acceptedFeedback(card, suggestion)),
    override: (card, reason, comment) => send(serviceId, overriddenFeedback(card, reason, comment)),
  };
  container.replaceChildren(
    ...(cards.length ? cards.map((card) => renderCard(card, feedback)) : [el("p", { class: "muted" }, emptyText)]),
  );
  status(`${cards.length} card${cards.length === 1 ? "" : "s"} · answered in ${answer.ms} ms`);
}

async function send(serviceId, item) {
  try {
    return await cds.feedback(serviceId, [item]);
  } catch {
    return false;
  }
}

function diagnostics(body) {
  const issues = body?.resourceType === "OperationOutcome" ? body.issue ?? [] : [];
  return issues.map((issue) => issue.diagnostics ?? issue.code).join("; ") || "no details";
}

function status(text, kind = "info") {
  const line = $("cds-status");
  line.textContent = text;
  line.dataset.kind = kind;
}

// ------------------------------------------------------------------------------------- ordering
function initOrders() {
  $("drug").replaceChildren(...CATALOG.map((item) => el("option", { value: item.id }, item.label)));
  $("order-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const patient = state.current;
    if (!patient || !state.fhir) return;
    const item = CATALOG.find((entry) => entry.id === $("drug").value);
    const ticket = state.ticket;
    const area = $("order-cards");
    area.replaceChildren(el("p", { class: "muted" }, "Checking the order…"));
    try {
      const service = await cds.serviceFor("order-sign");
      const draft = draftMedicationRequest(item, patient.id, USER);
      const context = { userId: USER, patientId: patient.id, draftOrders: draftOrders(draft) };
      const answer = await callService(service, context, "order-sign");
      if (ticket !== state.ticket) return;
      showCards(area, answer, service.id, "No trial conflicts for this order. (The demo does not store orders.)");
    } catch (error) {
      if (ticket === state.ticket) area.replaceChildren(el("p", { class: "form-error" }, error.message));
    }
  });
}

// ------------------------------------------------------------------------------------- exchange
function showExchange(service, request, report, answer) {
  const context = { ...request.context };
  if (context.draftOrders) context.draftOrders = `Bundle with ${context.draftOrders.entry.length} draft order(s)`;
  const prefetch = report
    ? el("ul", {}, Object.entries(report).sort().map(([key, text]) => el("li", {}, el("code", {}, key), `: ${text}`)))
    : el("p", {}, "Not sent: the service fetches from fhirServer itself.");
  $("exchange").replaceChildren(
    el("p", {}, el("strong", {}, `POST /cds-services/${service.id}`), ` → ${answer.status} in ${answer.ms} ms`),
    el(
      "dl",
      { class: "exchange-fields" },
      el("dt", {}, "hook"),
      el("dd", {}, request.hook),
      el("dt", {}, "hookInstance"),
      el("dd", {}, request.hookInstance),
      el("dt", {}, "fhirServer"),
      el("dd", {}, request.fhirServer),
      el("dt", {}, "context"),
      el("dd", {}, el("code", {}, JSON.stringify(context))),
    ),
    el("h4", {}, "Prefetch"),
    prefetch,
    el("h4", {}, "Response"),
    el("pre", { class: "json" }, JSON.stringify(answer.body, null, 2)),
  );
}

initOptions();
initOrders();
loadPatients();
cds.services().catch((error) => status(`Discovery failed (${error.message}).`, "error"));
