"""Data models known to the engine: System (built in) and FHIR 4.0.1 (model/fhir-4.0.1.json).

FHIR values reach CQL as `FhirObject`s (a resource or complex type: its FHIR type name and its JSON
dict). FHIR primitives (string, code, dateTime, the bound code types such as ObservationStatus, ...)
are System values at once: the model maps their types to System types, and member access converts
their JSON. `.value` on them is the value itself, as FHIRHelpers' conversions would make it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import types as t
from .values import temporal
from .values.code import Code, Concept
from .values.interval import Interval
from .values.quantity import Quantity, Ratio

MODEL_DIR = Path(__file__).with_name("model")


class FhirObject:
    """A FHIR resource or complex-type value: its type name (`Observation`, `Observation.Component`,
    `CodeableConcept`) and its JSON object. Immutable by convention: the engine never writes to data."""

    __slots__ = ("data", "memo", "type")

    def __init__(self, type_name: str, data: dict[str, Any]) -> None:
        self.type = type_name
        self.data = data
        self.memo: dict[str, Any] = {}  # converted element values, filled by member access

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FhirObject) and other.type == self.type and other.data == self.data

    def __hash__(self) -> int:
        return hash((self.type, self.data.get("id")))

    def __repr__(self) -> str:
        ident = self.data.get("id")
        return f"FhirObject({self.type}{'/' + str(ident) if ident else ''})"

    @property
    def reference(self) -> str | None:
        """`Type/id` for resources that have an id."""
        ident = self.data.get("id")
        return f"{self.type}/{ident}" if ident and "resourceType" in self.data else None


Getter = Callable[[dict[str, Any]], Any]


def _decimal(v: Any) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, Decimal):
        return v
    return Decimal(str(v))


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _bool(v: Any) -> bool | None:
    return v if isinstance(v, bool) else None


def _date(v: Any) -> temporal.Date | None:
    return temporal.parse_date(v) if isinstance(v, str) else None


def _datetime(v: Any) -> temporal.DateTime | None:
    if not isinstance(v, str):
        return None
    # FHIR dateTime allows a date only ("2012-01-02"); CQL reads it as a DateTime of day precision.
    return temporal.parse_datetime(v if "T" in v else v + "T")


def _time(v: Any) -> temporal.Time | None:
    return temporal.parse_time(v) if isinstance(v, str) else None


PRIMITIVE_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "System.String": _str,
    "System.Boolean": _bool,
    "System.Integer": _int,
    "System.Long": _int,
    "System.Decimal": _decimal,
    "System.Date": _date,
    "System.DateTime": _datetime,
    "System.Time": _time,
}


class FhirModel:
    """Static and runtime knowledge of the FHIR model: types, elements, primitives, conversions."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.name: str = data["name"]
        self.version: str = data["version"]
        self.url: str = data["url"]
        self._types: dict[str, dict[str, Any]] = data["types"]
        self.conversions: list[dict[str, str]] = data.get("conversions", [])

    # ----------------------------------------------------------------------------- static side
    def has_type(self, name: str) -> bool:
        return name in self._types

    def info(self, name: str) -> dict[str, Any] | None:
        return self._types.get(name)

    def primitive(self, name: str) -> t.NamedType | None:
        """The System type a FHIR primitive's value has (FHIR.code -> System.String)."""
        info = self._types.get(name)
        if info and "primitive" in info:
            return t.NamedType(info["primitive"])
        return None

    def static_type(self, name: str) -> t.CqlType:
        """The engine's static type for FHIR type `name`: primitives become System types."""
        return self.primitive(name) or t.NamedType("FHIR." + name)

    def base(self, name: str) -> str | None:
        info = self._types.get(name)
        if not info:
            return None
        base: str = info.get("base", "System.Any")
        return base[5:] if base.startswith("FHIR.") else None

    def is_subtype(self, sub: str, sup: str) -> bool:
        current: str | None = sub
        while current is not None:
            if current == sup:
                return True
            current = self.base(current)
        return False

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one model instance per process
    def element_spec(self, type_name: str, element: str) -> str | None:
        """The element's type-specifier text, looked up through base types."""
        current: str | None = type_name
        while current is not None:
            info = self._types.get(current)
            if info is None:
                return None
            spec = info["elements"].get(element)
            if spec is not None:
                return str(spec)
            current = self.base(current)
        return None

    def element_type(self, type_name: str, element: str) -> t.CqlType | None:
        spec = self.element_spec(type_name, element)
        if spec is None:
            return None
        return self._to_static(t.parse_type(spec))

    def _to_static(self, ty: t.CqlType) -> t.CqlType:
        if isinstance(ty, t.NamedType) and ty.name.startswith("FHIR."):
            return self.static_type(ty.name[5:])
        if isinstance(ty, t.ListType):
            return t.ListType(self._to_static(ty.element))
        if isinstance(ty, t.ChoiceType):
            return t.ChoiceType(tuple(self._to_static(o) for o in ty.options))
        return ty

    def primary_code_path(self, type_name: str) -> str | None:
        info = self._types.get(type_name)
        return info.get("primaryCodePath") if info else None

    def is_retrievable(self, type_name: str) -> bool:
        info = self._types.get(type_name)
        return bool(info and info.get("retrievable"))

    # ---------------------------------------------------------------------------- runtime side
    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one model instance per process
    def getter(self, type_name: str, element: str) -> Getter | None:
        """A function reading `element` from a JSON object of FHIR type `type_name`, converting it to
        engine values; None if the type has no such element."""
        spec = self.element_spec(type_name, element)
        if spec is None:
            return None
        ty = t.parse_type(spec)
        if isinstance(ty, t.ListType):
            convert_item = self._converter(ty.element)

            def get_list(d: dict[str, Any]) -> list[Any]:
                raw = d.get(element)
                if raw is None:
                    return []
                items = raw if isinstance(raw, list) else [raw]
                return [v for v in (convert_item(x) for x in items) if v is not None]

            return get_list
        if isinstance(ty, t.ChoiceType):
            keys = [(element + _suffix(o), self._converter(o)) for o in ty.options]

            def get_choice(d: dict[str, Any]) -> Any:
                for key, convert in keys:
                    raw = d.get(key)
                    if raw is not None:
                        return convert(raw)
                return None

            return get_choice
        convert = self._converter(ty)

        def get_one(d: dict[str, Any]) -> Any:
            raw = d.get(element)
            return None if raw is None else convert(raw)

        return get_one

    def _converter(self, ty: t.CqlType) -> Callable[[Any], Any]:
        if not isinstance(ty, t.NamedType):
            return lambda raw: raw
        if not ty.name.startswith("FHIR."):
            return PRIMITIVE_CONVERTERS.get(ty.name, lambda raw: raw)
        name = ty.name[5:]
        primitive = self.primitive(name)
        if primitive is not None:
            return PRIMITIVE_CONVERTERS.get(primitive.name, lambda raw: raw)
        if name in ("Resource", "DomainResource"):
            return lambda raw: (
                FhirObject(raw.get("resourceType", name), raw) if isinstance(raw, dict) else None
            )
        return lambda raw: FhirObject(name, raw) if isinstance(raw, dict) else None


