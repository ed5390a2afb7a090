"""Build cds/cql/model/fhir-4.0.1.json from the FHIR 4.0.1 model info of the CQL reference
implementation (../shared/cql-models/fhir-modelinfo-4.0.1.xml).

The engine needs, per FHIR type: its base type, its elements and their type specifiers, whether it is
retrievable and its primary code path, and which types are primitives (a `value` of a System type),
whose values the engine represents by that System type. Descriptions and bindings are dropped.

Usage: python scripts/build_fhir_model.py [MODELINFO.xml] [OUT.json]
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"m": "urn:hl7-org:elm-modelinfo:r1", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_IN = ROOT.parent / "shared" / "cql-models" / "fhir-modelinfo-4.0.1.xml"
DEFAULT_OUT = ROOT / "cds" / "cql" / "model" / "fhir-4.0.1.json"


def type_spec(el: ET.Element) -> str:
    """The element's type as CQL type-specifier text: FHIR.string, List<FHIR.Coding>, Choice<...>."""
    if el.get("elementType"):
        return el.get("elementType", "")
    spec = el.find("m:elementTypeSpecifier", NS)
    if spec is None:
        spec = el.find("m:typeSpecifier", NS)
    if spec is None:
        raise ValueError(f"element {el.get('name')} has no type")
    return specifier(spec)


def specifier(spec: ET.Element) -> str:
    kind = spec.get(XSI_TYPE, "")
    if kind == "NamedTypeSpecifier":
        return f"{spec.get('namespace') or spec.get('modelName')}.{spec.get('name')}"
    if kind == "ListTypeSpecifier":
        if spec.get("elementType"):
            return f"List<{spec.get('elementType')}>"
        inner = spec.find("m:elementTypeSpecifier", NS)
        assert inner is not None
        return f"List<{specifier(inner)}>"
    if kind == "ChoiceTypeSpecifier":
        choices = [specifier(c) for c in spec.findall("m:choice", NS)]
        return "Choice<" + ",".join(choices) + ">"
    raise ValueError(f"unsupported type specifier {kind}")


def build(source: Path) -> dict[str, object]:
    root = ET.parse(source).getroot()
    types: dict[str, dict[str, object]] = {}
    for info in root.findall("m:typeInfo", NS):
        if info.get(XSI_TYPE) != "ClassInfo":
            continue
        name = info.get("name", "")
        entry: dict[str, object] = {"base": info.get("baseType", "System.Any")}
        elements = {el.get("name", ""): type_spec(el) for el in info.findall("m:element", NS)}
        entry["elements"] = elements
        if info.get("retrievable") == "true":
            entry["retrievable"] = True
            if info.get("primaryCodePath"):
                entry["primaryCodePath"] = info.get("primaryCodePath")
        types[name] = entry
    # A primitive is a type whose value is a System value (FHIR.string, FHIR.ObservationStatus, ...).
    for entry in types.values():
        value = entry["elements"].get("value")  # type: ignore[attr-defined]
        if isinstance(value, str) and value.startswith("System."):
            entry["primitive"] = value
    conversions = [
        {"from": c.get("fromType"), "to": c.get("toType"), "function": c.get("functionName")}
        for c in root.findall("m:conversionInfo", NS)
        if not (c.get("functionName") or "").endswith("ToString")
    ]
    return {
        "name": root.get("name"),
        "version": root.get("version"),
        "url": root.get("url"),
        "patientClassName": root.get("patientClassName"),
        "patientBirthDatePropertyName": root.get("patientBirthDatePropertyName"),
        "source": "cqframework/clinical_quality_language fhir-modelinfo-4.0.1.xml (Apache-2.0)",
        "conversions": conversions,
        "types": types,
    }


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_IN
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    model = build(source)
    out.write_text(json.dumps(model, indent=0, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"{out}: {len(model['types'])} types")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
