"""Value sets from FHIR ValueSet JSON (fhir_mappings/valuesets/), with site ConceptMaps.

Membership is by the expansion's explicit codes and by the compose's `is-a` filters, which this
engine reads as code prefixes for ICD-10-CM and ATC (`C34` covers `C34.1`, `C341`). ICD-10-CM codes
match with or without their dot. A ConceptMap maps a site's local codes onto ours before matching.
The text keywords and ingredient names the ValueSets carry as extensions are exposed for the
mapping functions that fall back to text (CRITERIA.md general rule 7).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cql.values.code import Code, CodeSystemRef, ValueSetRef
from .errors import DataError

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ATC = "http://www.whocc.no/atc"
KEYWORD_EXT = "https://trialcds.org/fhir/StructureDefinition/text-keyword"
KEYWORD_SCOPE_EXT = "https://trialcds.org/fhir/StructureDefinition/text-keyword-scope"
INGREDIENT_EXT = "https://trialcds.org/fhir/StructureDefinition/ingredient-name"
# Systems whose codes compare without dots and case (ICD-10-CM "M34.0" == "M340").
UNDOTTED = frozenset((ICD10CM, "http://hl7.org/fhir/sid/icd-10", ATC))


def normalize(system: str | None, code: str | None) -> tuple[str | None, str]:
    """The key a code is matched by: ICD-10-CM and ATC without dots, upper case."""
    text = (code or "").strip()
    if system in UNDOTTED:
        text = text.replace(".", "").upper()
    return system, text


@dataclass(slots=True)
class ValueSetEntry:
    url: str
    id: str
    title: str
    codes: set[tuple[str | None, str]] = field(default_factory=set)
    prefixes: list[tuple[str, str]] = field(default_factory=list)
    keywords: tuple[str, ...] = ()
    keyword_scope: str | None = None
    ingredient_names: tuple[str, ...] = ()
    expansion: list[Code] = field(default_factory=list)

    def contains(self, system: str | None, code: str) -> bool:
        if (system, code) in self.codes:
            return True
        return any(system == s and code.startswith(p) for s, p in self.prefixes)


class ValueSetLibrary:
    """The terminology provider of the engine (cds.cql.runtime.Terminology)."""

    def __init__(self, entries: Iterable[ValueSetEntry], concept_maps: Iterable[dict[str, Any]] = ()) -> None:
        self.by_url: dict[str, ValueSetEntry] = {}
        for e in entries:
            self.by_url[e.url] = e
            self.by_url.setdefault(e.id, e)
        self.translations: dict[tuple[str | None, str], list[tuple[str | None, str]]] = {}
        for cm in concept_maps:
            self._add_concept_map(cm)
        # Per value set URL: normalized code -> member or not, as asked.
        self._cache: dict[str, dict[tuple[str | None, str], bool]] = {}

    # ------------------------------------------------------------------------ loading
    @classmethod
    def load(cls, valueset_dir: Path, conceptmap_dir: Path | None = None) -> ValueSetLibrary:
        entries = [parse_valueset(_read(p), str(p)) for p in sorted(valueset_dir.glob("*.json"))]
        maps = [_read(p) for p in sorted(conceptmap_dir.glob("*.json"))] if conceptmap_dir else []
        return cls(entries, maps)

    def _add_concept_map(self, cm: dict[str, Any]) -> None:
        for group in cm.get("group", []):
            source, target = group.get("source"), group.get("target")
            for element in group.get("element", []):
                key = normalize(source, element.get("code"))
                for t in element.get("target", []):
                    if t.get("equivalence") in ("unmatched", "disjoint"):
                        continue
                    self.translations.setdefault(key, []).append(normalize(target, t.get("code")))

    # ------------------------------------------------------------------------ engine protocol
    def in_valueset(self, code: Code, valueset: ValueSetRef) -> bool | None:
        return self.key_in_valueset(normalize(code.system, code.code), valueset)

    def key_in_valueset(self, normalized: tuple[str | None, str], valueset: ValueSetRef) -> bool | None:
        """`in_valueset` for a code already normalized (the keys of a record's code index)."""
        members = self.members(valueset)
        if members is None:
            return None
        found = members.get(normalized)
        return self._member(valueset, normalized) if found is None else found

    def members(self, valueset: ValueSetRef) -> dict[tuple[str | None, str], bool] | None:
        """The answers of key_in_valueset so far for this value set (read before asking it), or None
        for an unknown value set."""
        entry = self.by_url.get(valueset.id)
        if entry is None:
            return None
        found = self._cache.get(entry.url)
        if found is None:
            found = self._cache[entry.url] = {}
        return found

    def _member(self, valueset: ValueSetRef, normalized: tuple[str | None, str]) -> bool:
        entry = self.by_url[valueset.id]
        system, text = normalized
        found = entry.contains(system, text) or any(
            entry.contains(s, c) for s, c in self.translations.get((system, text), ())
        )
        self._cache[entry.url][normalized] = found
        return found

    def expand(self, valueset: ValueSetRef) -> Sequence[Code]:
        entry = self.by_url.get(valueset.id)
        return entry.expansion if entry else ()

    def in_codesystem(self, code: Code, codesystem: CodeSystemRef) -> bool | None:
        return code.system == codesystem.id

    # ------------------------------------------------------------------------ extras for mappings
    def entry(self, url_or_id: str) -> ValueSetEntry | None:
        return self.by_url.get(url_or_id) or self.by_url.get(url_or_id.rsplit("/", 1)[-1])

    def explicit_keys(self, url: str) -> set[tuple[str | None, str]] | None:
        """The explicit (system, code) keys of a value set without filters, for index lookups."""
        entry = self.by_url.get(url)
        if entry is None or entry.prefixes or self.translations:
            return None
        return entry.codes


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(str(path), f"not readable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(str(path), "not a FHIR resource")
    return data


def parse_valueset(vs: dict[str, Any], source: str) -> ValueSetEntry:
    if vs.get("resourceType") != "ValueSet" or not vs.get("url"):
        raise DataError(source, "not a ValueSet with a url")
    entry = ValueSetEntry(
        url=vs["url"], id=vs.get("id", vs["url"].rsplit("/", 1)[-1]), title=vs.get("title", "")
    )
    for include in vs.get("compose", {}).get("include", []):
        system = include.get("system")
        for concept in include.get("concept", []):
            entry.codes.add(normalize(system, concept.get("code")))
        for flt in include.get("filter", []):
            if flt.get("op") in ("is-a", "descendent-of") and system:
                entry.prefixes.append((system, normalize(system, flt.get("value"))[1]))
    for c in vs.get("expansion", {}).get("contains", []):
        entry.codes.add(normalize(c.get("system"), c.get("code")))
        entry.expansion.append(Code(c.get("code"), c.get("system"), c.get("version"), c.get("display")))
    extensions = vs.get("extension", [])
    entry.keywords = tuple(e["valueString"].lower() for e in extensions if e.get("url") == KEYWORD_EXT)
    entry.ingredient_names = tuple(
        e["valueString"].lower() for e in extensions if e.get("url") == INGREDIENT_EXT
    )
    scope = [e.get("valueCanonical") for e in extensions if e.get("url") == KEYWORD_SCOPE_EXT]
    entry.keyword_scope = scope[0] if scope else None
    return entry
