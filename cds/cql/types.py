"""Static CQL types: named (System and model classes), List, Interval, Tuple, Choice, and type variables
for generic operator signatures.

The compiler gives every expression a type. Types decide overloads, implicit conversions and semantic
errors; where a type is not known (`Any` from untyped data), the compiled code dispatches on the
runtime value instead.
"""

from __future__ import annotations

from dataclasses import dataclass


class CqlType:
    """Base of all static types."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class NamedType(CqlType):
    name: str  # qualified: System.Integer, FHIR.Observation

    def __str__(self) -> str:
        return self.name

    @property
    def simple(self) -> str:
        return self.name.rsplit(".", 1)[-1] if self.name.startswith(("System.", "FHIR.")) else self.name


@dataclass(frozen=True, slots=True)
class ListType(CqlType):
    element: CqlType

    def __str__(self) -> str:
        return f"List<{self.element}>"


@dataclass(frozen=True, slots=True)
class IntervalType(CqlType):
    point: CqlType

    def __str__(self) -> str:
        return f"Interval<{self.point}>"


@dataclass(frozen=True, slots=True)
class TupleType(CqlType):
    elements: tuple[tuple[str, CqlType], ...]

    def __str__(self) -> str:
        return "Tuple{" + ", ".join(f"{n}:{t}" for n, t in self.elements) + "}"

    def element(self, name: str) -> CqlType | None:
        for n, t in self.elements:
            if n == name:
                return t
        return None


@dataclass(frozen=True, slots=True)
class ChoiceType(CqlType):
    options: tuple[CqlType, ...]

    def __str__(self) -> str:
        return "Choice<" + ", ".join(str(o) for o in self.options) + ">"


@dataclass(frozen=True, slots=True)
class TypeVar(CqlType):
    """A type parameter of a generic operator signature (`T` in `First(List<T>) -> T`)."""

    name: str

    def __str__(self) -> str:
        return self.name


def system(name: str) -> NamedType:
    return NamedType("System." + name)


ANY = system("Any")
BOOLEAN = system("Boolean")
INTEGER = system("Integer")
LONG = system("Long")
DECIMAL = system("Decimal")
STRING = system("String")
DATE = system("Date")
DATETIME = system("DateTime")
TIME = system("Time")
QUANTITY = system("Quantity")
RATIO = system("Ratio")
CODE = system("Code")
CONCEPT = system("Concept")
VOCABULARY = system("Vocabulary")
VALUESET = system("ValueSet")
CODESYSTEM = system("CodeSystem")
# The type of the `null` literal: converts to any type at the lowest cost (an `As` in ELM terms).
NULL = NamedType("System.Null")

SYSTEM_TYPES = {
    t.simple: t
    for t in (
        ANY,
        BOOLEAN,
        INTEGER,
        LONG,
        DECIMAL,
        STRING,
        DATE,
        DATETIME,
        TIME,
        QUANTITY,
        RATIO,
        CODE,
        CONCEPT,
        VOCABULARY,
        VALUESET,
        CODESYSTEM,
    )
}
SYSTEM_BASES = {VALUESET: VOCABULARY, CODESYSTEM: VOCABULARY}

ORDERED = (INTEGER, LONG, DECIMAL, STRING, DATE, DATETIME, TIME, QUANTITY)
TEMPORAL = (DATE, DATETIME, TIME)


def is_any(t: CqlType) -> bool:
    return t == ANY


def element_type(t: CqlType) -> CqlType:
    return t.element if isinstance(t, ListType) else ANY


def point_type(t: CqlType) -> CqlType:
    return t.point if isinstance(t, IntervalType) else ANY


def contains_typevar(t: CqlType) -> bool:
    if isinstance(t, TypeVar):
        return True
    if isinstance(t, ListType):
        return contains_typevar(t.element)
    if isinstance(t, IntervalType):
        return contains_typevar(t.point)
    if isinstance(t, TupleType):
        return any(contains_typevar(e) for _, e in t.elements)
    if isinstance(t, ChoiceType):
        return any(contains_typevar(o) for o in t.options)
    return False


def substitute(t: CqlType, bindings: dict[str, CqlType]) -> CqlType:
    if isinstance(t, TypeVar):
        return bindings.get(t.name, ANY)
    if isinstance(t, ListType):
        return ListType(substitute(t.element, bindings))
    if isinstance(t, IntervalType):
        return IntervalType(substitute(t.point, bindings))
    if isinstance(t, TupleType):
        return TupleType(tuple((n, substitute(e, bindings)) for n, e in t.elements))
    if isinstance(t, ChoiceType):
        return ChoiceType(tuple(substitute(o, bindings) for o in t.options))
    return t


def parse_type(text: str, default_namespace: str = "System") -> CqlType:
    """Type-specifier text as used in signatures and model data: `List<T>`, `Interval<Integer>`,
    `Choice<FHIR.string,FHIR.Period>`, `FHIR.Observation`. Single upper-case letters are type
    variables.

    >>> parse_type("List<Interval<Integer>>")
    ListType(element=IntervalType(point=NamedType(name='System.Integer')))
    """
    text = text.strip()
    if text.startswith("List<") and text.endswith(">"):
        return ListType(parse_type(text[5:-1], default_namespace))
    if text.startswith("Interval<") and text.endswith(">"):
        return IntervalType(parse_type(text[9:-1], default_namespace))
    if text.startswith("Choice<") and text.endswith(">"):
        return ChoiceType(tuple(parse_type(p, default_namespace) for p in _split_top(text[7:-1])))
    if len(text) == 1 and text.isupper():
        return TypeVar(text)
    if "." in text:
        return NamedType(text)
    return NamedType(f"{default_namespace}.{text}")


def _split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
