"""Processes and ports on this machine: is a pid alive, is it our server, is a port free."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

LOOPBACK = "127.0.0.1"


def is_alive(pid: int) -> bool:
    """True while the process runs (a zombie child is reaped and counts as gone)."""
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    except ChildProcessError:
        pass  # not our child: only a signal probe can tell
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def runs_command(pid: int, marker: str) -> bool:
    """Whether the process's command line contains `marker`.

    Guards against killing an unrelated process that reused a recorded pid. Where /proc is
    missing the check cannot be made and the recorded pid is trusted.
    """
    if not Path("/proc/self/cmdline").exists():
        return True
    return marker in _command_line(pid)


def _command_line(pid: int) -> str:
    """The process's arguments joined by spaces; empty if it is gone.

    A child caught in the middle of exec shows an empty command line for a moment, so an empty
    answer is read again briefly before it is believed.
    """
    for _ in range(20):
        try:
            raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return ""
        if raw:
            return raw.replace(b"\0", b" ").decode(errors="replace")
        time.sleep(0.05)
    return ""


def terminate(pid: int, timeout_s: float) -> None:
    """SIGTERM (the JVM's shutdown hook stops Jetty and the database), then SIGKILL if it lingers."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if _wait_until(lambda: not is_alive(pid), timeout_s):
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    _wait_until(lambda: not is_alive(pid), 10.0)


def port_is_free(port: int) -> bool:
    """True when nothing accepts connections on 127.0.0.1:port and the port can be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        if probe.connect_ex((LOOPBACK, port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as binder:
        # As the JVM does: connections of a stopped server lingering in TIME_WAIT do not block a
        # new listener, so they must not make the port look taken either.
        binder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            binder.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def wait_port_free(port: int, timeout_s: float) -> bool:
    return _wait_until(lambda: port_is_free(port), timeout_s)


def free_port() -> int:
    """A port that is free on 127.0.0.1 right now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as binder:
        binder.bind((LOOPBACK, 0))
        return int(binder.getsockname()[1])


def _wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
