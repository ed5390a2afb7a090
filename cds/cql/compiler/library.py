"""A compiled library: defines, functions, parameters and terminology, each compiled once to a Python
function (ctx, frame) -> value.

Defines are compiled in dependency order on first reference (forward references work; a cycle is a
semantic error). At evaluation time a define's value is computed once per Context and cached there;
an error is cached too, so every define that depends on a failed one reports it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import ast as a
from .. import types as t
from ..errors import CqlError, CqlRuntimeError, CqlSemanticError
from ..runtime import Context
from .scope import Fn

_UIDS = itertools.count(1)


@dataclass(slots=True)
class CompiledDefine:
    name: str
    node: a.ExpressionDef
    type: t.CqlType = t.ANY
    fn: Fn | None = None
    frame_size: int = 0
    state: str = "pending"  # pending, compiling, done


@dataclass(slots=True)
class CompiledFunction:
    name: str
    node: a.FunctionDef
    operand_types: tuple[t.CqlType, ...]
    return_type: t.CqlType = t.ANY
    fn: Fn | None = None  # the body, called with a frame whose first slots are the operands
    frame_size: int = 0
    external: Callable[..., Any] | None = None
    state: str = "pending"


@dataclass(slots=True)
class CompiledParameter:
    name: str
    node: a.ParameterDef
    type: t.CqlType = t.ANY
    default: Fn | None = None
    frame_size: int = 0


@dataclass(slots=True)
class TerminologyDef:
    kind: str  # codesystem, valueset, code, concept
    value: Any
    type: t.CqlType
    private: bool


@dataclass(frozen=True, slots=True)
class DataRequirement:
    """What one retrieve reads: a resource type, and the code filter when there is one."""

    type: str
    code_path: str | None = None
    valueset: str | None = None
    codes: tuple[tuple[str | None, str | None], ...] = ()

    def __str__(self) -> str:
        if self.valueset:
            return f"{self.type}.{self.code_path} in {self.valueset}"
        if self.codes:
            shown = ", ".join(f"{s}|{c}" if s else str(c) for s, c in self.codes)
            return f"{self.type}.{self.code_path} ~ {shown}"
        return self.type


@dataclass(slots=True)
class CompiledLibrary:
    name: str
    version: str | None
    source: str
    uid: int = field(default_factory=lambda: next(_UIDS))
    models: tuple[str, ...] = ()
    includes: dict[str, CompiledLibrary] = field(default_factory=dict)
    defines: dict[str, CompiledDefine] = field(default_factory=dict)
    functions: dict[str, list[CompiledFunction]] = field(default_factory=dict)
    parameters: dict[str, CompiledParameter] = field(default_factory=dict)
    terminology: dict[str, TerminologyDef] = field(default_factory=dict)
    contexts: tuple[str, ...] = ()
    requirements: list[DataRequirement] = field(default_factory=list)

    def all_requirements(self) -> list[DataRequirement]:
        """This library's retrieves and those of the libraries it includes, without duplicates."""
        found: dict[DataRequirement, None] = dict.fromkeys(self.requirements)
        for included in self.includes.values():
            found.update(dict.fromkeys(included.all_requirements()))
        return list(found)

    def public_defines(self) -> list[str]:
        return [n for n, d in self.defines.items() if not d.node.private]

    def __repr__(self) -> str:
        return f"CompiledLibrary({self.name!r}, {len(self.defines)} defines)"


class _Failed:
    """A cached evaluation error: dependents of a failed define fail with the same error."""

    __slots__ = ("error",)

    def __init__(self, error: CqlError) -> None:
        self.error = error


def define_ref(library: CompiledLibrary, define: CompiledDefine) -> Fn:
    """The closure that reads a define's value, computing it once per evaluation context."""
    key = (library.uid, define.name)
    name = define.name
    lib_name = library.name

    def ref(ctx: Context, frame: list[Any]) -> Any:
        cache = ctx.define_cache
        if key in cache:
            value = cache[key]
            if type(value) is _Failed:
                raise value.error
            return value
        body = define.fn
        assert body is not None, f"define {name} used before compilation"
        try:
            value = body(ctx, [None] * define.frame_size)
        except CqlError as exc:
            cache[key] = _Failed(exc.located(library=lib_name, definition=name))
            raise
        except RecursionError:
            err = CqlRuntimeError("evaluation nested too deeply", library=lib_name, definition=name)
            cache[key] = _Failed(err)
            raise err from None
        except (ArithmeticError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            # An engine bug or an unexpected value shape must not stop other defines: report it here.
            err = CqlRuntimeError(f"{type(exc).__name__}: {exc}", library=lib_name, definition=name)
            cache[key] = _Failed(err)
            raise err from exc
        cache[key] = value
        return value

    return ref


def parameter_ref(library: CompiledLibrary, param: CompiledParameter) -> Fn:
    key = (library.uid, "parameter:" + param.name)
    qualified = f"{library.name}.{param.name}"
    name = param.name

    def ref(ctx: Context, frame: list[Any]) -> Any:
        params = ctx.parameters
        if name in params:
            return params[name]
        if qualified in params:
            return params[qualified]
        cache = ctx.define_cache
        if key in cache:
            return cache[key]
        value = None if param.default is None else param.default(ctx, [None] * param.frame_size)
        cache[key] = value
        return value

    return ref


def semantic(message: str, node: Any, library: str | None = None) -> CqlSemanticError:
    pos = getattr(node, "pos", a.NOWHERE)
    return CqlSemanticError(message, library=library, line=pos.line or None, column=pos.column or None)
