"""Python functions bound to `external` functions of the fhir_mappings CQL libraries, where CQL is the
wrong tool (tables, text search over value-set keywords, dose arithmetic over FHIR Dosage).

Keys are `Library.Function`. Functions marked `@external(context=True)` receive the evaluation
Context first (its terminology is the ValueSetLibrary)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from ..cql import external
from ..cql.models import FhirObject
from ..cql.runtime import Context
from ..cql.values.code import Code, ValueSetRef
from ..fhir.terminology import ValueSetEntry, ValueSetLibrary
from .measures import MEASURE_EXTERNALS
from .medications import MEDICATION_EXTERNALS


@external()
def reference_to(resource: Any) -> str | None:
    """`Type/id` of a FHIR resource (evidence references)."""
    if isinstance(resource, FhirObject) and resource.data.get("id"):
        return f"{resource.type}/{resource.data['id']}"
    return None


# ------------------------------------------------------------------ text keywords (A-DUSE author)
# Not CQL: a value set's `text-keyword` words and scope live in the terminology files, which CQL
# cannot read, and word-start matching over every display of a record is a regular expression.


def _keyword_entry(ctx: Context, valueset: Any) -> tuple[ValueSetLibrary, ValueSetEntry] | None:
    terminology = ctx.terminology
    if not isinstance(terminology, ValueSetLibrary) or not isinstance(valueset, ValueSetRef):
        return None
    entry = terminology.entry(valueset.id)
    return (terminology, entry) if entry is not None else None


def _concept_texts(value: Any) -> list[str]:
    """code.text and every coding display of one CodeableConcept (or a list of them)."""
    concepts = value if isinstance(value, list) else [value]
    texts: list[str] = []
    for c in concepts:
        if isinstance(c, dict):
            if c.get("text"):
                texts.append(str(c["text"]))
            texts.extend(str(x["display"]) for x in c.get("coding") or [] if x.get("display"))
    return texts


@functools.lru_cache(maxsize=512)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    # A keyword must start a word; its end is free so that 'finger' also finds 'fingertip'.
    return re.compile("|".join(r"(?<![a-z0-9])" + re.escape(k.lower()) for k in keywords))


def mentions(texts: list[str], keywords: tuple[str, ...]) -> bool:
    """Whether a keyword starts a word of one of the texts (case-insensitive): 'finger' is found in
    'Fingertip ulcer' but 'digital' is not found in 'predigitalis'.

    >>> mentions(["Ulcer of right index fingertip"], ("finger",))
    True
    >>> mentions(["Skin ulcer"], ("digital", "finger"))
    False
    """
    if not keywords:
        return False
    pattern = _keyword_pattern(keywords)
    return any(pattern.search(t.lower()) for t in texts)


def _coded_in(terminology: ValueSetLibrary, concept: Any, url: str) -> bool:
    codings = concept.get("coding") or [] if isinstance(concept, dict) else []
    ref = ValueSetRef(url)
    return any(terminology.in_valueset(Code(c.get("code"), c.get("system")), ref) for c in codings)


@external(context=True)
def has_keyword(ctx: Context, resource: Any, valueset: Any) -> bool | None:
    """A Condition's or Procedure's code text, code displays or bodySite texts carry a text keyword of
    the value set; with a `text-keyword-scope`, only on a record whose code is in the scope set.
    Null when the value set is unknown."""
    found = _keyword_entry(ctx, valueset)
    if found is None or not isinstance(resource, FhirObject):
        return None
    terminology, entry = found
    if not entry.keywords:
        return False
    data = resource.data
    if entry.keyword_scope and not _coded_in(terminology, data.get("code"), entry.keyword_scope):
        return False
    return mentions(_concept_texts(data.get("code")) + _concept_texts(data.get("bodySite")), entry.keywords)


@external(context=True)
def text_has_keyword(ctx: Context, text: Any, valueset: Any) -> bool | None:
    """Free text (a reason, a note) carries a text keyword of the value set. The keyword scope is not
    applied: free text has no code to scope it by."""
    found = _keyword_entry(ctx, valueset)
    if found is None or not isinstance(text, str):
        return None
    return mentions([text], found[1].keywords)


EXTERNALS: dict[str, Callable[..., Any]] = {
    "Records.ReferenceTo": reference_to,
    **MEASURE_EXTERNALS,
    **MEDICATION_EXTERNALS,
    "Records.TextHasKeyword": text_has_keyword,
    "Conditions.HasKeyword": has_keyword,
    "Procedures.HasKeyword": has_keyword,
}
