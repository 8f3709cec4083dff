"""Charts of monitoring as SVG, rendered on the server with matplotlib: data in, an SVG string out.

Pure functions of plain data (labels and numbers), so that the PDF reports (``reports``) can put
the very same charts in their documents::

    from monitoring import charts
    svg = charts.coverage_bars([("Уфа", 42.0, 35.0), ("Белорецк", 18.5, 35.0)], title="Охват обучающихся, %")

Text stays text (``svg.fonttype = "none"``, DejaVu Sans, which has Cyrillic), ids are stable
(``svg.hashsalt``), and each result is cached in the Django cache under a hash of its arguments
(``cached``), so a page shown again with the same data does not render again. Rendering a chart
of sixty bars takes a few hundred milliseconds, which is why the dashboards load their charts
from their own URLs (``views.ChartView``) rather than rendering them inside the page.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.core.cache import cache
from matplotlib.figure import Figure

STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "monitoring",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
MET, BELOW, NO_TARGET, TARGET_LINE = "#198754", "#dc3545", "#6c757d", "#212529"
CACHE_SECONDS = 24 * 3600
#: beyond this many bars the labels no longer fit: the chart shows the distribution, the table the names
MAX_LABELLED_BARS = 70

Number = float | int | Decimal | None


def _f(value: Number) -> float | None:
    return None if value is None else float(value)


def _svg(fig: Figure, description: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "monitoring"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Title": description})
    text = buffer.getvalue()
    start = text.find("<svg")
    svg = text[start:]
    # Scales with its container; a screen reader announces the description.
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{_attr(description)}" preserveAspectRatio="xMinYMin meet" ', 1
    )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height))


def coverage_bars(
    rows: Sequence[tuple[str, Number, Number]], *, title: str, unit: str = "%", places: str = "Места"
) -> str:
    """Horizontal bars, one per place, in the given order: ``rows`` = ``[(label, value, target)]``.

    A bar is green when it reaches its target, red when below, grey without a target (or a value);
    each target is a black tick on its bar. Past ``MAX_LABELLED_BARS`` rows the places are drawn
    without names, as a distribution in the given order, the targets as a step line; ``places``
    names them under the axis («Организации»).
    """
    labelled = len(rows) <= MAX_LABELLED_BARS
    height = max(1.6, 0.28 * len(rows) + 0.9) if labelled else 3.2
    with matplotlib.rc_context(STYLE):
        fig = _figure(8.0, height)
        ax = fig.add_subplot()
        values = [_f(value) or 0.0 for _, value, _ in rows]
        colours = []
        for _, value, target in rows:
            if value is None or target is None:
                colours.append(NO_TARGET)
            else:
                colours.append(MET if value >= target else BELOW)
        positions = list(range(len(rows)))
        if labelled:
            ax.barh(positions, values, color=colours, height=0.7)
            ax.set_yticks(positions, [_short(label) for label, _, _ in rows])
            ax.invert_yaxis()
            for position, (_, _, target) in zip(positions, rows, strict=True):
                if target is not None:
                    ax.plot([float(target)] * 2, [position - 0.45, position + 0.45], color=TARGET_LINE, linewidth=1.5)
            ax.set_xlabel(unit)
            left = 0.36
        else:
            ax.bar(positions, values, color=colours, width=1.0)
            ax.set_xticks([])
            ax.set_xlabel(f"{places} ({len(rows)}), по порядку таблицы")
            ax.set_ylabel(unit)
            targets = [_f(target) for _, _, target in rows]
            if any(t is not None for t in targets):
                steps = [t if t is not None else float("nan") for t in targets]
                ax.step(positions, steps, where="mid", color=TARGET_LINE, linewidth=1.2)
            left = 0.08
        ax.set_title(title, loc="left")
        fig.subplots_adjust(left=left, right=0.97, top=1 - 0.45 / height, bottom=0.55 / height)
        return _svg(fig, title)


def trend_line(points: Sequence[tuple[str, Number, Number]], *, title: str, unit: str = "%") -> str:
    """The value and the target by year: ``points`` = ``[(year label, value, target)]`` in time order."""
    with matplotlib.rc_context(STYLE):
        fig = _figure(6.0, 2.8)
        ax = fig.add_subplot()
        labels = [label for label, _, _ in points]
        positions = list(range(len(points)))
        values = [_f(value) for _, value, _ in points]
        targets = [_f(target) for _, _, target in points]
        ax.plot(
            positions, [v if v is not None else float("nan") for v in values], marker="o", color="#0d6efd", label="Факт"
        )
        if any(t is not None for t in targets):
            ax.plot(
                positions,
                [t if t is not None else float("nan") for t in targets],
                linestyle="--",
                marker="_",
                color=TARGET_LINE,
                label="Цель",
            )
        for position, value in zip(positions, values, strict=True):
            if value is not None:
                ax.annotate(
                    f"{value:.1f}".replace(".", ","),
                    (position, value),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                )
        ax.set_xticks(positions, labels)
        ax.set_ylabel(unit)
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", frameon=False)
        ax.set_title(title, loc="left")
        fig.subplots_adjust(left=0.11, right=0.97, top=0.86, bottom=0.14)
        return _svg(fig, title)


def count_bars(counts: Sequence[tuple[str, int]], *, title: str) -> str:
    """Vertical bars of counts (pairs by stage, by form): ``counts`` = ``[(label, count)]``."""
    with matplotlib.rc_context(STYLE):
        fig = _figure(6.0, 3.0)
        ax = fig.add_subplot()
        positions = list(range(len(counts)))
        ax.bar(positions, [n for _, n in counts], color="#0d6efd")
        ax.set_xticks(positions, [_wrap(label, 12) for label, _ in counts], fontsize=6.5)
        for position, (_, n) in zip(positions, counts, strict=True):
            ax.annotate(str(n), (position, n), textcoords="offset points", xytext=(0, 3), ha="center")
        ax.set_title(title, loc="left")
        ax.yaxis.get_major_locator().set_params(integer=True)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.3)
        return _svg(fig, title)


def growth_bars(rows: Sequence[tuple[str, Number, Number]], *, title: str) -> str:
    """Average answers at entry and at exit side by side per group: ``rows`` = ``[(label, entry, exit)]``, 1–10."""
    with matplotlib.rc_context(STYLE):
        fig = _figure(6.5, 3.0)
        ax = fig.add_subplot()
        positions = list(range(len(rows)))
        ax.bar(
            [p - 0.2 for p in positions], [_f(e) or 0 for _, e, _ in rows], width=0.4, color="#adb5bd", label="На входе"
        )
        ax.bar(
            [p + 0.2 for p in positions],
            [_f(x) or 0 for _, _, x in rows],
            width=0.4,
            color="#0d6efd",
            label="На выходе",
        )
        ax.set_xticks(positions, [_wrap(label) for label, _, _ in rows], fontsize=7)
        ax.set_ylim(0, 10)
        ax.legend(loc="upper left", frameon=False, ncols=2)
        ax.set_title(title, loc="left")
        fig.subplots_adjust(left=0.07, right=0.98, top=0.88, bottom=0.3)
        return _svg(fig, title)


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _wrap(label: str, width: int = 16) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def _key(name: str, args: tuple, kwargs: dict) -> str:
    payload = json.dumps([name, args, kwargs], default=str, ensure_ascii=False, sort_keys=True)
    return "monitoring:chart:" + hashlib.sha256(payload.encode()).hexdigest()


def cached(render: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    """``render(*args, **kwargs)``, taken from the cache when the same chart of the same data was drawn."""
    key = _key(render.__name__, args, kwargs)
    svg = cache.get(key)
    if svg is None:
        svg = render(*args, **kwargs)
        cache.set(key, svg, CACHE_SECONDS)
    return svg
