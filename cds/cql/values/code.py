"""Code and Concept: the CQL terminology values."""

from __future__ import annotations

from .frozen import value_class


@value_class(eq=False)
class Code:
    code: str | None
    system: str | None = None
    version: str | None = None
    display: str | None = None

    def __eq__(self, other: object) -> bool:  # CQL equality, as a Python bool
        from ..operators.comparison import equal

        return isinstance(other, Code) and equal(self, other) is True

    def __hash__(self) -> int:
        return hash((self.code, self.system, self.version))

    def __repr__(self) -> str:
        return f"Code({self.code!r}, {self.system!r})"


@value_class(eq=False)
class Concept:
    codes: tuple[Code, ...]
    display: str | None = None

    def __eq__(self, other: object) -> bool:
        from ..operators.comparison import equal

        return isinstance(other, Concept) and equal(self, other) is True

    def __hash__(self) -> int:
        return hash(self.codes)

    def __repr__(self) -> str:
        return f"Concept({list(self.codes)!r})"


@value_class()
class ValueSetRef:
    """A `valueset` definition: its canonical URL (and version), resolved by the terminology provider."""

    id: str
    version: str | None = None
    name: str | None = None


@value_class()
class CodeSystemRef:
    id: str
    version: str | None = None
    name: str | None = None
