"""What compiled CQL reads at evaluation time: the data source, terminology, parameters and the
evaluation's fixed `Now()`, through one `Context` object per evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from .values import temporal
from .values.code import Code, CodeSystemRef, Concept, ValueSetRef
from .values.interval import Interval

if TYPE_CHECKING:
    from .models import FhirObject


@dataclass(frozen=True, slots=True)
class RetrieveRequest:
    """A retrieve's details, as written: `[Condition: code in "SLE"]` gives type Condition, code path
    `code`, comparator `in` and the value set. A data source may use all of it (indexes) or only the
    type; the engine does not filter again."""

    type: str
    code_path: str | None = None
    comparator: str | None = None
    codes: tuple[Code, ...] | None = None
    valueset: ValueSetRef | None = None
    date_path: str | None = None
    date_range: Interval | None = None
    context: str = "Patient"


class Terminology(Protocol):
    """Value set and code system membership."""

    def in_valueset(self, code: Code, valueset: ValueSetRef) -> bool | None: ...

    def expand(self, valueset: ValueSetRef) -> Sequence[Code]: ...

    def in_codesystem(self, code: Code, codesystem: CodeSystemRef) -> bool | None: ...


class DataSource(Protocol):
    """Where retrieves read from: the patient's record (context Patient)."""

    def retrieve(self, request: RetrieveRequest, terminology: Terminology) -> Sequence[FhirObject]: ...


class NoTerminology:
    """A terminology provider that knows no value sets: membership is unknown (null)."""

    def in_valueset(self, code: Code, valueset: ValueSetRef) -> bool | None:
        return None

    def expand(self, valueset: ValueSetRef) -> Sequence[Code]:
        return ()

    def in_codesystem(self, code: Code, codesystem: CodeSystemRef) -> bool | None:
        return code.system == codesystem.id if code.system else None


class NoData:
    """A data source with no data: every retrieve is empty."""

    def retrieve(self, request: RetrieveRequest, terminology: Terminology) -> Sequence[FhirObject]:
        return ()


@dataclass(frozen=True, slots=True)
class Message:
    """A `Message()` call with a severity other than Error, kept for the caller."""

    source: Any
    code: str | None
    severity: str | None
    message: str | None


class Context:
    """One evaluation: its inputs and its caches. Compiled expressions are (Context, frame) -> value."""

    __slots__ = (
        "data",
        "define_cache",
        "memo",
        "messages",
        "now",
        "offset",
        "parameters",
        "patient",
        "terminology",
        "today",
    )

    def __init__(
        self,
        data: DataSource | None = None,
        terminology: Terminology | None = None,
        parameters: dict[str, Any] | None = None,
        now: temporal.DateTime | None = None,
    ) -> None:
        self.data: DataSource = data or NoData()
        self.terminology: Terminology = terminology or NoTerminology()
        self.parameters = parameters or {}
        self.now = now or utc_now()
        self.offset: Decimal = self.now.offset if self.now.offset is not None else Decimal(0)
        self.today = temporal.date_of(self.now)
        self.define_cache: dict[tuple[int, str], Any] = {}
        # Per-evaluation memory (see the compiler): invariant expressions by node number, function
        # calls by (function, argument keys).
        self.memo: dict[Any, Any] = {}
        self.messages: list[Message] = []
        self.patient: FhirObject | None = None


def utc_now() -> temporal.DateTime:
    import datetime as _dt

    n = _dt.datetime.now(_dt.UTC)
    return temporal.DateTime(
        n.year, n.month, n.day, n.hour, n.minute, n.second, n.microsecond // 1000, Decimal(0)
    )


def as_of_datetime(as_of: str | temporal.Date | temporal.DateTime | None) -> temporal.DateTime:
    """The evaluation's `Now()` for an as-of date: the start of that day, UTC."""
    if as_of is None:
        return utc_now()
    if isinstance(as_of, temporal.DateTime):
        return as_of
    if isinstance(as_of, str):
        parsed = temporal.parse_date(as_of)
        if parsed is None or parsed.day is None:
            raise ValueError(f"not a date (YYYY-MM-DD): {as_of!r}")
        as_of = parsed
    return temporal.DateTime(as_of.year, as_of.month, as_of.day, 0, 0, 0, 0, Decimal(0))


def concept_codes(value: Any) -> tuple[Code, ...]:
    """The codes of a Code, Concept or list of them (the terminology side of a retrieve)."""
    if value is None:
        return ()
    if isinstance(value, Code):
        return (value,)
    if isinstance(value, Concept):
        return value.codes
    if isinstance(value, list):
        return tuple(c for v in value for c in concept_codes(v))
    return ()
