"""The demo data of ``load_demo``, by noun: the directory and personas first, then each app's.

``directory`` loads ``fixtures/demo.json`` (regions, municipalities, bodies, partners,
organisations, one user per role); ``roadmaps``, ``participants``, ``monitoring`` and
``reports`` each hold one loader returning a ``DemoReport``. ``load_demo`` lists the loaders in
the order they run (``LOADERS``), after the directory and in the same transaction. A loader must
be idempotent like the rest of ``load_demo``: a second run writes nothing.
"""

from __future__ import annotations

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
