"""Full FHIR model validation with fhir.resources, opt-in (see shapes.py for why it is not the default).

fhir.resources' R4B package reads R4 JSON for the resources this product uses: R4B changed none of
Patient, Condition, Observation, MedicationStatement, MedicationRequest, Procedure, Immunization and
AllergyIntolerance, it added resources (e.g. SubscriptionStatus, Citation) and reworked medicinal
product definitions. R4-only resource types that R4B removed (MedicinalProduct, ...) are not rejected
here: they are reported as "not validated" and kept, since the engine does not read them.
"""

from __future__ import annotations

import importlib
from typing import Any

from pydantic import ValidationError


def _model(resource_type: str) -> Any | None:
    try:
        module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    except ImportError:
        return None
    return getattr(module, resource_type, None)


def validate(resource: dict[str, Any]) -> str | None:
    """None when the resource validates (or its type is unknown to R4B), else the first problem."""
    model = _model(str(resource.get("resourceType", "")))
    if model is None:
        return None
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg"))
    return None
