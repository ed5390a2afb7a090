"""CQL temporal values: Date, DateTime and Time, and their pure operations.

The types and their validation live in `model`, text in `text`, comparison in `compare`,
arithmetic in `arithmetic`, duration and difference in `between`, components and
boundaries in `parts`, offsets in `offsets`; this package re-exports the public API.
"""

from cds.cql.values.temporal.arithmetic import add, predecessor, subtract, successor
from cds.cql.values.temporal.between import difference_between, duration_between
from cds.cql.values.temporal.compare import compare, compare_at, equal, equivalent
from cds.cql.values.temporal.model import (
    EVALUATION_OFFSET,
    MAX_DATE,
    MAX_DATETIME,
    MAX_TIME,
    MIN_DATE,
    MIN_DATETIME,
    MIN_TIME,
    UNITS,
    Date,
    DateTime,
    Precision,
    Temporal,
    TemporalError,
    Time,
    Uncertainty,
    make_date,
    make_datetime,
    make_time,
)
from cds.cql.values.temporal.offsets import at_evaluation_offset, with_offset
from cds.cql.values.temporal.parts import (
    component,
    date_of,
    date_to_datetime,
    datetime_to_date,
    high_boundary,
    low_boundary,
    precision_digits,
    precision_for_digits,
    time_of,
    truncate_to,
)
from cds.cql.values.temporal.text import parse_date, parse_datetime, parse_time, to_literal, to_string
from cds.cql.values.temporal.units import unit_name

__all__ = [
    "EVALUATION_OFFSET",
    "MAX_DATE",
    "MAX_DATETIME",
    "MAX_TIME",
    "MIN_DATE",
    "MIN_DATETIME",
    "MIN_TIME",
    "UNITS",
    "Date",
    "DateTime",
    "Precision",
    "Temporal",
    "TemporalError",
    "Time",
    "Uncertainty",
    "add",
    "at_evaluation_offset",
    "compare",
    "compare_at",
    "component",
    "date_of",
    "date_to_datetime",
    "datetime_to_date",
    "difference_between",
    "duration_between",
    "equal",
    "equivalent",
    "high_boundary",
    "low_boundary",
    "make_date",
    "make_datetime",
    "make_time",
    "parse_date",
    "parse_datetime",
    "parse_time",
    "precision_digits",
    "precision_for_digits",
    "predecessor",
    "subtract",
    "successor",
    "time_of",
    "to_literal",
    "to_string",
    "truncate_to",
    "unit_name",
    "with_offset",
]
