"""The CQL abstract syntax tree: frozen dataclasses with source positions.

The parser builds these once per library text; the compiler turns them into closures. Nothing here
evaluates anything: literals keep their text, and the compiler builds runtime values from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Pos:
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


NOWHERE = Pos(0, 0)


# ---------------------------------------------------------------------------------------------- types
@dataclass(frozen=True, slots=True)
class NamedTypeSpec:
    pos: Pos
    name: str
    qualifier: str | None = None

    def __str__(self) -> str:
        return f"{self.qualifier}.{self.name}" if self.qualifier else self.name


@dataclass(frozen=True, slots=True)
class ListTypeSpec:
    pos: Pos
    element: TypeSpec

    def __str__(self) -> str:
        return f"List<{self.element}>"


@dataclass(frozen=True, slots=True)
class IntervalTypeSpec:
    pos: Pos
    point: TypeSpec

    def __str__(self) -> str:
        return f"Interval<{self.point}>"


@dataclass(frozen=True, slots=True)
class TupleTypeSpec:
    pos: Pos
    elements: tuple[tuple[str, TypeSpec], ...]

    def __str__(self) -> str:
        return "Tuple { " + ", ".join(f"{n} {t}" for n, t in self.elements) + " }"


@dataclass(frozen=True, slots=True)
class ChoiceTypeSpec:
    pos: Pos
    choices: tuple[TypeSpec, ...]

    def __str__(self) -> str:
        return "Choice<" + ", ".join(str(c) for c in self.choices) + ">"


TypeSpec = NamedTypeSpec | ListTypeSpec | IntervalTypeSpec | TupleTypeSpec | ChoiceTypeSpec


# ---------------------------------------------------------------------------------------- expressions
@dataclass(frozen=True, slots=True)
class Literal:
    """A literal: kind is boolean, null, string, integer, long, decimal, date, datetime or time."""

    pos: Pos
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class QuantityLiteral:
    pos: Pos
    value: str
    unit: str


@dataclass(frozen=True, slots=True)
class RatioLiteral:
    pos: Pos
    numerator: QuantityLiteral
    denominator: QuantityLiteral


@dataclass(frozen=True, slots=True)
class Name:
    """An identifier: a define, parameter, alias, let, operand, terminology or library name."""

    pos: Pos
    name: str


@dataclass(frozen=True, slots=True)
class Member:
    pos: Pos
    source: Expr
    name: str


@dataclass(frozen=True, slots=True)
class Call:
    pos: Pos
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class MethodCall:
    """`source.name(args)`: a library-qualified call (`FHIRHelpers.ToQuantity(x)`) or a fluent call."""

    pos: Pos
    source: Expr
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Indexer:
    pos: Pos
    source: Expr
    index: Expr


@dataclass(frozen=True, slots=True)
class Unary:
    """A prefix operator: not, exists, distinct, flatten, start, end, width, successor, predecessor,
    singleton, point, negate, plus."""

    pos: Pos
    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary:
    """An infix operator, by its CQL spelling (`+`, `and`, `union`, `in`, `contains`, ...)."""

    pos: Pos
    op: str
    left: Expr
    right: Expr
    precision: str | None = None


@dataclass(frozen=True, slots=True)
class Between:
    pos: Pos
    operand: Expr
    low: Expr
    high: Expr
    properly: bool


@dataclass(frozen=True, slots=True)
class DurationBetween:
    """`years between a and b` (kind duration) or `difference in years between a and b`."""

    pos: Pos
    kind: str
    precision: str
    low: Expr
    high: Expr


@dataclass(frozen=True, slots=True)
class DurationOf:
    """`duration in days of X` / `difference in days of X` over an interval."""

    pos: Pos
    kind: str
    precision: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class ComponentFrom:
    pos: Pos
    component: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class BooleanTest:
    """`x is null`, `x is not true`, ..."""

    pos: Pos
    operand: Expr
    test: str
    negated: bool


@dataclass(frozen=True, slots=True)
class TypeOp:
    """`x is T`, `x as T` and `cast x as T` (op is, as, cast)."""

    pos: Pos
    op: str
    operand: Expr
    type: TypeSpec


@dataclass(frozen=True, slots=True)
class Convert:
    pos: Pos
    operand: Expr
    type: TypeSpec | None
    unit: str | None


@dataclass(frozen=True, slots=True)
class TypeExtent:
    """`minimum Integer` / `maximum DateTime`."""

    pos: Pos
    kind: str
    type: TypeSpec


@dataclass(frozen=True, slots=True)
class If:
    pos: Pos
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class CaseItem:
    pos: Pos
    when: Expr
    then: Expr


@dataclass(frozen=True, slots=True)
class Case:
    pos: Pos
    comparand: Expr | None
    items: tuple[CaseItem, ...]
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class ExpandCollapse:
    """`expand X per P` / `collapse X per P`; per is a precision word, an expression or absent."""

    pos: Pos
    op: str
    operand: Expr
    per: Expr | str | None


@dataclass(frozen=True, slots=True)
class IntervalSelector:
    pos: Pos
    low: Expr
    high: Expr
    low_closed: bool
    high_closed: bool


@dataclass(frozen=True, slots=True)
class ListSelector:
    pos: Pos
    element_type: TypeSpec | None
    elements: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class TupleSelector:
    pos: Pos
    elements: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, slots=True)
class InstanceSelector:
    pos: Pos
    type: NamedTypeSpec
    elements: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, slots=True)
class CodeSelector:
    pos: Pos
    code: str
    system: QualifiedName
    display: str | None


@dataclass(frozen=True, slots=True)
class ConceptSelector:
    pos: Pos
    codes: tuple[CodeSelector, ...]
    display: str | None


@dataclass(frozen=True, slots=True)
class ExternalConstant:
    pos: Pos
    name: str


@dataclass(frozen=True, slots=True)
class SpecialVar:
    """`$this`, `$index`, `$total` (name without the dollar)."""

    pos: Pos
    name: str


@dataclass(frozen=True, slots=True)
class TimingPhrase:
    """A timing phrase, normalised.

    kind: same, includes, included_in, before_after, within, meets, overlaps, starts, ends.
    left / right: `start` / `end` boundaries applied to the operands (None = whole operand;
    `occurs` is None). relation: before / after / None; inclusive: `on or` / `or on` / `or before`,
    `or after` for `same`. offset: a quantity with offset_kind exact / or_more / or_less / less_than /
    more_than.
    """

    pos: Pos
    kind: str
    precision: str | None = None
    properly: bool = False
    left: str | None = None
    right: str | None = None
    relation: str | None = None
    inclusive: bool = False
    offset: QuantityLiteral | None = None
    offset_kind: str | None = None


@dataclass(frozen=True, slots=True)
class Timing:
    pos: Pos
    left: Expr
    phrase: TimingPhrase
    right: Expr


@dataclass(frozen=True, slots=True)
class Retrieve:
    """`[Type]`, `[Type: terminology]`, `[Type: path in terminology]` (comparator in, = or ~)."""

    pos: Pos
    type: NamedTypeSpec
    code_path: str | None
    comparator: str | None
    terminology: Expr | None


@dataclass(frozen=True, slots=True)
class AliasedSource:
    pos: Pos
    source: Expr
    alias: str


@dataclass(frozen=True, slots=True)
class LetItem:
    pos: Pos
    name: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class Inclusion:
    """`with` (negated False) or `without` (negated True) ... `such that` condition."""

    pos: Pos
    source: AliasedSource
    condition: Expr
    negated: bool


@dataclass(frozen=True, slots=True)
class ReturnClause:
    pos: Pos
    expr: Expr
    distinct: bool


@dataclass(frozen=True, slots=True)
class AggregateClause:
    pos: Pos
    name: str
    distinct: bool
    starting: Expr | None
    expr: Expr


@dataclass(frozen=True, slots=True)
class SortItem:
    pos: Pos
    expr: Expr | None
    descending: bool


@dataclass(frozen=True, slots=True)
class Query:
    pos: Pos
    sources: tuple[AliasedSource, ...]
    lets: tuple[LetItem, ...] = ()
    inclusions: tuple[Inclusion, ...] = ()
    where: Expr | None = None
    returns: ReturnClause | None = None
    aggregate: AggregateClause | None = None
    sort: tuple[SortItem, ...] = ()


@dataclass(frozen=True, slots=True)
class QualifiedName:
    """A possibly library-qualified reference to a terminology definition: `Lib."Name"`."""

    pos: Pos
    name: str
    library: str | None = None

    def __str__(self) -> str:
        return f"{self.library}.{self.name}" if self.library else self.name


Expr = (
    Literal
    | QuantityLiteral
    | RatioLiteral
    | Name
    | Member
    | Call
    | MethodCall
    | Indexer
    | Unary
    | Binary
    | Between
    | DurationBetween
    | DurationOf
    | ComponentFrom
    | BooleanTest
    | TypeOp
    | Convert
    | TypeExtent
    | If
    | Case
    | ExpandCollapse
    | IntervalSelector
    | ListSelector
    | TupleSelector
    | InstanceSelector
    | CodeSelector
    | ConceptSelector
    | ExternalConstant
    | SpecialVar
    | Timing
    | Retrieve
    | Query
)


# ------------------------------------------------------------------------------------------- library
@dataclass(frozen=True, slots=True)
class UsingDef:
    pos: Pos
    model: str
    version: str | None
    alias: str | None


@dataclass(frozen=True, slots=True)
class IncludeDef:
    pos: Pos
    path: str
    version: str | None
    alias: str


@dataclass(frozen=True, slots=True)
class CodeSystemDef:
    pos: Pos
    name: str
    id: str
    version: str | None
    private: bool


@dataclass(frozen=True, slots=True)
class ValueSetDef:
    pos: Pos
    name: str
    id: str
    version: str | None
    codesystems: tuple[QualifiedName, ...]
    private: bool


@dataclass(frozen=True, slots=True)
class CodeDef:
    pos: Pos
    name: str
    code: str
    system: QualifiedName
    display: str | None
    private: bool


@dataclass(frozen=True, slots=True)
class ConceptDef:
    pos: Pos
    name: str
    codes: tuple[QualifiedName, ...]
    display: str | None
    private: bool


@dataclass(frozen=True, slots=True)
class ParameterDef:
    pos: Pos
    name: str
    type: TypeSpec | None
    default: Expr | None
    private: bool


@dataclass(frozen=True, slots=True)
class ExpressionDef:
    pos: Pos
    name: str
    expr: Expr
    context: str
    private: bool


@dataclass(frozen=True, slots=True)
class OperandDef:
    pos: Pos
    name: str
    type: TypeSpec


@dataclass(frozen=True, slots=True)
class FunctionDef:
    pos: Pos
    name: str
    operands: tuple[OperandDef, ...]
    return_type: TypeSpec | None
    body: Expr | None  # None: external, bound to Python
    fluent: bool
    context: str
    private: bool


@dataclass(frozen=True, slots=True)
class Library:
    name: str | None
    version: str | None
    usings: tuple[UsingDef, ...] = ()
    includes: tuple[IncludeDef, ...] = ()
    codesystems: tuple[CodeSystemDef, ...] = ()
    valuesets: tuple[ValueSetDef, ...] = ()
    codes: tuple[CodeDef, ...] = ()
    concepts: tuple[ConceptDef, ...] = ()
    parameters: tuple[ParameterDef, ...] = ()
    expressions: tuple[ExpressionDef, ...] = ()
    functions: tuple[FunctionDef, ...] = ()
    contexts: tuple[str, ...] = field(default=())
