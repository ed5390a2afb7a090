"""Evaluating patients against the protocols: content loaded and compiled once, then per patient one
evaluation context shared by every protocol (a mapping define such as the latest hemoglobin is
computed once per patient, whichever trials use it)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content import content_dir
from ..cql import CompiledLibrary, CqlError, DefineError, DirectoryResolver, compile_library
from ..cql.engine import evaluate_in
from ..cql.runtime import Context, as_of_datetime
from ..cql.values import temporal
from ..fhir.reader import PatientData
from ..fhir.record import PatientRecord
from ..fhir.terminology import ValueSetLibrary
from .externals import EXTERNALS
from .protocol import CriterionSpec, ProtocolError, ProtocolSpec, load_protocol
from .results import STATUSES, CriterionResult, Evidence, PatientResult, ProtocolResult

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoadedProtocol:
    spec: ProtocolSpec
    libraries: dict[str, CompiledLibrary]

    def library_of(self, criterion_library: str | None) -> CompiledLibrary:
        name = criterion_library or self.spec.libraries[0]
        return self.libraries[name]


def protocol_folders(root: Path | None = None) -> list[Path]:
    base = root or content_dir("protocols")
    return sorted(p.parent for p in base.glob("*/protocol.yaml"))


def compile_protocol(folder: Path, mappings: Path | None = None) -> LoadedProtocol:
    """Load protocol.yaml and compile its CQL (CqlError and ProtocolError name file and problem)."""
    spec = load_protocol(folder)
    resolver = DirectoryResolver((folder, mappings or content_dir("fhir_mappings")))
    libraries = {}
    for name in spec.libraries:
        path = folder / f"{name}.cql"
        try:
            libraries[name] = compile_library(path.read_text(encoding="utf-8"), resolver, EXTERNALS, name)
        except CqlError as exc:
            exc.library = exc.library or str(path)
            raise
    loaded = LoadedProtocol(spec, libraries)
    _check_defines(loaded)
    return loaded


def _check_defines(loaded: LoadedProtocol) -> None:
    """Every criterion has its define, and every public define of a criteria library is a criterion."""
    spec = loaded.spec
    source = str(spec.folder / "protocol.yaml")
    wanted: dict[str, set[str]] = {name: set() for name in spec.libraries}
    for c in spec.criteria:
        lib_name = c.library or spec.libraries[0]
        if lib_name not in loaded.libraries:
            raise ProtocolError(source, f"criterion {c.id}: unknown library {lib_name}")
        wanted[lib_name].add(c.id)
        if c.id not in loaded.libraries[lib_name].defines:
            raise ProtocolError(source, f'criterion {c.id} has no define "{c.id}" in {lib_name}.cql')
    for name, lib in loaded.libraries.items():
        extra = sorted(set(lib.public_defines()) - wanted[name])
        if extra:
            raise ProtocolError(
                str(spec.folder / f"{name}.cql"),
                f'define "{extra[0]}" is not a criterion of protocol.yaml (make helper defines private)',
            )


class Screener:
    """Protocols and terminology, loaded once; `evaluate` runs one patient."""

    def __init__(
        self,
        protocols: Sequence[LoadedProtocol],
        terminology: ValueSetLibrary,
    ) -> None:
        self.protocols = list(protocols)
        self.terminology = terminology

    @classmethod
    def load(cls, protocol_ids: Iterable[str] | None = None, root: Path | None = None) -> Screener:
        mappings = content_dir("fhir_mappings")
        terminology = ValueSetLibrary.load(mappings / "valuesets", mappings / "conceptmaps")
        loaded = [compile_protocol(folder, mappings) for folder in protocol_folders(root)]
        if protocol_ids is not None:
            wanted = list(protocol_ids)
            known = {p.spec.id for p in loaded}
            for pid in wanted:
                if pid not in known:
                    raise ProtocolError(pid, f"unknown protocol (known: {', '.join(sorted(known))})")
            loaded = [p for p in loaded if p.spec.id in wanted]
        return cls(loaded, terminology)

    def context(
        self, record: PatientRecord, as_of: str | temporal.Date | temporal.DateTime | None
    ) -> Context:
        ctx = Context(record, self.terminology, {}, as_of_datetime(as_of))
        ctx.patient = record.patient
        return ctx

    def evaluate(
        self,
        patient: PatientData,
        as_of: str | None = None,
        record: PatientRecord | None = None,
        *,
        complete: bool = True,
    ) -> PatientResult:
        """Every protocol's (and cohort's) result for one patient.

        With `complete=False` a protocol or cohort stops at its first failing criterion: its verdict
        is then decided (ineligible, the CRITERIA.md rule, whatever the order) and its result holds
        the criteria evaluated up to that fail, in protocol order. A cohort tries its own criteria
        before those it shares with the other cohorts. Any other result is whole. For answers that
        show only what is not ineligible (patient-view cards); a report of every criterion needs
        `complete=True`."""
        record = record or PatientRecord(patient.resources)
        ctx = self.context(record, as_of)
        results: list[ProtocolResult] = []
        for loaded in self.protocols:
            results.extend(self.evaluate_protocol(loaded, ctx, complete))
        return PatientResult(f"Patient/{patient.patient_id}", temporal.to_string(ctx.today), tuple(results))

    def evaluate_protocol(
        self, loaded: LoadedProtocol, ctx: Context, complete: bool = True
    ) -> list[ProtocolResult]:
        spec = loaded.spec
        # A criterion shared by cohorts is evaluated once; the context remembers what its define read.
        criteria: dict[str, CriterionResult] = {}

        def result_of(c: CriterionSpec) -> CriterionResult:
            found = criteria.get(c.id)
            if found is None:
                value = evaluate_in(loaded.library_of(c.library), ctx, [c.id])[c.id]
                found = criteria[c.id] = _criterion(c.id, c.kind, c.text, value)
            return found

        out = []
        for cohort in spec.cohorts or (None,):
            cid = cohort.id if cohort is not None else None
            listed = spec.criteria_for(cid)
            chosen = [result_of(c) for c in listed] if complete else _until_fail(listed, result_of)
            out.append(
                ProtocolResult(
                    protocol=spec.id,
                    nct=spec.nct,
                    title=spec.short_title,
                    criteria=tuple(chosen),
                    cohort=cid,
                    cohort_title=cohort.title if cohort is not None else None,
                )
            )
        return out


def _until_fail(
    listed: Sequence[CriterionSpec], result_of: Callable[[CriterionSpec], CriterionResult]
) -> list[CriterionResult]:
    """The criteria evaluated up to the first fail, shown in protocol order. A cohort's own criteria
    (its diagnosis above all) go first: most patients whose chart opens have none of the trial's
    diseases, and the criteria every cohort shares (labs, medications, infections) are most of the
    work. Without cohorts, protocol order."""
    order = sorted(range(len(listed)), key=lambda i: not listed[i].cohorts)  # stable: own, then shared
    done: dict[int, CriterionResult] = {}
    for i in order:
        done[i] = result_of(listed[i])
        if done[i].status == "fail":
            break
    return [done[i] for i in sorted(done)]


def _criterion(cid: str, kind: str, text: str, value: Any) -> CriterionResult:
    """A criterion define's value (Tuple {status, evidence, check}) as a result; anything else is
    reported as unknown with the reason, never silently as pass or fail."""
    if isinstance(value, DefineError):
        log.error("criterion %s could not be evaluated: %s", cid, value.error.message)
        return CriterionResult(
            cid, kind, "unknown", text, (), f"the rule could not be evaluated ({value.error.message})"
        )
    if not isinstance(value, dict) or value.get("status") not in STATUSES:
        return CriterionResult(cid, kind, "unknown", text, (), "the rule returned no status")
    evidence = tuple(
        Evidence(str(e["display"]), e.get("reference") or None, _date(e.get("date")))
        for e in value.get("evidence") or ()
        if isinstance(e, dict) and e.get("display")
    )
    check = value.get("check") or None
    return CriterionResult(cid, kind, value["status"], text, evidence, str(check) if check else None)


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, temporal.DateTime):
        return temporal.to_string(temporal.datetime_to_date(value))
    if isinstance(value, temporal.Date):
        return temporal.to_string(value)
    return str(value)
