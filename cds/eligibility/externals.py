"""Python functions bound to `external` functions of the fhir_mappings CQL libraries, where CQL is the
wrong tool (tables, text search over value-set keywords, dose arithmetic over FHIR Dosage).

Keys are `Library.Function`. Functions marked `@external(context=True)` receive the evaluation
Context first (its terminology is the ValueSetLibrary)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..cql import external
from ..cql.models import FhirObject


@external()
def reference_to(resource: Any) -> str | None:
    """`Type/id` of a FHIR resource (evidence references)."""
    if isinstance(resource, FhirObject) and resource.data.get("id"):
        return f"{resource.type}/{resource.data['id']}"
    return None


EXTERNALS: dict[str, Callable[..., Any]] = {
    "Records.ReferenceTo": reference_to,
}
