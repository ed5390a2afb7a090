"""The screening state: a JSON Lines file that results are appended to as they complete, so that an
interrupted run, started again with the same options, continues where it stopped and loses nothing.

The first line describes the run (source, protocols, as-of date); each later line is one patient's
outcome: `{"patient": id, "record": {...}}` (the CONTRACT result plus name and birth date) or
`{"patient": id, "problem": "..."}` (not screened; tried again next time). A line cut short by a kill
is dropped when the file is opened again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from .errors import ScreeningError


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What makes two runs the same run: resuming one only makes sense with identical options."""

    source: str
    protocols: tuple[str, ...]
    as_of: str

    @property
    def key(self) -> str:
        """A short digest of the options, naming the state file.

        >>> RunInfo("http://x/fhir", ("a-duse",), "2026-11-01").key
        'c6bf02622a60'
        """
        text = json.dumps([self.source, list(self.protocols), self.as_of])
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One patient's line in the state: a screening record, or why the patient was not screened."""

    patient: str
    record: Mapping[str, Any] | None = None
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"patient": self.patient}
        if self.record is not None:
            out["record"] = dict(self.record)
        if self.problem is not None:
            out["problem"] = self.problem
        return out


class ScreeningState:
    """The state file of one run, open for appending."""

    def __init__(self, path: Path, run: RunInfo, outcomes: dict[str, Outcome], stream: TextIO) -> None:
        self.path = path
        self.run = run
        self._outcomes = outcomes
        self._stream = stream

    @classmethod
    def open(cls, folder: Path, run: RunInfo, fresh: bool = False) -> ScreeningState:
        """The run's state in `folder` (created when new; emptied first when `fresh`)."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScreeningError(f"{folder}: cannot create the state folder ({exc.strerror})") from None
        path = folder / f"screen-{run.key}.jsonl"
        if fresh:
            path.unlink(missing_ok=True)
        outcomes, intact = _read(path, run)
        if path.exists():
            _truncate(path, intact)
        stream = path.open("a", encoding="utf-8")
        if intact == 0:
            _write_line(stream, {"run": asdict(run)})
        return cls(path, run, outcomes, stream)

    def screened(self) -> dict[str, Outcome]:
        """Patients with a result (the ones that failed are tried again)."""
        return {pid: o for pid, o in self._outcomes.items() if o.record is not None}

    def outcomes(self) -> dict[str, Outcome]:
        return dict(self._outcomes)

    def append(self, outcome: Outcome) -> None:
        _write_line(self._stream, outcome.to_json())
        self._outcomes[outcome.patient] = outcome

    def close(self) -> None:
        self._stream.close()


def _write_line(stream: TextIO, value: Mapping[str, Any]) -> None:
    # One write per line and a flush: a killed process leaves at most its last line cut short.
    stream.write(json.dumps(value, separators=(",", ":"), ensure_ascii=False) + "\n")
    stream.flush()


def _read(path: Path, run: RunInfo) -> tuple[dict[str, Outcome], int]:
    """The outcomes in the file, and the byte length of its complete lines."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, 0
    outcomes: dict[str, Outcome] = {}
    intact = 0
    for number, raw in enumerate(data.splitlines(keepends=True)):
        try:
            line = json.loads(raw) if raw.endswith(b"\n") else None
        except (ValueError, RecursionError):
            line = None
        if not isinstance(line, dict):
            break  # a line cut short: it and anything after it is dropped
        if number == 0:
            if line.get("run") != _as_lists(asdict(run)):
                raise ScreeningError(f"{path}: the state of another run; remove it or use another --state")
        elif isinstance(line.get("patient"), str):
            outcomes[line["patient"]] = Outcome(line["patient"], line.get("record"), line.get("problem"))
        intact += len(raw)
    return outcomes, intact


def _as_lists(value: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in value.items()}


def _truncate(path: Path, length: int) -> None:
    if path.stat().st_size != length:
        with path.open("r+b") as f:
            f.truncate(length)
            os.fsync(f.fileno())
