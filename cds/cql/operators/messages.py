"""Message: log a message, or stop the evaluation with an error."""

from __future__ import annotations

from typing import Any

from .. import types as t
from ..errors import CqlRuntimeError
from ..runtime import Context, Message
from .registry import Fn, operator


@operator("Message", "(T, Boolean, String, String, String) -> T", builder=True)
def message(fns: list[Fn], types: list[t.CqlType]) -> Fn:
    source, condition, code, severity, text = fns

    def message_fn(ctx: Context, frame: list[Any]) -> Any:
        value = source(ctx, frame)
        if condition(ctx, frame) is not True:
            return value
        c, s, m = code(ctx, frame), severity(ctx, frame), text(ctx, frame)
        if (s or "").lower() == "error":
            raise CqlRuntimeError(f"{c}: {m}" if c else str(m))
        ctx.messages.append(Message(value, c, s, m))
        return value

    return message_fn
