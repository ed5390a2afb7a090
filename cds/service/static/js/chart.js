// The chart summary an EHR shows beside its CDS cards: problems, medications and latest results,
// read from the FHIR server like any EHR view (the FhirClient's cache shares answers with prefetch).

import { el } from "./dom.js";

const LATEST_RESULTS = 8;
const NOT_CURRENT = new Set(["inactive", "resolved", "remission", "refuted", "entered-in-error"]);
const NOT_TAKEN = new Set(["entered-in-error", "cancelled", "draft", "not-taken", "stopped", "completed"]);

export async function loadChart(fhir, patientId) {
  const id = encodeURIComponent(patientId);
  const [conditions, statements, requests, observations] = await Promise.all(
    ["Condition", "MedicationStatement", "MedicationRequest", "Observation"].map((type) =>
      fhir.resources(`${type}?patient=${id}`).catch(() => null),
    ),
  );
  return { conditions, medications: merge(statements, requests), observations };
}

function merge(...lists) {
  return lists.some((list) => list === null) ? null : lists.flat();
}

export function renderChart(container, chart) {
  container.replaceChildren(
    section("Problems", chart.conditions, problemRows, ["Problem", "Since", "Status"]),
    section("Medications", chart.medications, medicationRows, ["Medication", "Dose", "Since"]),
    section(`Latest results`, chart.observations, resultRows, ["Result", "Value", "Date"]),
  );
}

function section(title, resources, rowsOf, headings) {
  let body;
  if (resources === null) body = el("p", { class: "muted" }, "Could not be read from the FHIR server.");
  else {
    const rows = rowsOf(resources);
    body = rows.length
      ? el(
          "table",
          { class: "chart-table" },
          el("thead", {}, el("tr", {}, headings.map((h) => el("th", { scope: "col" }, h)))),
          el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c ?? "—"))))),
        )
      : el("p", { class: "muted" }, "None recorded.");
  }
  return el("section", { class: "chart-section" }, el("h3", {}, title), body);
}

function problemRows(conditions) {
  return conditions
    .filter((c) => !codes(c.clinicalStatus).some((code) => NOT_CURRENT.has(code)))
    .filter((c) => !codes(c.verificationStatus).some((code) => NOT_CURRENT.has(code)))
    .sort((a, b) => (onset(a) ?? "9999").localeCompare(onset(b) ?? "9999"))
    .map((c) => [label(c.code), day(onset(c)), codes(c.clinicalStatus)[0] ?? "active"]);
}

function medicationRows(medications) {
  return medications
    .filter((m) => !NOT_TAKEN.has(m.status))
    .map((m) => [label(m.medicationCodeableConcept) ?? m.medicationReference?.display, dose(m), day(started(m))]);
}

/** The latest result of each test, newest first. */
function resultRows(observations) {
  const seen = new Set();
  return observations
    .filter((o) => ["final", "amended", "corrected"].includes(o.status))
    .sort((a, b) => (effective(b) ?? "").localeCompare(effective(a) ?? ""))
    .filter((o) => {
      const test = label(o.code);
      if (seen.has(test)) return false;
      seen.add(test);
      return true;
    })
    .slice(0, LATEST_RESULTS)
    .map((o) => [label(o.code), value(o), day(effective(o))]);
}

// --------------------------------------------------------------------------------- reading FHIR
function codes(concept) {
  return (concept?.coding ?? []).map((c) => c.code).filter(Boolean);
}

export function label(concept) {
  return concept?.text ?? concept?.coding?.find((c) => c.display)?.display ?? concept?.coding?.[0]?.code ?? null;
}

function day(dateTime) {
  if (!dateTime) return null;
  const text = String(dateTime).slice(0, 10);
  return el("time", { datetime: text }, text);
}

function onset(c) {
  return c.onsetDateTime ?? c.onsetPeriod?.start ?? c.recordedDate ?? null;
}

function started(m) {
  return m.effectivePeriod?.start ?? m.effectiveDateTime ?? m.authoredOn ?? null;
}

function effective(o) {
  return o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued ?? null;
}

function quantity(q) {
  return q && q.value !== undefined ? `${q.value} ${q.unit ?? q.code ?? ""}`.trim() : null;
}

function dose(m) {
  const dosage = (m.dosage ?? m.dosageInstruction ?? [])[0];
  if (!dosage) return null;
  const amount = quantity(dosage.doseAndRate?.[0]?.doseQuantity);
  const repeat = dosage.timing?.repeat;
  const perDay = repeat?.periodUnit === "d" && repeat.period === 1 && repeat.frequency ? `${repeat.frequency}×/day` : null;
  return [amount, perDay].filter(Boolean).join(", ") || dosage.text || null;
}

function value(o) {
  return (
    quantity(o.valueQuantity) ??
    label(o.valueCodeableConcept) ??
    o.valueString ??
    (o.valueBoolean === undefined ? null : String(o.valueBoolean)) ??
    (o.component?.length ? o.component.map((c) => quantity(c.valueQuantity)).filter(Boolean).join(" / ") : null)
  );
}
