"""What `trialcds sandbox up|down|load` does, as plain functions (cds/cli.py only parses and prints).

`up` keeps its H2 database in var/hapi/h2 unless asked for memory, so patients loaded once survive
`down` and `up`; `load` sends each demo patient's Bundle to the running sandbox as a transaction."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..content import content_dir
from .errors import HapiError
from .hapi import DEFAULT_PORT, STATE_DIR, LoadReport, build, load, running, start, stop, wait_ready

DEMO_PATIENTS = content_dir("data") / "demo-patients"
DATA_DIR_NAME = "h2"
READY_TIMEOUT_S = 300.0

Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class UpReport:
    base_url: str
    already_running: bool
    build_s: float = 0.0
    start_s: float = 0.0


def up(
    port: int = DEFAULT_PORT,
    *,
    in_memory: bool = False,
    state_dir: Path = STATE_DIR,
    say: Say = lambda _: None,
) -> UpReport:
    """Build when needed, start HAPI and wait for /metadata; a running sandbox is left as it is.

    `state_dir` records the server (and holds its H2 files unless `in_memory`).
    """
    if not 0 < port < 65536:
        raise HapiError(f"--port {port}: not a TCP port")
    current = running(state_dir)
    if current is not None:
        if current.port != port:
            raise HapiError(f"a sandbox already runs at {current.base_url}; `trialcds sandbox down` first")
        return UpReport(current.base_url, already_running=True)
    began = time.monotonic()
    say("building the HAPI launcher when needed (the first build downloads ~350 MB, a few minutes)")
    jar = build()
    built = time.monotonic()
    server = start(port, None if in_memory else state_dir / DATA_DIR_NAME, state_dir=state_dir, jar=jar)
    say(f"HAPI starting (pid {server.pid}, log {server.log_path})")
    try:
        wait_ready(server.base_url, READY_TIMEOUT_S, server=server)
    except HapiError:
        stop(server)
        raise
    return UpReport(server.base_url, False, built - began, time.monotonic() - built)


def down(state_dir: Path = STATE_DIR) -> bool:
    """Stop the sandbox another process started; False when none was running."""
    return stop(state_dir=state_dir)


def demo_bundles(folder: Path = DEMO_PATIENTS) -> list[dict[str, Any]]:
    """Every *.json Bundle of the folder, in name order; HapiError names a file that is not one."""
    if not folder.is_dir():
        raise HapiError(f"{folder}: no such folder")
    bundles = []
    for path in sorted(folder.glob("*.json")):
        try:
            bundle = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise HapiError(f"{path}: not readable JSON ({exc})") from None
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            raise HapiError(f"{path}: not a FHIR Bundle")
        bundles.append(bundle)
    if not bundles:
        raise HapiError(f"{folder}: no demo patients (*.json Bundles) to load")
    return bundles


def load_demo(folder: Path = DEMO_PATIENTS, state_dir: Path = STATE_DIR) -> tuple[str, LoadReport]:
    """Load the demo patients into the running sandbox; its base URL and what was sent."""
    bundles = demo_bundles(folder)
    server = running(state_dir)
    if server is None:
        raise HapiError("no sandbox is running; start one with `trialcds sandbox up`")
    return server.base_url, load(server.base_url, bundles)
