// Words for statuses and verdicts, shared by the cards and the review page. Every status shows a
// mark and a word, so nothing depends on colour alone. The verdict words are the service's own
// (cds/cards/eligibility.py VERDICT_WORDS), and the marks are the ones its card tables use.

import { el } from "./dom.js";

export const STATUS = {
  pass: { mark: "✅", label: "Met", order: 2 },
  fail: { mark: "❌", label: "Not met", order: 0 },
  unknown: { mark: "❔", label: "To check", order: 1 },
  manual: { mark: "📝", label: "Trial team", order: 3 },
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

/** A status as a mark and a word: `<span class="status status-fail">❌ Not met</span>`. */
export function statusBadge(status) {
  const known = STATUS[status] ?? { mark: "•", label: status };
  return el(
    "span",
    { class: `status status-${status}` },
    el("span", { class: "status-mark", "aria-hidden": "true" }, known.mark),
    el("span", { class: "status-label" }, known.label),
  );
}
