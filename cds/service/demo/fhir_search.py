"""Reading a FHIR search request against the demo patients: which parameters the facade understands,
which resources match, and which page to answer. Anything it does not understand is refused with a
reason rather than ignored, so a client never mistakes a half-applied search for the full answer."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.resource import Resource as FhirResourceModel

from .bundles import MAX_PAGE_SIZE, Page, Resource, patient_id_from, patient_parameters
from .patients import DemoPatients

PAGING = ("_count", "_offset")
# Accepted and ignored: the facade speaks JSON only, which is what these ask for.
_IGNORED = frozenset({"_format"})
_JSON_FORMATS = frozenset({"json", "application/json", "application/fhir+json"})
_TYPE_NAME = re.compile(r"^[A-Z][A-Za-z]{1,63}$")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


class FacadeError(Exception):
    """A request the facade answers with an OperationOutcome: HTTP status, issue code, diagnostics."""

    def __init__(self, status: int, code: str, diagnostics: str) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics


@dataclass(frozen=True, slots=True)
class SearchResult:
    criteria: tuple[tuple[str, str], ...]
    matches: tuple[Resource, ...]
    page: Page


@functools.cache
def is_resource_type(name: str) -> bool:
    """
    >>> is_resource_type("Observation"), is_resource_type("HumanName"), is_resource_type("Nope")
    (True, False, False)
    """
    if not _TYPE_NAME.match(name):
        return False
    try:
        model = get_fhir_model_class(name)
    except ValueError:
        return False
    return issubclass(model, FhirResourceModel)


def require_resource_type(name: str) -> None:
    if not is_resource_type(name):
        raise FacadeError(404, "not-supported", f"unknown resource type {name!r}")


def search(patients: DemoPatients, resource_type: str, params: Sequence[tuple[str, str]]) -> SearchResult:
    require_resource_type(resource_type)
    page = read_page(params)
    criteria = tuple((name, value) for name, value in params if name not in PAGING and name not in _IGNORED)
    for name, value in params:
        if name == "_format" and value not in _JSON_FORMATS:
            raise FacadeError(406, "not-supported", "the demo FHIR server answers in JSON only")
    if resource_type == "Patient":
        return SearchResult(criteria, _patients(patients, criteria), page)
    allowed = patient_parameters(resource_type)
    wanted: set[str] | None = None
    for name, value in criteria:
        if name not in allowed:
            raise FacadeError(
                400,
                "not-supported",
                f"{resource_type} is searched by {' or '.join(allowed)} here, not {name}",
            )
        ids = {patient_id_from(v) for v in value.split(",") if v}
        wanted = ids if wanted is None else wanted & ids
    if wanted is None:
        raise FacadeError(400, "not-supported", f"search {resource_type} by patient ({' or '.join(allowed)})")
    for patient_id in sorted(wanted):
        if patients.patient(patient_id) is None:
            raise FacadeError(404, "not-found", f"Patient/{patient_id} is not known")
    matches = tuple(r for pid in sorted(wanted) for r in patients.resources(pid, resource_type))
    return SearchResult(criteria, matches, page)


def _patients(patients: DemoPatients, criteria: Sequence[tuple[str, str]]) -> tuple[Resource, ...]:
    wanted: set[str] | None = None
    for name, value in criteria:
        if name != "_id":
            raise FacadeError(400, "not-supported", f"Patient is searched by _id here, not {name}")
        ids = {v for v in value.split(",") if v}
        wanted = ids if wanted is None else wanted & ids
    chosen = patients.ids() if wanted is None else sorted(wanted)
    return tuple(p for pid in chosen if (p := patients.patient(pid)) is not None)


def read_page(params: Sequence[tuple[str, str]]) -> Page:
    """`_count` (0 to 1000; 0 asks for the total only) and `_offset` (0 or more).

    >>> read_page([("_count", "5"), ("_offset", "10")])
    Page(count=5, offset=10)
    """
    values = dict(params)
    count, offset = Page().count, 0
    if "_count" in values:
        count = _whole_number("_count", values["_count"])
        count = min(count, MAX_PAGE_SIZE)
    if "_offset" in values:
        offset = _whole_number("_offset", values["_offset"])
    return Page(count, offset)


def _whole_number(name: str, text: str) -> int:
    if not _WHOLE_NUMBER.fullmatch(text):
        raise FacadeError(400, "invalid", f"{name} must be a whole number, not {text!r}")
    return int(text)
