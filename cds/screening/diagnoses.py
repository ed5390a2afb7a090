"""Which patients are candidates for a protocol: those with a Condition coded from one of the
protocol's screening diagnosis value sets (protocol.yaml `screening.diagnoses`).

The same rule serves a FHIR server (as `Condition?code=...` searches) and a Bulk Data export (matched
here), so both sources find the same candidates. A code counts when it is listed in the value set's
expansion, or when it is a site's local code that a ConceptMap maps onto such a code. Value sets are
searched by their explicit codes only: a server cannot search an ICD-10-CM prefix filter, and a
diagnosis recorded as free text alone is not found (the protocol's CQL would still read it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..eligibility.protocol import ProtocolSpec
from ..fhir.terminology import ValueSetLibrary, normalize
from .errors import ScreeningError

CodeKey = tuple[str | None, str]

# Codes per search: keeps the query string far below the 8 KB many servers accept.
CODES_PER_QUERY = 40


@dataclass(frozen=True, slots=True)
class CandidateRule:
    """What makes a patient a candidate for one protocol; no value sets means every patient."""

    protocol: str
    valuesets: tuple[str, ...]
    search_codes: tuple[tuple[str, str], ...]  # (system, code) as a server stores them
    keys: frozenset[CodeKey]  # the same codes, normalized, for matching records here

    @property
    def everyone(self) -> bool:
        return not self.valuesets

    def matches(self, condition: Mapping[str, Any]) -> bool:
        return any(normalize(system, code) in self.keys for system, code in codings(condition))


def candidate_rules(specs: Iterable[ProtocolSpec], terminology: ValueSetLibrary) -> tuple[CandidateRule, ...]:
    """One rule per protocol; ScreeningError names a screening value set that does not exist."""
    rules = []
    for spec in specs:
        # Both spellings are searched (a server's token search is exact: M34.0 is not M340).
        codes: dict[tuple[str, str], None] = {}
        for vs_id in spec.screening_diagnoses:
            entry = terminology.entry(vs_id)
            if entry is None:
                raise ScreeningError(
                    f"{spec.folder / 'protocol.yaml'}: screening diagnosis value set {vs_id} does not exist"
                )
            codes.update(dict.fromkeys((c.system, c.code) for c in entry.expansion if c.system and c.code))
            for (system, local), targets in terminology.translations.items():
                if system and any(entry.contains(s, c) for s, c in targets):
                    codes[(system, local)] = None
        keys = frozenset(normalize(system, code) for system, code in codes)
        rules.append(CandidateRule(spec.id, spec.screening_diagnoses, tuple(codes), keys))
    return tuple(rules)


def search_queries(rule: CandidateRule, chunk: int = CODES_PER_QUERY) -> list[str]:
    """The Condition searches that find the rule's candidates (codes OR-ed, a few dozen a query).

    >>> rule = CandidateRule("t", ("dx-x",), (("http://snomed.info/sct", "1"), ("urn:a", "b")), frozenset())
    >>> search_queries(rule)
    ['Condition?code=http://snomed.info/sct|1,urn:a|b&_elements=subject,code']
    """
    codes = [f"{system}|{code}" for system, code in rule.search_codes]
    return [
        f"Condition?code={','.join(codes[i : i + chunk])}&_elements=subject,code"
        for i in range(0, len(codes), chunk)
    ]


def codings(resource: Mapping[str, Any]) -> Sequence[tuple[str | None, str]]:
    """The (system, code) pairs of a resource's `code`."""
    concept = resource.get("code")
    if not isinstance(concept, dict):
        return ()
    return [
        (c.get("system"), str(c["code"]))
        for c in concept.get("coding") or ()
        if isinstance(c, dict) and c.get("code")
    ]


def subject_patient(resource: Mapping[str, Any]) -> str | None:
    """The id of the Patient a Condition is about (relative or absolute reference).

    >>> subject_patient({"subject": {"reference": "http://ehr/fhir/Patient/p1/_history/2"}})
    'p1'
    >>> subject_patient({"subject": {"reference": "Group/g"}}) is None
    True
    """
    subject = resource.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    if not isinstance(reference, str):
        return None
    parts = reference.split("/")
    if "_history" in parts:
        parts = parts[: parts.index("_history")]
    if len(parts) < 2 or parts[-2] != "Patient" or not parts[-1]:
        return None
    return parts[-1]
