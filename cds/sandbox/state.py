"""The sandbox's state file: which server is running, so `up` and `down` can be two processes."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

STATE_FILE = "server.json"


@dataclass(frozen=True)
class SandboxState:
    """What `start` records and `stop` reads back."""

    pid: int
    port: int
    base_url: str
    log_path: str
    data_dir: str | None
    started_at: float


def read_state(state_dir: Path) -> SandboxState | None:
    """The recorded server, or None when nothing is recorded (or the file is unreadable)."""
    path = state_dir / STATE_FILE
    try:
        return SandboxState(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, TypeError):
        # A half-written or foreign file must not stop `down` from cleaning up.
        return None


def write_state(state_dir: Path, state: SandboxState) -> Path:
    """Record the server; written to a temporary file and renamed, so readers never see half."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / STATE_FILE
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(asdict(state), indent=2) + "\n", encoding="utf-8")
    os.replace(scratch, path)
    return path


def clear_state(state_dir: Path) -> None:
    (state_dir / STATE_FILE).unlink(missing_ok=True)
