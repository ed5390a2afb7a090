"""Prefetch: the templates a service asks for, and what a hook request's prefetch gives.

Templates are generated from the protocols' data requirements (the resource types their retrieves
read): a read of the patient and one type-level search per other type, only the tokens and query
forms CDS Hooks 2.0 allows. Type-level searches rather than code-filtered ones: a site's local codes
reach our value sets through a ConceptMap, which a server-side code filter would miss.

Per key (CDS Hooks 2.0 "Prefetch"): absent -> fetch from fhirServer; `null` -> the client knows
there is no data (not fetched again); an OperationOutcome -> the client's fetch failed (fetch it
ourselves); a Bundle with a `next` link -> the remaining pages are fetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .reader import PATIENT_REFERENCE

PATIENT_TOKEN = "{{context.patientId}}"


def template_key(resource_type: str) -> str:
    """`MedicationStatement` -> `medicationStatement` (the prefetch key for a type)."""
    return resource_type[:1].lower() + resource_type[1:]


def templates(resource_types: Iterable[str]) -> dict[str, str]:
    out = {"patient": f"Patient/{PATIENT_TOKEN}"}
    for rtype in sorted(set(resource_types) - {"Patient"}):
        param = PATIENT_REFERENCE.get(rtype, "subject")
        search_param = "patient" if param in ("subject", "patient") else param
        out[template_key(rtype)] = f"{rtype}?{search_param}={PATIENT_TOKEN}"
    return out


def fill(template: str, context: Mapping[str, Any]) -> str:
    """Replace the context tokens of a template with the request's values."""
    text = template
    for name, value in context.items():
        if isinstance(value, str):
            text = text.replace("{{context." + name + "}}", value)
    return text


@dataclass(slots=True)
class PrefetchState:
    """What the prefetch gave, and what must still be fetched (key -> query, or key -> next page)."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    to_fetch: dict[str, str] = field(default_factory=dict)
    next_pages: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # key -> why the client's fetch failed


def read_prefetch(
    prefetch: Mapping[str, Any] | None, wanted: Mapping[str, str], context: Mapping[str, Any]
) -> PrefetchState:
    """Split the wanted templates into data we were given and queries still to run."""
    state = PrefetchState()
    given = prefetch or {}
    for key, template in wanted.items():
        if key not in given:
            state.to_fetch[key] = fill(template, context)
            continue
        value = given[key]
        if value is None:
            continue  # the client has no data for this key
        if not isinstance(value, dict):
            state.failed[key] = "not a FHIR resource"
            state.to_fetch[key] = fill(template, context)
            continue
        rtype = value.get("resourceType")
        if rtype == "OperationOutcome":
            state.failed[key] = "the client's fetch failed (OperationOutcome)"
            state.to_fetch[key] = fill(template, context)
        elif rtype == "Bundle":
            read = _bundle(value)
            if read is None:
                # Half a Bundle is worse than none: its pages could not be followed. Fetch it again.
                state.failed[key] = "not a valid Bundle"
                state.to_fetch[key] = fill(template, context)
                continue
            resources, next_link = read
            state.resources.extend(resources)
            if next_link:
                state.next_pages[key] = next_link
        else:
            state.resources.append(value)
    return state


def _bundle(bundle: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str | None] | None:
    """A Bundle's resources (OperationOutcomes left out) and its next page; None when `entry` or
    `link` do not have the shape FHIR gives them. Unusable single entries are skipped."""
    # An absent (or null) entry is an empty search result.
    entries = bundle.get("entry") if bundle.get("entry") is not None else []
    links = bundle.get("link") if bundle.get("link") is not None else []
    if not isinstance(entries, list) or not isinstance(links, list):
        return None
    if not all(isinstance(link, dict) and isinstance(link.get("url", ""), str) for link in links):
        return None
    resources = [
        resource
        for entry in entries
        if isinstance(entry, dict)
        and isinstance(resource := entry.get("resource"), dict)
        and resource.get("resourceType") != "OperationOutcome"
    ]
    next_link = next((link.get("url") for link in links if link.get("relation") == "next"), None)
    return resources, next_link or None
