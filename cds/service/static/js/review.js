// The review page a card's smart link opens: one patient's criteria for one trial or cohort, with the
// verdict on top and, per criterion, its status, the rule, the evidence and what to check.

import { el, safeUrl } from "./dom.js";
import { STATUS, VERDICT, statusBadge } from "./statuses.js";

const $ = (id) => document.getElementById(id);
const REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;
const KINDS = [
  ["inclusion", "Inclusion criteria"],
  ["exclusion", "Exclusion criteria"],
];

/** The appContext of the launch: {patient, protocol, cohort?, asOf?}, or an error message. */
export function readAppContext(search) {
  const raw = new URLSearchParams(search).get("appContext");
  if (!raw) return { error: "This page opens from a card's review link; no appContext was given." };
  let context;
  try {
    context = JSON.parse(raw);
  } catch {
    return { error: "The appContext is not JSON." };
  }
  const text = (value) => (typeof value === "string" && value ? value : undefined);
  const parsed = {
    patient: text(context?.patient)?.replace(/^Patient\//, ""),
    protocol: text(context?.protocol),
    cohort: text(context?.cohort),
    asOf: text(context?.asOf),
  };
  if (!parsed.patient || !parsed.protocol) return { error: "The appContext names no patient or no trial." };
  return { context: parsed };
}

async function load() {
  const { context, error } = readAppContext(location.search);
  if (error) return status(error, "error");
  const query = new URLSearchParams({ patient: context.patient, protocol: context.protocol });
  if (context.cohort) query.set("cohort", context.cohort);
  if (context.asOf) query.set("asOf", context.asOf);
  let response;
  try {
    response = await fetch(`/review/result?${query}`, { headers: { Accept: "application/json" } });
  } catch (failure) {
    return status(`The service could not be reached (${failure.message}).`, "error");
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const why = (body?.issue ?? []).map((issue) => issue.diagnostics ?? issue.code).join("; ");
    return status(`The review could not be shown (${response.status}${why ? `: ${why}` : ""}).`, "error");
  }
  render(body);
}

function status(text, kind = "info") {
  $("review-status").textContent = text;
  $("review-status").dataset.kind = kind;
}

function render(body) {
  const result = body.results?.[0];
  if (!result) return status("The service returned no result for this trial.", "error");
  const display = body.display ?? {};
  const trial = [display.trial ?? result.protocol, display.cohort ? `${display.cohort} cohort` : null].filter(Boolean).join(", ");
  $("review-title").textContent = `${trial}: eligibility review`;
  const registry = display.registry ? safeUrl(display.registry) : null;
  $("review-body").replaceChildren(
    el(
      "section",
      { class: "review-head" },
      el("p", { class: "review-patient" }, el("strong", {}, display.patient ?? body.patient), ` (${body.patient})`),
      el(
        "p",
        { class: "review-trial" },
        display.title ?? "",
        " · ",
        registry ? el("a", { href: registry, target: "_blank", rel: "noopener noreferrer" }, `${result.nct} on ClinicalTrials.gov`) : result.nct,
        ` · as of ${body.asOf}`,
      ),
    ),
    verdictBanner(result),
    ...KINDS.map(([kind, title]) => criteriaSection(result.criteria.filter((c) => c.kind === kind), title)),
  );
  status(`${result.criteria.length} criteria evaluated.`);
}

function verdictBanner(result) {
  const counts = Object.keys(STATUS).map((s) => [s, result.criteria.filter((c) => c.status === s).length]);
  return el(
    "section",
    { class: `verdict-banner verdict-${result.verdict}`, dataset: { verdict: result.verdict }, "aria-label": "Verdict" },
    el("p", { class: "verdict-big" }, VERDICT[result.verdict] ?? result.verdict),
    el(
      "ul",
      { class: "verdict-tally" },
      counts.filter(([, n]) => n > 0).map(([s, n]) => el("li", {}, statusBadge(s), ` ${n}`)),
    ),
  );
}

function criteriaSection(criteria, title) {
  if (!criteria.length) return null;
  const ordered = [...criteria].sort((a, b) => STATUS[a.status].order - STATUS[b.status].order);
  return el(
    "section",
    { class: "criteria-section" },
    el("h2", {}, `${title} (${criteria.length})`),
    el(
      "table",
      { class: "criteria-table" },
      el(
        "thead",
        {},
        el("tr", {}, ["Status", "Criterion", "Evidence", "What to check"].map((h) => el("th", { scope: "col" }, h))),
      ),
      el("tbody", {}, ordered.map(criterionRow)),
    ),
  );
}

function criterionRow(criterion) {
  return el(
    "tr",
    { dataset: { criterion: criterion.id, status: criterion.status } },
    el("td", { class: "status-cell" }, statusBadge(criterion.status, criterion.kind)),
    el("td", {}, el("span", { class: "criterion-text" }, criterion.text), el("span", { class: "criterion-id" }, criterion.id)),
    el("td", {}, evidenceList(criterion.evidence ?? [])),
    el("td", {}, criterion.check ?? "—"),
  );
}

function evidenceList(evidence) {
  if (!evidence.length) return "—";
  return el(
    "ul",
    { class: "evidence" },
    evidence.map((item) =>
      el(
        "li",
        {},
        item.display,
        item.date ? el("span", { class: "evidence-date" }, " · ", el("time", { datetime: item.date }, item.date)) : null,
        item.reference && REFERENCE.test(item.reference)
          ? el(
              "span",
              { class: "evidence-ref" },
              " · ",
              el("a", { href: `/demo/fhir/${item.reference}`, target: "_blank", rel: "noopener" }, item.reference),
            )
          : null,
      ),
    ),
  );
}

load();
