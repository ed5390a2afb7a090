"""PatientRecord: one patient's resources, indexed for retrieves (the engine's DataSource).

A retrieve scans only resources of its type; a code-filtered retrieve reads an index of that type's
codes at the code path (built on first use), so `[Observation: "Hemoglobin"]` touches only matching
observations however many others the record holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ..cql.memory import codes_of, path_value
from ..cql.models import FhirObject
from ..cql.runtime import RetrieveRequest, Terminology
from ..cql.values.code import Code
from .terminology import UNDOTTED, ValueSetLibrary, normalize

CodeKey = tuple[str | None, str]


def _codes(resource: FhirObject, path: str) -> list[Code]:
    return codes_of(path_value(resource, path))


def _raw_keys(value: Any) -> list[CodeKey]:
    """Index keys straight from the JSON of a CodeableConcept, Coding, code, or a list of them: the
    common case of a retrieve's code path, read without building FHIR objects or Codes."""
    if isinstance(value, str):
        return [normalize(None, value)]
    if isinstance(value, list):
        return [k for v in value for k in _raw_keys(v)]
    if not isinstance(value, dict):
        return []
    if "coding" in value:
        return [
            normalize(c.get("system"), c.get("code")) for c in value["coding"] or () if isinstance(c, dict)
        ]
    if "code" in value:
        return [normalize(value.get("system"), value.get("code"))]
    return []


class PatientRecord:
    """A patient's resources as FHIR objects, by type, with lazily built code indexes."""

    def __init__(self, resources: Iterable[dict[str, Any]]) -> None:
        self.by_type: dict[str, list[FhirObject]] = defaultdict(list)
        for r in resources:
            rtype = str(r["resourceType"])
            self.by_type[rtype].append(FhirObject(rtype, r))
        patients = self.by_type.get("Patient", [])
        self.patient: FhirObject | None = patients[0] if patients else None
        self._indexes: dict[tuple[str, str], dict[CodeKey, list[FhirObject]]] = {}

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_type.values())

    def _index(self, rtype: str, path: str) -> dict[CodeKey, list[FhirObject]]:
        key = (rtype, path)
        index = self._indexes.get(key)
        if index is None:
            index = defaultdict(list)
            dotted = "." in path
            for resource in self.by_type.get(rtype, ()):
                raw = resource.data.get(path) if not dotted else None
                if type(raw) is dict:
                    # The usual CodeableConcept of one coding, keyed as _raw_keys would key it.
                    coding = raw.get("coding")
                    if type(coding) is list and len(coding) == 1 and type(coding[0]) is dict:
                        system, code = coding[0].get("system"), coding[0].get("code")
                        if type(code) is str and system not in UNDOTTED:
                            index[(system, code.strip())].append(resource)
                            continue
                # A choice element (medication[x]) has no key of its own name: read it through the model.
                keys = (
                    _raw_keys(raw)
                    if raw is not None
                    else [normalize(code.system, code.code) for code in _codes(resource, path)]
                )
                if len(keys) == 1:  # the usual single coding
                    index[keys[0]].append(resource)
                else:
                    for k in dict.fromkeys(keys):  # each key once, in order
                        index[k].append(resource)
            self._indexes[key] = index
        return index

    def retrieve(self, request: RetrieveRequest, terminology: Terminology) -> Sequence[FhirObject]:
        resources = self.by_type.get(request.type)
        if not resources:
            return ()
        if request.code_path is None:
            return resources
        index = self._index(request.type, request.code_path)
        # The resources of each matching code, each list in record order without repeats.
        lists: list[list[FhirObject]] = []
        if request.valueset is not None:
            vs = request.valueset
            # The index keys are normalized codes: a value set library tests them without a Code,
            # the answers it already has read straight from its table.
            keyed = getattr(terminology, "key_in_valueset", None)
            known = terminology.members(vs) if isinstance(terminology, ValueSetLibrary) else None
            for key, found in index.items():
                member = known.get(key) if known is not None else None
                if member is None:
                    member = (
                        keyed(key, vs)
                        if keyed is not None
                        else terminology.in_valueset(Code(key[1], key[0]), vs)
                    )
                if member:
                    lists.append(found)
        else:
            wanted = request.codes or ()
            for w in wanted:
                system, code = normalize(w.system, w.code)
                if w.system is None:
                    for (_system, c), found in index.items():
                        if c == code:
                            lists.append(found)
                else:
                    lists.append(index.get((system, code), []))
        lists = [found for found in lists if found]
        if len(lists) == 1:
            return list(lists[0])  # one code's resources: already in record order, once each
        matched = [r for found in lists for r in found]
        if len(matched) <= 1:
            return matched
        # A resource with two matching codes appears once, in record order.
        ids = {id(r) for r in matched}
        return [r for r in resources if id(r) in ids]
