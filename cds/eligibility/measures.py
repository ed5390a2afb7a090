"""Python bindings of the measurement mappings' `external` functions (fhir_mappings/Labs.cql and
LungFunction.cql), registered in externals.py. Each is here because CQL is the wrong tool for it: a
table read from YAML (default ULN) or a spline table with logarithms (GLI-2012)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..cql import external
from ..cql.values.code import ValueSetRef
from ..cql.values.quantity import Quantity
from . import gli
from .uln import lab_id, load_table


@external()
def default_uln(valueset: Any, sex: str | None, age: int | Decimal | None) -> Quantity | None:
    """Labs.DefaultUln(vs, sex, age): the uln.yaml limit for this lab, sex and age (a YAML table)."""
    if valueset is None:
        return None
    url = valueset.id if isinstance(valueset, ValueSetRef) else str(valueset)
    limit = load_table().limit(lab_id(url), sex, age)
    return None if limit is None else Quantity(limit.value, limit.unit)


@external()
def gli_fvc_predicted(
    age: Decimal | None, height_cm: Decimal | None, sex: str | None, ethnicity: str | None
) -> Decimal | None:
    """LungFunction.GliFvcPredicted(age, height cm, sex, ethnicity): GLI-2012 predicted FVC in litres
    (spline tables and logarithms)."""
    if age is None or height_cm is None or sex is None:
        return None
    return gli.predicted_fvc(age, height_cm, sex, ethnicity or "caucasian")


MEASURE_EXTERNALS = {
    "Labs.DefaultUln": default_uln,
    "LungFunction.GliFvcPredicted": gli_fvc_predicted,
}