def _suffix(choice: t.CqlType) -> str:
    """`FHIR.dateTime` -> `DateTime`: the JSON key suffix of a choice element."""
    name = choice.name.rsplit(".", 1)[-1] if isinstance(choice, t.NamedType) else str(choice)
    return name[:1].upper() + name[1:]


@functools.cache
def fhir_model() -> FhirModel:
    with (MODEL_DIR / "fhir-4.0.1.json").open(encoding="utf-8") as fh:
        return FhirModel(json.load(fh))


def runtime_type(value: Any) -> t.CqlType:
    """The type of a runtime value, as precisely as the value shows it."""
    if value is None:
        return t.NULL
    if isinstance(value, bool):
        return t.BOOLEAN
    if isinstance(value, int):
        return t.INTEGER if -(2**31) <= value < 2**31 else t.LONG
    if isinstance(value, Decimal):
        return t.DECIMAL
    if isinstance(value, str):
        return t.STRING
    if isinstance(value, temporal.DateTime):
        return t.DATETIME
    if isinstance(value, temporal.Date):
        return t.DATE
    if isinstance(value, temporal.Time):
        return t.TIME
    if isinstance(value, Quantity):
        return t.QUANTITY
    if isinstance(value, Ratio):
        return t.RATIO
    if isinstance(value, Code):
        return t.CODE
    if isinstance(value, Concept):
        return t.CONCEPT
    if isinstance(value, FhirObject):
        return t.NamedType("FHIR." + value.type)
    if isinstance(value, Interval):
        low = value.low if value.low is not None else value.high
        if value.point_type:
            return t.IntervalType(t.system(value.point_type))
        return t.IntervalType(runtime_type(low) if low is not None else t.ANY)
    if isinstance(value, list):
        first = next((v for v in value if v is not None), None)
        return t.ListType(runtime_type(first) if first is not None else t.ANY)
    if isinstance(value, dict):
        return t.TupleType(tuple((k, runtime_type(v)) for k, v in value.items()))
    return t.ANY
