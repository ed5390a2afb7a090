"""trialcds's CQL engine: a pure-Python evaluator of HL7 Clinical Quality Language 1.5.

>>> from cds.cql import evaluate_expression
>>> evaluate_expression("Interval[1, 10] overlaps Interval[5, 20]")
True
"""

from .compiler.library import CompiledLibrary
from .engine import (
    DefineError,
    DirectoryResolver,
    LibraryResolver,
    compile_library,
    evaluate,
    evaluate_expression,
    external,
)
from .errors import CqlError, CqlRuntimeError, CqlSemanticError, CqlSyntaxError
from .runtime import DataSource, RetrieveRequest, Terminology

__all__ = [
    "CompiledLibrary",
    "CqlError",
    "CqlRuntimeError",
    "CqlSemanticError",
    "CqlSyntaxError",
    "DataSource",
    "DefineError",
    "DirectoryResolver",
    "LibraryResolver",
    "RetrieveRequest",
    "Terminology",
    "compile_library",
    "evaluate",
    "evaluate_expression",
    "external",
]
