// CDS Hooks cards as an EHR shows them: indicator, summary, the verdict (from the card's
// trialcds.eligibility extension), the markdown detail, links, suggestions and an override control.
// Feedback goes through the callbacks the page passes in; this module only draws and reacts.

import { append, el, safeUrl, uniqueId } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { INDICATOR, STATUS, VERDICT, statusBadge, statusOfMark } from "./statuses.js";

export const ELIGIBILITY_EXTENSION = "trialcds.eligibility";
const NEWLY_FAILING_EXTENSION = "trialcds.newlyFailing";
const OPEN_TABLE_ROWS = 3; // short tables (an order warning) show open; long ones start folded

/**
 * A card element. `actions`: { accept(card, suggestion) -> Promise<boolean>,
 * override(card, reasonCoding, comment) -> Promise<boolean> }; each resolves to whether the
 * feedback was taken by the service.
 */
export function renderCard(card, actions) {
  const summaryId = uniqueId("card-summary");
  const indicator = INDICATOR[card.indicator] ? card.indicator : "info";
  const node = el("article", {
    class: `card card-${indicator}`,
    "aria-labelledby": summaryId,
    dataset: { cardUuid: card.uuid ?? "", indicator },
  });
  const outcome = el("p", { class: "card-outcome", role: "status", tabindex: "-1" });
  append(node, [
    el(
      "header",
      { class: "card-head" },
      el("span", { class: `indicator indicator-${indicator}` }, INDICATOR[indicator]),
      el("h3", { id: summaryId, class: "card-summary" }, card.summary),
    ),
    verdictLine(card),
    card.detail ? el("div", { class: "card-detail markdown" }, detailOf(card.detail)) : null,
    linksOf(card),
    el("div", { class: "card-body-end" }, suggestionsOf(card, actions, node, outcome), overrideOf(card, actions, node, outcome)),
    outcome,
    sourceOf(card),
  ]);
  return node;
}

