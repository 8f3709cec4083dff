"""Demo data of the apps to the right of ``mentorship``: a registry that ``load_demo`` runs.

``mentorship`` must not import the apps built on it, so each app that has demo data of its own
(the seed roadmaps, …) keeps it in its ``demo.py`` and registers a loader there::

    from mentorship.demo import DemoReport, register

    def seed_roadmaps_load() -> DemoReport: ...

    register("roadmaps", seed_roadmaps_load, order=100)

``load_demo`` finds these modules with ``autodiscover_modules("demo")`` and runs the loaders
after the hierarchy and the personas, lowest ``order`` first, in the same transaction. A
loader must be idempotent like the rest of ``load_demo``: a second run writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DemoReport:
    """What one loader did, in Russian: a heading and one line per thing loaded or skipped."""

    title: str
    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)

    def format(self) -> str:
        return "\n".join([f"{self.title}:", *(f"  {line}" for line in self.lines)])


@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: Callable[[], DemoReport]
    order: int


_loaders: dict[str, DemoLoader] = {}


def register(name: str, loader: Callable[[], DemoReport], order: int = 100) -> None:
    """Register ``loader`` under ``name``; registering a name again replaces its loader."""
    _loaders[name] = DemoLoader(name=name, load=loader, order=order)


def loaders() -> list[DemoLoader]:
    """The registered loaders in the order they run."""
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.name))
