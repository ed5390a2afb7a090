"""Hook service definitions: hooks/<service>.yaml, one per CDS Hooks service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CARD_KINDS = ("eligibility", "medication-check")


class HookDefinitionError(Exception):
    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")


@dataclass(frozen=True, slots=True)
class HookDefinition:
    id: str
    hook: str
    title: str
    description: str
    cards: str
    protocols: tuple[str, ...] | None  # None: every protocol


def load_hooks(folder: Path) -> list[HookDefinition]:
    hooks = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise HookDefinitionError(str(path), f"not valid YAML ({exc})") from None
        if not isinstance(data, dict):
            raise HookDefinitionError(str(path), "not a mapping")
        missing = [k for k in ("id", "hook", "title", "description", "cards") if not data.get(k)]
        if missing:
            raise HookDefinitionError(str(path), f"missing {', '.join(missing)}")
        if data["cards"] not in CARD_KINDS:
            raise HookDefinitionError(str(path), f"cards must be one of {', '.join(CARD_KINDS)}")
        protocols = data.get("protocols", "all")
        hooks.append(
            HookDefinition(
                id=str(data["id"]),
                hook=str(data["hook"]),
                title=str(data["title"]),
                description=" ".join(str(data["description"]).split()),
                cards=str(data["cards"]),
                protocols=None if protocols == "all" else tuple(protocols),
            )
        )
    return hooks
