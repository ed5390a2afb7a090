"""In-memory data source and terminology: a list of FHIR resources and a dict of value sets. Used by
tests, `trialcds cql --data` and anywhere a whole record already sits in memory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .models import FhirObject, fhir_model
from .operators.conversion import to_system
from .runtime import RetrieveRequest, Terminology
from .values.code import Code, CodeSystemRef, Concept, ValueSetRef


def codes_of(value: Any) -> list[Code]:
    """The codes in a code-path value: Coding, CodeableConcept, code string or lists of them."""
    value = to_system(value)
    if value is None:
        return []
    if isinstance(value, Code):
        return [value]
    if isinstance(value, Concept):
        return list(value.codes)
    if isinstance(value, str):
        return [Code(value)]
    if isinstance(value, list):
        return [c for v in value for c in codes_of(v)]
    return []


def path_value(resource: FhirObject, path: str) -> Any:
    """Follow a dotted element path (`code`, `medication.code`) through a FHIR object."""
    model = fhir_model()
    values: list[Any] = [resource]
    for part in path.split("."):
        nxt: list[Any] = []
        for v in values:
            if isinstance(v, FhirObject):
                getter = model.getter(v.type, part)
                got = getter(v.data) if getter else None
                if isinstance(got, list):
                    nxt.extend(got)
                elif got is not None:
                    nxt.append(got)
        values = nxt
    return values


def matches(resource: FhirObject, request: RetrieveRequest, terminology: Terminology) -> bool:
    """Does the resource's code path hold a code the retrieve asks for?"""
    if request.code_path is None:
        return True
    codes = codes_of(path_value(resource, request.code_path))
    if request.valueset is not None:
        return any(terminology.in_valueset(c, request.valueset) for c in codes)
    wanted = request.codes or ()
    return any(c.code == w.code and (w.system is None or c.system == w.system) for c in codes for w in wanted)


class InMemoryDataSource:
    """Resources grouped by type; a retrieve scans only resources of its type."""

    def __init__(self, resources: Iterable[Mapping[str, Any]]) -> None:
        self.by_type: dict[str, list[FhirObject]] = defaultdict(list)
        for r in resources:
            self.by_type[str(r["resourceType"])].append(FhirObject(str(r["resourceType"]), dict(r)))

    def retrieve(self, request: RetrieveRequest, terminology: Terminology) -> Sequence[FhirObject]:
        candidates = self.by_type.get(request.type, ())
        if request.code_path is None:
            return list(candidates)
        return [r for r in candidates if matches(r, request, terminology)]


class InMemoryTerminology:
    """Value sets as {canonical url: [Code, ...]}; membership by code and system."""

    def __init__(self, valuesets: Mapping[str, Iterable[Code]] | None = None) -> None:
        self.index: dict[str, set[tuple[str | None, str | None]]] = {
            url: {(c.system, c.code) for c in codes} for url, codes in (valuesets or {}).items()
        }
        self.codes = {url: list(codes) for url, codes in (valuesets or {}).items()}

    def in_valueset(self, code: Code, valueset: ValueSetRef) -> bool | None:
        members = self.index.get(valueset.id)
        if members is None:
            return None
        return (code.system, code.code) in members

    def expand(self, valueset: ValueSetRef) -> Sequence[Code]:
        return self.codes.get(valueset.id, [])

    def in_codesystem(self, code: Code, codesystem: CodeSystemRef) -> bool | None:
        return code.system == codesystem.id
