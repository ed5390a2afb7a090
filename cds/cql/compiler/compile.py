"""Library AST -> CompiledLibrary: symbol tables, then every define and function compiled once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import ast as a
from .. import types as t
from ..errors import CqlError
from ..models import fhir_model
from ..values.code import Code, CodeSystemRef, Concept, ValueSetRef
from .expressions import ExpressionCompiler
from .library import (
    CompiledDefine,
    CompiledFunction,
    CompiledLibrary,
    CompiledParameter,
    TerminologyDef,
    semantic,
)
from .scope import new_scope

SUPPORTED_MODELS = {"System": None, "FHIR": ("4.0.0", "4.0.1")}


# Compiles an included library: (name, version) -> CompiledLibrary, or None when unknown.
IncludeLoader = Callable[[str, str | None], CompiledLibrary | None]


Externals = dict[str, Callable[..., Any]]


class LibraryCompiler:
    def __init__(
        self,
        library: a.Library,
        source: str,
        load_include: IncludeLoader,
        externals: Externals | None = None,
        name_hint: str | None = None,
    ) -> None:
        self.ast = library
        self.load_include = load_include
        self.externals = externals or {}
        name = library.name or name_hint or "Anonymous"
        self.compiled = CompiledLibrary(name=name, version=library.version, source=source)
        self.expressions = ExpressionCompiler(self)

    def error(self, message: str, node: Any) -> CqlError:
        return semantic(message, node, self.compiled.name)

    # ---------------------------------------------------------------------------------- driver
    def run(self) -> CompiledLibrary:
        lib, tree = self.compiled, self.ast
        models = []
        for using in tree.usings:
            if using.model not in SUPPORTED_MODELS:
                raise self.error(f"unknown data model {using.model}; this engine knows FHIR 4.0.1", using)
            versions = SUPPORTED_MODELS[using.model]
            if versions and using.version and using.version not in versions:
                raise self.error(f"FHIR version {using.version} is not supported (4.0.1 is)", using)
            models.append(using.model)
        lib.models = tuple(models)
        lib.contexts = tree.contexts
        for include in tree.includes:
            included = self.load_include(include.path, include.version)
            if included is None:
                raise self.error(f"cannot find included library {include.path}", include)
            lib.includes[include.alias] = included
        self._terminology()
        for param in tree.parameters:
            self._unique(param.name, param)
            lib.parameters[param.name] = CompiledParameter(param.name, param)
        for node in tree.functions:
            operand_types = tuple(self.resolve_type(o.type) for o in node.operands)
            compiled = CompiledFunction(node.name, node, operand_types)
            if node.return_type is not None:
                compiled.return_type = self.resolve_type(node.return_type)
            if node.body is None:
                compiled.external = self._external(node)
                compiled.state = "done"
            lib.functions.setdefault(node.name, []).append(compiled)
        for define in tree.expressions:
            self._unique(define.name, define)
            lib.defines[define.name] = CompiledDefine(define.name, define)
        for name in lib.parameters:
            self.ensure_parameter(name)
        for name in list(lib.defines):
            self.ensure_define(name, lib.defines[name].node)
        for overloads in lib.functions.values():
            for func in overloads:
                self.ensure_function(func)
        return lib

    def _unique(self, name: str, node: Any) -> None:
        lib = self.compiled
        if name in lib.defines or name in lib.parameters or name in lib.terminology:
            raise self.error(f"{name} is defined twice", node)

    def _external(self, func: a.FunctionDef) -> Callable[..., Any]:
        key = f"{self.compiled.name}.{func.name}"
        impl = self.externals.get(key) or self.externals.get(func.name)
        if impl is None:
            raise self.error(f"external function {func.name} has no Python binding", func)
        return impl

    # ----------------------------------------------------------------------------- terminology
    def _terminology(self) -> None:
        lib, tree = self.compiled, self.ast
        for cs in tree.codesystems:
            self._unique(cs.name, cs)
            lib.terminology[cs.name] = TerminologyDef(
                "codesystem", CodeSystemRef(cs.id, cs.version, cs.name), t.CODESYSTEM, cs.private
            )
        for vs in tree.valuesets:
            self._unique(vs.name, vs)
            for ref in vs.codesystems:
                self.codesystem(ref, vs)
            lib.terminology[vs.name] = TerminologyDef(
                "valueset", ValueSetRef(vs.id, vs.version, vs.name), t.VALUESET, vs.private
            )
        for cd in tree.codes:
            self._unique(cd.name, cd)
            system = self.codesystem(cd.system, cd)
            code = Code(cd.code, system.id, system.version, cd.display)
            lib.terminology[cd.name] = TerminologyDef("code", code, t.CODE, cd.private)
        for cn in tree.concepts:
            self._unique(cn.name, cn)
            codes = []
            for ref in cn.codes:
                term = self._terminology_ref(ref, cn)
                if term.kind != "code":
                    raise self.error(f"{ref} is not a code", cn)
                codes.append(term.value)
            lib.terminology[cn.name] = TerminologyDef(
                "concept", Concept(tuple(codes), cn.display), t.CONCEPT, cn.private
            )

    def _terminology_ref(self, ref: a.QualifiedName, node: Any) -> TerminologyDef:
        lib = self.compiled
        if ref.library:
            included = lib.includes.get(ref.library)
            if included is None:
                raise self.error(f"unknown library {ref.library}", node)
            term = included.terminology.get(ref.name)
        else:
            term = lib.terminology.get(ref.name)
        if term is None:
            raise self.error(f"Could not resolve {ref}", node)
        return term

    def codesystem(self, ref: a.QualifiedName, node: Any) -> CodeSystemRef:
        term = self._terminology_ref(ref, node)
        if term.kind != "codesystem":
            raise self.error(f"{ref} is not a code system", node)
        value: CodeSystemRef = term.value
        return value

    # ---------------------------------------------------------------------- on-demand compile
    def ensure_define(self, name: str, node: Any) -> CompiledDefine | None:
        define = self.compiled.defines.get(name)
        if define is None:
            return None
        if define.state == "done":
            return define
        if define.state == "compiling":
            raise self.error(f"define {name} refers to itself (a cycle of defines)", node)
        define.state = "compiling"
        scope = new_scope()
        try:
            body = self.expressions.compile(define.node.expr, scope)
        except CqlError as exc:
            exc.located(library=self.compiled.name, definition=name)
            raise
        define.fn = body.named_fn(f"{self.compiled.name}.{name}")
        define.type, define.frame_size = body.type, scope.layout.size
        define.state = "done"
        return define

    def ensure_parameter(self, name: str) -> None:
        param = self.compiled.parameters[name]
        if param.default is not None or param.type != t.ANY:
            return
        declared = self.resolve_type(param.node.type) if param.node.type else None
        if param.node.default is not None:
            scope = new_scope()
            body = self.expressions.compile(param.node.default, scope)
            param.default, param.frame_size = body.fn, scope.layout.size
            param.type = declared or body.type
        else:
            param.type = declared or t.ANY

    def ensure_function(self, func: CompiledFunction) -> None:
        if func.state == "done":
            return
        if func.state == "compiling":
            if func.node.return_type is None:
                raise self.error(f"recursive function {func.name} needs a declared return type", func.node)
            return
        func.state = "compiling"
        scope = new_scope()
        for operand, operand_type in zip(func.node.operands, func.operand_types, strict=True):
            scope.declare(operand.name, operand_type, "operand")
        assert func.node.body is not None
        try:
            body = self.expressions.compile(func.node.body, scope)
        except CqlError as exc:
            exc.located(library=self.compiled.name, definition=func.name)
            raise
        func.fn = body.named_fn(f"{self.compiled.name}.{func.name}()")
        func.frame_size = scope.layout.size
        if func.node.return_type is None:
            func.return_type = body.type
        func.state = "done"

    def shadows_library(self, name: str) -> bool:
        lib = self.compiled
        return name in lib.defines or name in lib.parameters or name in lib.terminology

    # ----------------------------------------------------------------------------------- types
    def resolve_type(self, spec: a.TypeSpec) -> t.CqlType:
        if isinstance(spec, a.ListTypeSpec):
            return t.ListType(self.resolve_type(spec.element))
        if isinstance(spec, a.IntervalTypeSpec):
            return t.IntervalType(self.resolve_type(spec.point))
        if isinstance(spec, a.TupleTypeSpec):
            return t.TupleType(tuple((n, self.resolve_type(e)) for n, e in spec.elements))
        if isinstance(spec, a.ChoiceTypeSpec):
            return t.ChoiceType(tuple(self.resolve_type(c) for c in spec.choices))
        return self._named(spec)

    def _named(self, spec: a.NamedTypeSpec) -> t.CqlType:
        qualifier, name = spec.qualifier, spec.name
        if qualifier in (None, "System") and name in t.SYSTEM_TYPES:
            return t.SYSTEM_TYPES[name]
        if qualifier in (None, "FHIR") and ("FHIR" in self.compiled.models or qualifier == "FHIR"):
            model = fhir_model()
            if model.has_type(name):
                return model.static_type(name) if model.primitive(name) else t.NamedType("FHIR." + name)
        raise self.error(f"unknown type {spec}", spec)
