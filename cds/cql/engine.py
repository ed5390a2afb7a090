"""The engine's public surface: compile a library (cached by content), evaluate it, evaluate one
expression."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from . import operators  # noqa: F401  (registers the system operators)
from .compiler.compile import Externals, LibraryCompiler
from .compiler.library import CompiledLibrary, define_ref
from .errors import CqlError, CqlRuntimeError, CqlSemanticError
from .parser import TOO_DEEP, parse_expression, parse_library
from .runtime import Context, DataSource, Terminology, as_of_datetime
from .values import temporal


class LibraryResolver(Protocol):
    """Finds the CQL text of an included library."""

    def resolve(self, name: str, version: str | None) -> str | None: ...


@dataclass(frozen=True, slots=True)
class DirectoryResolver:
    """Libraries as `<Name>.cql` or `<Name>-<version>.cql` files in the given folders."""

    folders: tuple[Path, ...]

    def resolve(self, name: str, version: str | None) -> str | None:
        for folder in self.folders:
            for candidate in ([f"{name}-{version}.cql"] if version else []) + [f"{name}.cql"]:
                path = folder / candidate
                if path.is_file():
                    return path.read_text(encoding="utf-8")
        return None


BUILTIN_LIBRARIES = Path(__file__).with_name("libraries")
_BUILTINS = DirectoryResolver((BUILTIN_LIBRARIES,))

_cache: dict[str, CompiledLibrary] = {}
_cache_lock = threading.Lock()


def compile_library(
    text: str,
    resolver: LibraryResolver | None = None,
    externals: Externals | None = None,
    name_hint: str | None = None,
) -> CompiledLibrary:
    """Compile CQL library text. Included libraries come from `resolver`, then from the engine's
    built-in libraries (FHIRHelpers 4.0.1). Results are cached by the text's SHA-256 (with its
    includes' texts), so compiling the same library again is a dictionary lookup.

    Raises CqlError (CqlSyntaxError / CqlSemanticError) naming library, line and column."""
    return _compile(text, resolver, externals or {}, name_hint, stack=())


def _compile(
    text: str,
    resolver: LibraryResolver | None,
    externals: Externals,
    name_hint: str | None,
    stack: tuple[str, ...],
) -> CompiledLibrary:
    key = hashlib.sha256(text.encode()).hexdigest() + ":" + ",".join(sorted(externals))
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    tree = parse_library(text, name_hint)
    name = tree.name or name_hint or "Anonymous"
    if name in stack:
        raise CqlSemanticError(f"library {name} includes itself (through {' -> '.join(stack)})")

    def load(include: str, version: str | None) -> CompiledLibrary | None:
        source = resolver.resolve(include, version) if resolver else None
        if source is None:
            source = _BUILTINS.resolve(include, version)
        if source is None:
            return None
        return _compile(source, resolver, {**_builtin_externals(), **externals}, include, (*stack, name))

    try:
        compiled = LibraryCompiler(tree, text, load, {**_builtin_externals(), **externals}, name_hint).run()
    except RecursionError:  # nesting the parser took but a later pass cannot
        raise CqlSemanticError(TOO_DEEP, library=name) from None
    with _cache_lock:
        _cache[key] = compiled
    return compiled


def _builtin_externals() -> Externals:
    from .operators.fhirhelpers import EXTERNALS

    return EXTERNALS


F = TypeVar("F", bound=Callable[..., Any])


def external(context: bool = False) -> Callable[[F], F]:
    """Mark a Python function bound to a CQL `external` function; with context=True it is called with
    the evaluation Context first (for the terminology, the as-of date, ...)."""

    def mark(fn: F) -> F:
        fn.needs_context = context  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass(frozen=True, slots=True)
class DefineError:
    """The value of a define whose evaluation failed; the other defines are still evaluated."""

    error: CqlError

    def __str__(self) -> str:
        return str(self.error)


def evaluate(
    library: CompiledLibrary,
    data_source: DataSource | None = None,
    terminology: Terminology | None = None,
    parameters: Mapping[str, Any] | None = None,
    as_of: str | temporal.Date | temporal.DateTime | None = None,
    defines: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Evaluate the library's public defines (or the named ones) for one patient.

    `as_of` fixes Today() and Now() (a date: that day at 00:00 UTC); parameters override defaults.
    A define whose evaluation fails maps to a DefineError; the others are unaffected."""
    ctx = Context(data_source, terminology, dict(parameters or {}), as_of_datetime(as_of))
    return evaluate_in(library, ctx, defines)


def evaluate_in(
    library: CompiledLibrary, ctx: Context, defines: Iterable[str] | None = None
) -> dict[str, Any]:
    names = list(defines) if defines is not None else library.public_defines()
    results: dict[str, Any] = {}
    token = temporal.EVALUATION_OFFSET.set(ctx.offset)
    try:
        for name in names:
            define = library.defines.get(name)
            if define is None:
                results[name] = DefineError(CqlSemanticError(f"no define named {name}", library=library.name))
                continue
            try:
                results[name] = define_ref(library, define)(ctx, [])
            except CqlError as exc:
                results[name] = DefineError(exc)
    finally:
        temporal.EVALUATION_OFFSET.reset(token)
    return results


def evaluate_expression(text: str, as_of: str | temporal.DateTime | None = None) -> Any:
    """Evaluate one CQL expression with no data; raises CqlError if it is invalid or fails."""
    parse_expression(text)  # syntax errors name the expression's own line and column
    try:
        library = compile_library(f"library Expression\ndefine Value:\n{text}", name_hint="Expression")
        value = evaluate(library, as_of=as_of, defines=["Value"])["Value"]
        if isinstance(value, DefineError):
            raise value.error
    except CqlError as exc:
        # Report positions in the expression's own lines, not the wrapping library's.
        if exc.line is not None:
            exc.line -= _WRAPPER_LINES
        exc.library = exc.definition = None
        raise
    return value


_WRAPPER_LINES = 2


__all__ = [
    "CompiledLibrary",
    "CqlRuntimeError",
    "DefineError",
    "DirectoryResolver",
    "LibraryResolver",
    "compile_library",
    "evaluate",
    "evaluate_expression",
    "external",
]
