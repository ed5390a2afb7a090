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


# Spellings of units in EHR data that are not UCUM, and the UCUM unit each means (CRITERIA.md rule 8).
# An international unit of enzyme activity is the UCUM U (1 umol/min), so IU/L reads as U/L.
NON_UCUM_UNITS = {
    **dict.fromkeys(("cells/uL", "cells/ul", "cells/µL", "/µL", "cells/mm3", "/mm3", "/cumm"), "/uL"),
    **dict.fromkeys(
        ("x10^9/L", "10^9/L", "x10E9/L", "10E9/L", "x10*9/L", "G/L", "x 10^9/L", "10^9/l"), "10*9/L"
    ),
    **dict.fromkeys(
        ("x10^3/uL", "10^3/uL", "x10E3/uL", "10E3/uL", "K/uL", "k/uL", "thou/uL", "x10*3/uL", "K/µL"),
        "10*3/uL",
    ),
    **dict.fromkeys(("x10^12/L", "10^12/L", "x10E12/L", "T/L"), "10*12/L"),
    **dict.fromkeys(("mmHg", "mm Hg"), "mm[Hg]"),
    **dict.fromkeys(("°C", "degC", "C"), "Cel"),
    **dict.fromkeys(("°F", "degF", "F"), "[degF]"),
    **dict.fromkeys(("lb", "lbs"), "[lb_av]"),
    **dict.fromkeys(("in", "inch", "inches"), "[in_i]"),
    **dict.fromkeys(("mL/min/1.73m2", "mL/min/1.73 m2", "ml/min/1.73m2"), "mL/min/{1.73_m2}"),
    "ml/min": "mL/min",
    **dict.fromkeys(("µmol/L", "umol/l", "µmol/l"), "umol/L"),
    **dict.fromkeys(("IU/L", "iu/L"), "U/L"),
    **dict.fromkeys(("liters", "litres", "l"), "L"),
}


@external()
def ucum_unit(unit: str | None) -> str:
    """Labs.UcumUnit(unit): a unit as UCUM (a lookup table of non-UCUM spellings)."""
    if not unit:
        return "1"
    return NON_UCUM_UNITS.get(unit.strip(), unit.strip())


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
    "Labs.UcumUnit": ucum_unit,
    "LungFunction.GliFvcPredicted": gli_fvc_predicted,
    "Allergies.IngredientNames": ingredient_names,
}
