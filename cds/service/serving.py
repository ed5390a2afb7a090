"""Running the app under uvicorn for `trialcds serve` and `trialcds demo`."""

from __future__ import annotations

import socket

import uvicorn


class AnnouncingServer(uvicorn.Server):
    """Prints `message` once the socket listens: a URL opened as soon as it is printed must not be
    refused (loading the trials takes seconds, and people click fast)."""

    def __init__(self, config: uvicorn.Config, message: str) -> None:
        super().__init__(config)
        self.message = message

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            print(self.message, flush=True)


def port_in_use(host: str, port: int) -> bool:
    """Whether binding host:port fails now (another server, or a port this user may not take)."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError:
        return True
    return False
