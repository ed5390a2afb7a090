// Words for statuses and verdicts, shared by the cards and the review page. Every status shows an
// icon and a word, so nothing depends on colour alone. The verdict words are the service's own
// (cds/cards/eligibility.py VERDICT_WORDS); `mark` is the emoji its card tables use, recognised in
// a card's markdown and replaced by our icon (drawn as SVG: emoji fonts are not on every machine).

import { el } from "./dom.js";

export const STATUS = {
  pass: { mark: "✅", label: "Met", order: 2 },
  fail: { mark: "❌", label: "Not met", order: 0 },
  unknown: { mark: "❔", label: "To check", order: 1 },
  manual: { mark: "📝", label: "Trial team", order: 3 },
};

// In a row whose kind is known, pass and fail say what they mean for that kind of criterion.
const KIND_LABELS = {
  inclusion: { pass: "Met", fail: "Not met" },
  exclusion: { pass: "Absent", fail: "Present" },
};

export const VERDICT = {
  "likely-eligible": "Likely eligible",
  "possibly-eligible": "Possibly eligible",
  ineligible: "Not eligible",
};

export const INDICATOR = { info: "Info", warning: "Warning", critical: "Critical" };

const BY_MARK = new Map(Object.entries(STATUS).map(([status, { mark }]) => [mark, status]));

/** The status a table cell's mark stands for, or null. */
export function statusOfMark(text) {
  return BY_MARK.get(String(text).trim()) ?? null;
}

// Icon strokes on a 20x20 circle: a tick, a cross, a question mark, a pencil.
const ICON_PATHS = {
  pass: "M5.5 10.5l3 3 6-6.5",
  fail: "M6.5 6.5l7 7M13.5 6.5l-7 7",
  unknown: "M7.6 7.6a2.5 2.5 0 1 1 3.6 2.3c-.8.4-1.2.9-1.2 1.7v.6M10 14.6v.2",
  manual: "M6 14l.8-2.8 5.7-5.7 2 2-5.7 5.7z",
};

function statusIcon(status) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 20 20");
  svg.setAttribute("class", "status-icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const circle = document.createElementNS(svg.namespaceURI, "circle");
  for (const [name, value] of [["cx", "10"], ["cy", "10"], ["r", "10"]]) circle.setAttribute(name, value);
  const path = document.createElementNS(svg.namespaceURI, "path");
  path.setAttribute("d", ICON_PATHS[status] ?? "M10 10h.1");
  svg.append(circle, path);
  return svg;
}

/** A status as an icon and a word ("Met", "Not met", "To check", "Trial team"; for an exclusion
 * "Absent" or "Present"). */
export function statusBadge(status, kind) {
  const label = KIND_LABELS[kind]?.[status] ?? STATUS[status]?.label ?? status;
  return el("span", { class: `status status-${status}`, dataset: { status } }, statusIcon(status), el("span", { class: "status-label" }, label));
}
