"""Process and port checks that `start` and `stop` rely on."""

from __future__ import annotations

import socket
import subprocess
import sys

from cds.sandbox.process import free_port, is_alive, port_is_free, runs_command, terminate


def test_a_port_someone_listens_on_is_not_free() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert not port_is_free(listener.getsockname()[1])


def test_a_port_nobody_holds_is_free() -> None:
    assert port_is_free(free_port())


def test_a_terminated_child_is_no_longer_alive() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    assert is_alive(child.pid)
    terminate(child.pid, timeout_s=10)
    assert not is_alive(child.pid)


def test_the_command_line_check_tells_our_server_from_another_process() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "hapi-sandbox.jar"])
    try:
        assert runs_command(child.pid, "hapi-sandbox.jar")
        assert not runs_command(child.pid, "some-other.jar")
    finally:
        terminate(child.pid, timeout_s=10)
