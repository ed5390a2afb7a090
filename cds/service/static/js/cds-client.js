// The CDS Client side of CDS Hooks 2.0: discovery, prefetch (templates filled and executed against
// the FHIR server), hook calls and feedback, as an EHR would do them.

import { outcomeFor } from "./fhir-client.js";

// Prefetch tokens for the current user, by the resource type of context.userId (CDS Hooks 2.0).
const USER_TOKENS = {
  userPractitionerId: "Practitioner",
  userPractitionerRoleId: "PractitionerRole",
  userPatientId: "Patient",
  userRelatedPersonId: "RelatedPerson",
};

export class CdsClient {
  constructor(base = location.origin) {
    this.base = String(base).replace(/\/+$/, "");
    this.discovery = null;
  }

  /** The services of `GET /cds-services`, fetched once. */
  async services() {
    if (!this.discovery) {
      this.discovery = this.#json("GET", "/cds-services").then(({ status, body }) => {
        if (status !== 200 || !Array.isArray(body?.services)) throw new Error(`discovery answered ${status}`);
        return body.services;
      });
      this.discovery.catch(() => (this.discovery = null));
    }
    return this.discovery;
  }

  /** The first service answering `hook`. */
  async serviceFor(hook) {
    const service = (await this.services()).find((s) => s.hook === hook);
    if (!service) throw new Error(`the CDS service offers nothing for ${hook}`);
    return service;
  }

  /** POST a hook request; answers {status, body, ms} whatever the status. */
  async call(serviceId, request) {
    const started = performance.now();
    const answer = await this.#json("POST", `/cds-services/${encodeURIComponent(serviceId)}`, request);
    return { ...answer, ms: Math.round(performance.now() - started) };
  }

  /** POST feedback items; true when the service took them. */
  async feedback(serviceId, items) {
    const path = `/cds-services/${encodeURIComponent(serviceId)}/feedback`;
    const { status } = await this.#json("POST", path, { feedback: items });
    return status === 200;
  }

  async #json(method, path, payload) {
    const init = { method, headers: { Accept: "application/json" } };
    if (payload !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const response = await fetch(this.base + path, init);
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: response.status, body };
  }
}

/** The template with its tokens replaced from `context`, or null if a token has no value. */
export function fillTemplate(template, context) {
  let missing = false;
  const filled = template.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_, token) => {
    const value = tokenValue(token, context);
    if (value === null) missing = true;
    return value === null ? "" : encodeURIComponent(value);
  });
  return missing ? null : filled;
}

function tokenValue(token, context) {
  if (token.startsWith("context.")) {
    // Only root-level primitive context fields are tokens.
    const value = context[token.slice("context.".length)];
    return typeof value === "string" || typeof value === "number" ? String(value) : null;
  }
  const type = USER_TOKENS[token];
  const [userType, userId] = String(context.userId ?? "").split("/");
  return type && userType === type && userId ? userId : null;
}

/**
 * Execute a service's prefetch templates against the FHIR server.
 * Per key: a read the server does not have -> null; a search -> one Bundle of every page; a failed
 * query -> an OperationOutcome; a template whose tokens cannot be filled -> the key is left out.
 * Returns {prefetch, report}, the report being per key what was sent (for the exchange view).
 */
export async function runPrefetch(fhir, templates, context) {
  const prefetch = {};
  const report = {};
  await Promise.all(
    Object.entries(templates ?? {}).map(async ([key, template]) => {
      const query = fillTemplate(template, context);
      if (query === null) {
        report[key] = "left out (a token has no value)";
        return;
      }
      try {
        if (query.includes("?")) {
          const { bundle, pages } = await fhir.searchAll(query);
          prefetch[key] = bundle;
          report[key] = `${bundle.total} resource${bundle.total === 1 ? "" : "s"} in ${pages} page${pages === 1 ? "" : "s"}`;
        } else {
          prefetch[key] = await fhir.read(query);
          report[key] = prefetch[key] ? "1 resource" : "null (not found)";
        }
      } catch (error) {
        prefetch[key] = outcomeFor(error);
        report[key] = `OperationOutcome (${error.message})`;
      }
    }),
  );
  return { prefetch, report };
}

/** A feedback item for an accepted suggestion. */
export function acceptedFeedback(card, suggestion) {
  return {
    card: card.uuid,
    outcome: "accepted",
    acceptedSuggestions: [{ id: suggestion.uuid }],
    outcomeTimestamp: new Date().toISOString(),
  };
}

/** A feedback item for an overridden card, with the chosen reason and an optional comment. */
export function overriddenFeedback(card, reason, comment) {
  const overrideReason = {};
  if (reason) overrideReason.reason = reason;
  if (comment) overrideReason.userComment = comment;
  return {
    card: card.uuid,
    outcome: "overridden",
    overrideReason,
    outcomeTimestamp: new Date().toISOString(),
  };
}
