"""`trialcds demo` as a user runs it: the URL it prints answers at once; a taken port is one line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo(port: int, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "TRIALCDS_FEEDBACK_DB_URL": f"sqlite:///{tmp_path / 'feedback.sqlite3'}"}
    return subprocess.Popen(
        [sys.executable, "-m", "cds.cli", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_printed_url_answers_as_soon_as_it_is_printed(tmp_path: Path) -> None:
    process = demo(free_port(), tmp_path)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("trialcds demo: open http://127.0.0.1:"), line
        url = line.split("open ", 1)[1].split(" ", 1)[0]
        with urllib.request.urlopen(url, timeout=10) as page:  # no retry: it is listening already
            assert page.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = demo(port, tmp_path)
        out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert out == ""
    assert err == f"trialcds: --port {port}: 127.0.0.1:{port} is in use; choose another port\n"
