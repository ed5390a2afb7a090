// Reading a FHIR R4 server from the browser: reads, and searches that follow every `next` page into
// one searchset Bundle. Answers are cached per query until `forget()`, so the chart view and the
// prefetch of a hook ask the server once for the same data.

const MAX_PAGES = 50;
const ACCEPT = { Accept: "application/fhir+json, application/json" };

export class FhirError extends Error {
  constructor(message, status, outcome) {
    super(message);
    this.status = status;
    this.outcome = outcome; // the server's OperationOutcome, when it sent one
  }
}

export class FhirClient {
  constructor(base) {
    this.base = String(base).replace(/\/+$/, "");
    this.cache = new Map();
    this.requests = 0;
  }

  forget() {
    this.cache.clear();
  }

  /** A read (`Patient/123`): the resource, or null when the server has no such resource. */
  read(path) {
    return this.#cached(`read ${path}`, async () => {
      try {
        return await this.#get(`${this.base}/${path}`);
      } catch (error) {
        if (error instanceof FhirError && (error.status === 404 || error.status === 410)) return null;
        throw error;
      }
    });
  }

  /** A search (`Condition?patient=123`): every page, as one searchset Bundle; and the page count. */
  searchAll(query) {
    return this.#cached(`search ${query}`, async () => {
      const entries = [];
      let url = `${this.base}/${query}`;
      let pages = 0;
      while (url) {
        if (pages === MAX_PAGES) throw new FhirError(`more than ${MAX_PAGES} pages for ${query}`, 0);
        const bundle = await this.#get(url);
        pages += 1;
        entries.push(...(bundle.entry ?? []).filter((entry) => entry.resource));
        url = nextLink(bundle);
        if (url && new URL(url).origin !== new URL(this.base).origin) {
          throw new FhirError("a next page points to another server", 0);
        }
      }
      const bundle = { resourceType: "Bundle", type: "searchset", total: entries.length };
      if (entries.length) bundle.entry = entries;
      return { bundle, pages };
    });
  }

  /** The resources a search finds. */
  async resources(query) {
    const { bundle } = await this.searchAll(query);
    return (bundle.entry ?? []).map((entry) => entry.resource);
  }

  #cached(key, load) {
    if (!this.cache.has(key)) {
      const pending = load();
      // A failed answer is not kept: the next attempt asks the server again.
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return this.cache.get(key);
  }

  async #get(url) {
    this.requests += 1;
    let response;
    try {
      response = await fetch(url, { headers: ACCEPT });
    } catch (error) {
      throw new FhirError(`cannot reach the FHIR server (${error.message})`, 0);
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const outcome = body?.resourceType === "OperationOutcome" ? body : undefined;
      throw new FhirError(`the FHIR server answered ${response.status}`, response.status, outcome);
    }
    if (!body || typeof body !== "object") throw new FhirError("the FHIR server answered without JSON", 0);
    return body;
  }
}

function nextLink(bundle) {
  return (bundle.link ?? []).find((link) => link.relation === "next")?.url ?? null;
}

/** An OperationOutcome for an error that came without one. */
export function outcomeFor(error) {
  return (
    error.outcome ?? {
      resourceType: "OperationOutcome",
      issue: [{ severity: "error", code: "exception", diagnostics: error.message }],
    }
  );
}
