"""Reading FHIR R4 JSON: Bundles (collection, searchset, transaction, ...), single resources and NDJSON
(Bulk Data export), grouped by patient. Numbers are read as exact Decimals."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import shapes
from .errors import DataError

log = logging.getLogger(__name__)

# Elements that point at the patient a resource belongs to, by resource type (default: subject).
PATIENT_REFERENCE = {
    "AllergyIntolerance": "patient",
    "Immunization": "patient",
    "ResearchSubject": "individual",
    "Coverage": "beneficiary",
}


@dataclass(frozen=True, slots=True)
class Skipped:
    """A resource left out of the evaluation, and why (reported to the user, never silently)."""

    source: str
    resource: str
    reason: str


@dataclass(slots=True)
class PatientData:
    """One patient's resources, as read."""

    patient_id: str
    resources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def patient(self) -> dict[str, Any] | None:
        return next((r for r in self.resources if r.get("resourceType") == "Patient"), None)


def read_file(path: Path) -> Iterator[dict[str, Any]]:
    """The resources in a JSON or NDJSON file (Bundle entries unwrapped). DataError if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(str(path), f"cannot read ({exc})") from None
    stripped = text.lstrip()
    if path.suffix == ".ndjson" or (
        stripped.startswith("{") and "\n{" in stripped and not _is_json(stripped)
    ):
        yield from _ndjson(text, path)
        return
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}:{exc.lineno}:{exc.colno}", f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise DataError(str(path), TOO_DEEP) from None
    yield from resources_of(doc, str(path))


# Python's json recurses per array or object level: nesting past the interpreter's recursion limit
# (a few kilobytes of brackets) is bad input, not an internal error.
TOO_DEEP = "not valid JSON (nested too deeply)"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    except RecursionError:
        return True  # one document after all: parsing it again names the problem
    return True


def _ndjson(text: str, path: Path) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{number}", f"not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise DataError(f"{path}:{number}", TOO_DEEP) from None
        yield from resources_of(doc, f"{path}:{number}")


def resources_of(doc: Any, source: str) -> Iterator[dict[str, Any]]:
    if not isinstance(doc, dict) or not isinstance(doc.get("resourceType"), str):
        raise DataError(source, "not a FHIR resource (no resourceType)")
    if doc["resourceType"] != "Bundle":
        yield doc
        return
    full_urls: dict[str, str] = {}
    entries = doc.get("entry") or []
    if not isinstance(entries, list):
        raise DataError(source, "Bundle.entry is not a list")
    resources = []
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            resources.append(resource)
            if entry.get("fullUrl") and resource.get("id") and resource.get("resourceType"):
                full_urls[entry["fullUrl"]] = f"{resource['resourceType']}/{resource['id']}"
    for resource in resources:
        # Transaction bundles refer to each other by fullUrl (urn:uuid:...); read them as Type/id.
        ref = _patient_reference(resource)
        if ref in full_urls:
            key = PATIENT_REFERENCE.get(resource["resourceType"], "subject")
            resource = {**resource, key: {**resource[key], "reference": full_urls[ref]}}
        yield resource


def _patient_reference(resource: dict[str, Any]) -> str | None:
    key = PATIENT_REFERENCE.get(str(resource.get("resourceType")), "subject")
    ref = resource.get(key)
    if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
        return str(ref["reference"])
    return None


def patient_id_of(resource: dict[str, Any]) -> str | None:
    if resource.get("resourceType") == "Patient":
        ident = resource.get("id")
        return str(ident) if ident else None
    ref = _patient_reference(resource)
    if ref and ref.startswith("Patient/"):
        return ref[len("Patient/") :]
    return None


def group_by_patient(
    resources: Iterable[tuple[str, dict[str, Any]]],
    skipped: list[Skipped] | None = None,
    validate: bool = False,
) -> dict[str, PatientData]:
    """Group (source, resource) pairs by patient; resources that fail the checks are skipped and
    reported in `skipped` (and logged without patient data)."""
    patients: dict[str, PatientData] = {}
    for source, resource in resources:
        reason = shapes.problem(resource)
        if reason is None and validate:
            from .validation import validate as full_validate

            reason = full_validate(resource)
        name = (
            f"{resource.get('resourceType', '?')}/{resource.get('id', '?')}"
            if isinstance(resource, dict)
            else "?"
        )
        if reason is None:
            pid = patient_id_of(resource)
            if pid is None:
                reason = "belongs to no patient (no Patient reference)"
        if reason is not None:
            if skipped is not None:
                skipped.append(Skipped(source, name, reason))
            # Logs carry no identifiers; the user-facing report (`skipped`) names the resource.
            log.warning("skipped a %s resource from %s: %s", name.split("/")[0], source, reason)
            continue
        assert pid is not None
        patients.setdefault(pid, PatientData(pid)).resources.append(resource)
    return patients


def read_patients(
    paths: Iterable[Path], skipped: list[Skipped] | None = None, validate: bool = False
) -> dict[str, PatientData]:
    pairs = ((str(p), r) for p in paths for r in read_file(p))
    return group_by_patient(pairs, skipped, validate)
