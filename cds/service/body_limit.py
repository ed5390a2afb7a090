"""Request size limit, enforced before a byte of an oversized body is parsed.

A declared Content-Length over the limit is refused at once; a chunked body is counted as it streams
and refused as soon as it crosses the limit, so neither form can make the service buffer more.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cds.service.errors import PayloadTooLarge, operation_outcome
from cds.service.wire import WireResponse


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the route's body read; the app's handlers answer 413.
                    raise PayloadTooLarge(self._diagnostics())
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = operation_outcome(PayloadTooLarge.issue_code, self._diagnostics())
        await WireResponse(body, status_code=PayloadTooLarge.status)(scope, receive, send)

    def _diagnostics(self) -> str:
        return f"request body exceeds {self.max_bytes} bytes"
