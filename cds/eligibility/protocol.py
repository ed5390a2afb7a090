"""Protocol metadata: protocols/<trial>/protocol.yaml, checked when loaded.

    id, nct, title, short_title, phase, sponsor, contact, links, seed
    libraries: [the CQL files of this folder whose defines are the criteria]
    cohorts: [{id, title}]           (absent: one result for the whole protocol)
    criteria: [{id, kind, text, seed, reading, cohorts?, library?}]
    screening: {diagnoses: [ValueSet ids]}   (optional: what makes a patient a candidate in `trialcds
                                               screen`; absent: every patient on the server is one)
A criterion without `cohorts` belongs to every cohort. Its CQL define has the criterion's id as name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .results import KINDS


class ProtocolError(Exception):
    """A protocol folder that cannot be used: names the file and the problem."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    id: str
    kind: str
    text: str
    seed: str
    reading: str
    cohorts: tuple[str, ...] = ()  # empty: every cohort
    library: str | None = None


@dataclass(frozen=True, slots=True)
class Cohort:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class ProtocolSpec:
    id: str
    nct: str
    title: str
    short_title: str
    phase: str
    sponsor: str
    folder: Path
    libraries: tuple[str, ...]
    criteria: tuple[CriterionSpec, ...]
    cohorts: tuple[Cohort, ...] = ()
    links: tuple[Link, ...] = ()
    contact: str = ""
    seed: str = ""
    screening_diagnoses: tuple[str, ...] = ()

    @property
    def registry_url(self) -> str:
        return f"https://clinicaltrials.gov/study/{self.nct}"

    def criteria_for(self, cohort: str | None) -> tuple[CriterionSpec, ...]:
        return tuple(c for c in self.criteria if not c.cohorts or cohort in c.cohorts)


def _require(data: dict[str, Any], key: str, source: str, kind: type = str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
        raise ProtocolError(source, f"`{key}` is missing or not a {kind.__name__}")
    return value


def load_protocol(folder: Path) -> ProtocolSpec:
    path = folder / "protocol.yaml"
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProtocolError(source, "no such file") from None
    except yaml.YAMLError as exc:
        raise ProtocolError(source, f"not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ProtocolError(source, "not a mapping")
    cohorts = tuple(
        Cohort(_require(c, "id", source), _require(c, "title", source)) for c in data.get("cohorts") or []
    )
    cohort_ids = {c.id for c in cohorts}
    criteria = []
    seen: set[str] = set()
    for raw in _require(data, "criteria", source, list):
        if not isinstance(raw, dict):
            raise ProtocolError(source, "each criterion must be a mapping")
        cid = _require(raw, "id", source)
        if cid in seen:
            raise ProtocolError(source, f"criterion {cid} is listed twice")
        seen.add(cid)
        kind = _require(raw, "kind", source)
        if kind not in KINDS:
            raise ProtocolError(source, f"criterion {cid}: kind must be inclusion or exclusion, not {kind!r}")
        in_cohorts = tuple(raw.get("cohorts") or ())
        unknown = set(in_cohorts) - cohort_ids
        if unknown:
            raise ProtocolError(source, f"criterion {cid}: unknown cohort {sorted(unknown)[0]}")
        criteria.append(
            CriterionSpec(
                id=cid,
                kind=kind,
                text=_require(raw, "text", source),
                seed=str(raw.get("seed", "")),
                reading=str(raw.get("reading", "")),
                cohorts=in_cohorts,
                library=raw.get("library"),
            )
        )
    libraries = tuple(_require(data, "libraries", source, list))
    for lib in libraries:
        if not (folder / f"{lib}.cql").is_file():
            raise ProtocolError(source, f"library {lib} has no file {lib}.cql in {folder}")
    links = tuple(
        Link(str(x["label"]), str(x["url"])) for x in data.get("links") or [] if isinstance(x, dict)
    )
    return ProtocolSpec(
        id=_require(data, "id", source),
        nct=_require(data, "nct", source),
        title=_require(data, "title", source),
        short_title=str(data.get("short_title") or data["id"]),
        phase=str(data.get("phase", "")),
        sponsor=str(data.get("sponsor", "")),
        folder=folder,
        libraries=libraries,
        criteria=tuple(criteria),
        cohorts=cohorts,
        links=links,
        contact=str(data.get("contact", "")),
        seed=str(data.get("seed", "")),
        screening_diagnoses=_screening_diagnoses(data.get("screening"), source),
    )


def _screening_diagnoses(screening: Any, source: str) -> tuple[str, ...]:
    if screening is None:
        return ()
    diagnoses = screening.get("diagnoses") if isinstance(screening, dict) else None
    if not isinstance(diagnoses, list) or not all(isinstance(d, str) and d for d in diagnoses):
        raise ProtocolError(source, "`screening.diagnoses` must be a list of ValueSet ids")
    return tuple(diagnoses)