/** "Possibly eligible · 3 met · 1 to check", from the extension's result object. */
function verdictLine(card) {
  const result = card.extension?.[ELIGIBILITY_EXTENSION];
  if (!result?.verdict) return null;
  const counts = Object.keys(STATUS)
    .map((status) => [status, (result.criteria ?? []).filter((c) => c.status === status).length])
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${STATUS[status].label.toLowerCase()}`);
  const withOrder = card.extension?.[NEWLY_FAILING_EXTENSION] ? "With this order: " : "";
  return el(
    "p",
    { class: `verdict verdict-${result.verdict}`, dataset: { verdict: result.verdict } },
    withOrder,
    el("strong", { class: "verdict-word" }, VERDICT[result.verdict] ?? result.verdict),
    counts.length ? el("span", { class: "verdict-counts" }, ` · ${counts.join(" · ")}`) : null,
  );
}

/** The markdown detail, with status marks given words and criteria tables folded when long. */
function detailOf(markdown) {
  const fragment = renderMarkdown(markdown);
  for (const row of fragment.querySelectorAll("tbody tr")) {
    const cell = row.cells[0];
    const status = cell ? statusOfMark(cell.textContent) : null;
    if (status) {
      // The service writes each rule as "text (inclusion)" or "text (exclusion)".
      const kind = /\((inclusion|exclusion)\)\s*$/.exec(row.cells[1]?.textContent ?? "")?.[1];
      cell.replaceChildren(statusBadge(status, kind));
      cell.classList.add("status-cell");
    }
  }
  for (const th of fragment.querySelectorAll("th")) {
    if (!th.textContent.trim()) th.append(el("span", { class: "visually-hidden" }, "Status"));
  }
  for (const wrap of [...fragment.querySelectorAll(".md-table-wrap")]) {
    const rows = wrap.querySelectorAll("tbody tr").length;
    const fold = el(
      "details",
      { class: "criteria-fold", open: rows <= OPEN_TABLE_ROWS },
      el("summary", {}, `Criteria and evidence (${rows})`),
    );
    wrap.replaceWith(fold);
    fold.append(wrap);
  }
  return fragment;
}

function linksOf(card) {
  const items = (card.links ?? [])
    .map((link) => {
      const url = safeUrl(link.url);
      if (!url) return null;
      if (link.type === "smart") {
        // A real EHR launches the SMART app (launch + iss) and its token response carries appContext;
        // the demo has no authorization server, so it hands appContext to the app in the address.
        const launch = new URL(url);
        if (link.appContext) launch.searchParams.set("appContext", link.appContext);
        return el(
          "a",
          { href: launch.href, target: "_blank", rel: "noopener", class: "link-smart", dataset: { linkType: "smart" } },
          link.label,
          el("span", { class: "visually-hidden" }, " (opens the app in a new tab)"),
        );
      }
      return el(
        "a",
        { href: url, target: "_blank", rel: "noopener noreferrer", class: "link-absolute", dataset: { linkType: "absolute" } },
        link.label,
        el("span", { "aria-hidden": "true" }, " ↗"),
        el("span", { class: "visually-hidden" }, " (opens in a new tab)"),
      );
    })
    .filter(Boolean);
  return items.length ? el("ul", { class: "card-links" }, items.map((a) => el("li", {}, a))) : null;
}

// --------------------------------------------------------------------------------- suggestions
function suggestionsOf(card, actions, node, outcome) {
  const suggestions = card.suggestions ?? [];
  if (!suggestions.length) return null;
  const preview = el("div", { class: "suggestion-preview" });
  const buttons = suggestions.map((suggestion) =>
    el(
      "button",
      {
        type: "button",
        class: suggestion.isRecommended ? "button primary" : "button",
        dataset: { suggestionUuid: suggestion.uuid ?? "" },
        onclick: async (event) => {
          const single = card.selectionBehavior !== "any";
          for (const button of single ? buttons : [event.currentTarget]) button.disabled = true;
          preview.replaceChildren(...(suggestion.actions ?? []).map(actionPreview));
          if (!card.uuid || !suggestion.uuid) {
            outcome.textContent = `${suggestion.label}: done (this card asks for no feedback).`;
            return;
          }
          outcome.textContent = `${suggestion.label}: recording…`;
          const taken = await actions.accept(card, suggestion);
          node.classList.toggle("card-accepted", taken);
          outcome.textContent = taken
            ? `${suggestion.label}: referral drafted, feedback sent to the service.`
            : `${suggestion.label}: the service did not take the feedback.`;
        },
      },
      suggestion.label,
    ),
  );
  return el("div", { class: "suggestions" }, el("div", { class: "button-row" }, buttons), preview);
}

/** What a suggestion's action would do: its description, the resource in words, and its JSON. */
function actionPreview(action) {
  const resource = action.resource;
  const rows = resource ? resourceRows(resource) : [];
  return el(
    "div",
    { class: "action-preview" },
    el("p", { class: "action-description" }, el("strong", {}, verb(action.type)), " ", action.description ?? ""),
    rows.length ? el("dl", { class: "resource-summary" }, rows.map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])) : null,
    resource
      ? el("details", { class: "resource-json" }, el("summary", {}, `FHIR ${resource.resourceType} (JSON)`), el("pre", {}, JSON.stringify(resource, null, 2)))
      : null,
  );
}

function verb(type) {
  return { create: "Create:", update: "Update:", delete: "Delete:" }[type] ?? `${type}:`;
}

function resourceRows(resource) {
  const texts = (list) => (list ?? []).map((item) => item.text ?? item.display).filter(Boolean).join("; ");
  return [
    ["Resource", resource.resourceType],
    ["Request", resource.code?.text ?? resource.code?.coding?.[0]?.display],
    ["Status", [resource.status, resource.intent].filter(Boolean).join(", ")],
    ["Patient", resource.subject?.reference],
    ["Reason", texts(resource.reasonCode)],
    ["Note", texts(resource.note)],
  ].filter(([, value]) => value);
}

// ------------------------------------------------------------------------------------ override
function overrideOf(card, actions, node, outcome) {
  const reasons = card.overrideReasons ?? [];
  if (!card.uuid) return null;
  const formId = uniqueId("override");
  const toggle = el("button", { type: "button", class: "button subtle", "aria-expanded": "false", "aria-controls": formId }, "Dismiss…");
  const comment = el("textarea", { id: `${formId}-comment`, rows: "2", maxlength: "500" });
  const error = el("p", { class: "form-error", role: "alert" });
  const radios = reasons.map((reason, index) =>
    el(
      "label",
      { class: "radio" },
      el("input", { type: "radio", name: `${formId}-reason`, value: String(index) }),
      " ",
      reason.display ?? reason.code,
    ),
  );
  const form = el(
    "form",
    { id: formId, class: "override-form", hidden: true },
    reasons.length ? el("fieldset", {}, el("legend", {}, "Reason for dismissing"), radios) : null,
    el("label", { for: `${formId}-comment`, class: "field-label" }, "Comment (optional)"),
    comment,
    error,
    el(
      "div",
      { class: "button-row" },
      el("button", { type: "submit", class: "button primary" }, "Dismiss card"),
      el("button", { type: "button", class: "button subtle", onclick: () => show(false) }, "Cancel"),
    ),
  );
  const show = (open) => {
    form.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) (form.querySelector("input") ?? comment).focus();
    else toggle.focus();
  };
  toggle.addEventListener("click", () => show(form.hidden));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = form.querySelector("input[type=radio]:checked");
    const reason = chosen ? reasons[Number(chosen.value)] : null;
    const text = comment.value.trim();
    if (!reason && !text) {
      error.textContent = "Choose a reason or write a comment.";
      return;
    }
    error.textContent = "";
    for (const control of form.elements) control.disabled = true;
    const taken = await actions.override(card, reason, text);
    if (!taken) {
      for (const control of form.elements) control.disabled = false;
      error.textContent = "The service did not take the feedback; try again.";
      return;
    }
    node.classList.add("card-dismissed");
    toggle.hidden = true;
    form.hidden = true;
    outcome.textContent = `Dismissed: ${reason?.display ?? "with a comment"}. Feedback sent to the service.`;
    outcome.focus();
  });
  return el("div", { class: "override" }, toggle, form);
}

function sourceOf(card) {
  const source = card.source ?? {};
  const url = source.url ? safeUrl(source.url) : null;
  const label = url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, source.label) : source.label;
  return el(
    "p",
    { class: "card-source" },
    "Source: ",
    label,
    source.topic?.display ? ` · ${source.topic.display}` : null,
  );
}
