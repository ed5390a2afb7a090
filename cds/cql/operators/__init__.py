"""System operators, one module per family; importing this package registers them all."""

from . import (  # noqa: F401
    aggregates,
    arithmetic,
    clinical,
    comparison,
    conversion,
    datetime,
    intervals,
    lists,
    logical,
    messages,
    nullological,
    ordinal,
    strings,
)
