"""Python bindings of the `external` functions of the measurement mappings (fhir_mappings/Labs.cql,
LungFunction.cql) and of Allergies.cql, registered in externals.py. Each is here because CQL is the
wrong tool for it: a table read from YAML (default ULN), a spline table with logarithms (GLI-2012), or
names kept in the ValueSet files (ingredient names)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..cql import external
from ..cql.runtime import Context
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


@external(context=True)
def ingredient_names(ctx: Context, valueset: Any) -> list[str]:
    """Allergies.IngredientNames(vs): the set's `ingredient-name` words, lower case (ValueSet files)."""
    entry_of = getattr(ctx.terminology, "entry", None)
    if entry_of is None or not isinstance(valueset, ValueSetRef):
        return []
    entry = entry_of(valueset.id)
    return list(entry.ingredient_names) if entry is not None else []


MEASURE_EXTERNALS: dict[str, Callable[..., Any]] = {
    "Labs.DefaultUln": default_uln,
    "LungFunction.GliFvcPredicted": gli_fvc_predicted,
    "Allergies.IngredientNames": ingredient_names,
}
