"""The default upper limits of normal (fhir_mappings/uln.yaml), for labs whose Observation carries no
referenceRange.high (CRITERIA.md rule 9).

A limit is chosen by the lab's value-set id, the patient's sex and age. A lab whose limits are
sex-specific has no default for a patient of unknown or other sex: the caller reports that as
unknown rather than guessing which limit applies.

>>> table = UlnTable.from_yaml({"labs": {"lab-alt": {"limits": [
...     {"sex": "male", "value": 41, "unit": "U/L"}, {"sex": "female", "value": 33, "unit": "U/L"}]}}})
>>> table.limit("lab-alt", "female", 50)
DefaultUln(value=Decimal('33'), unit='U/L')
>>> table.limit("lab-alt", "unknown", 50) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..content import content_dir


@dataclass(frozen=True, slots=True)
class DefaultUln:
    value: Decimal
    unit: str


@dataclass(frozen=True, slots=True)
class UlnLimit:
    sex: str  # male | female | any
    value: Decimal
    unit: str
    age_min: Decimal | None = None  # inclusive
    age_max: Decimal | None = None  # exclusive

    def applies(self, sex: str | None, age: Decimal | int | None) -> bool:
        if self.sex != "any" and self.sex != sex:
            return False
        if self.age_min is None and self.age_max is None:
            return True
        if age is None:
            return False
        if self.age_min is not None and age < self.age_min:
            return False
        return not (self.age_max is not None and age >= self.age_max)


@dataclass(frozen=True, slots=True)
class UlnTable:
    labs: dict[str, tuple[UlnLimit, ...]]

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> UlnTable:
        labs = {
            lab_id: tuple(_limit(raw) for raw in entry.get("limits") or ())
            for lab_id, entry in (data.get("labs") or {}).items()
        }
        return cls(labs)

    def limit(self, lab_id: str, sex: str | None, age: Decimal | int | None) -> DefaultUln | None:
        """The first limit of the lab that applies to this sex and age, or None."""
        for limit in self.labs.get(lab_id, ()):
            if limit.applies(sex, age):
                return DefaultUln(limit.value, limit.unit)
        return None


def _limit(raw: dict[str, Any]) -> UlnLimit:
    def number(key: str) -> Decimal | None:
        value = raw.get(key)
        return None if value is None else Decimal(str(value))

    value = number("value")
    if value is None:
        raise ValueError(f"uln.yaml: a limit without a value: {raw}")
    return UlnLimit(str(raw.get("sex", "any")), value, str(raw["unit"]), number("age_min"), number("age_max"))


@lru_cache(maxsize=4)
def load_table(path: Path | None = None) -> UlnTable:
    """The table of fhir_mappings/uln.yaml, read once."""
    source = path or content_dir("fhir_mappings") / "uln.yaml"
    return UlnTable.from_yaml(yaml.safe_load(source.read_text(encoding="utf-8")) or {})


def lab_id(valueset: str) -> str:
    """A value set's id from its canonical URL (`.../ValueSet/lab-alt` -> `lab-alt`)."""
    return valueset.rstrip("/").rsplit("/", 1)[-1]
