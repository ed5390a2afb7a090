"""Prednisone-equivalent factors (CRITERIA.md rule 10) from fhir_mappings/glucocorticoid-equivalents.yaml:
mg of prednisone per mg of a glucocorticoid, found by RxNorm ingredient, ATC code or, last, the
ingredient's name in the medication's text (clinical drug codes such as "prednisone 5 MG Oral
Tablet" carry it in their display).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..content import content_dir
from ..cql.values.code import Concept
from .drugs import RXNORM, concept_texts, names_found

ATC = "http://www.whocc.no/atc"
# Brand names of med-gc's ingredient-name list, read as their ingredient.
BRANDS = {
    "solu-medrol": "methylprednisolone",
    "depo-medrol": "methylprednisolone",
    "medrol": "methylprednisolone",
    "deltasone": "prednisone",
}


@dataclass(frozen=True, slots=True)
class FactorTable:
    by_rxnorm: dict[str, Decimal] = field(default_factory=dict)
    by_atc: dict[str, Decimal] = field(default_factory=dict)
    by_name: dict[str, Decimal] = field(default_factory=dict)

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> FactorTable:
        by_rxnorm: dict[str, Decimal] = {}
        by_atc: dict[str, Decimal] = {}
        by_name: dict[str, Decimal] = {}
        for drug in data.get("drugs") or ():
            factor = Decimal(str(drug["factor"]))
            by_name[str(drug["ingredient"]).lower()] = factor
            by_rxnorm.update({str(cui): factor for cui in drug.get("rxnorm") or ()})
            by_atc.update({str(atc).upper(): factor for atc in drug.get("atc") or ()})
        by_name.update({brand: by_name[i] for brand, i in BRANDS.items() if i in by_name})
        return cls(by_rxnorm, by_atc, by_name)

    def factor(self, concept: Concept) -> Decimal | None:
        """The factor for a medication, None when it is not a glucocorticoid the table knows."""
        for code in concept.codes:
            if code.system == RXNORM and code.code in self.by_rxnorm:
                return self.by_rxnorm[code.code]
            if code.system == ATC and (code.code or "").replace(".", "").upper() in self.by_atc:
                return self.by_atc[(code.code or "").replace(".", "").upper()]
        found = names_found(concept_texts(concept), tuple(self.by_name))
        return self.by_name[found[0]] if found else None


@functools.cache
def factor_table(path: Path | None = None) -> FactorTable:
    source = path or content_dir("fhir_mappings") / "glucocorticoid-equivalents.yaml"
    return FactorTable.from_yaml(yaml.safe_load(source.read_text(encoding="utf-8")))
