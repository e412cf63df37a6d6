"""The geometry of a heat map as plain numbers; the SVG itself is written in the template
(jinja2/risks/_heatmap_svg.html). Each cell carries its value as text and a pattern per
band (empty, dots, lines, cross-hatch), so the map reads without colour; the data table
beside it holds the same numbers."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

from .constants import ACTIVITIES
from .selectors import HeatRow

#: The cell's size; jinja2/risks/_heatmap_svg.html draws each cell relative to its
#: corner with these numbers (rect 64 x 28, label at 18/6, text at 32/19).
CELL_W = 64
CELL_H = 28
LABEL_W = 260
HEAD_H = 96
#: Bands 0..3 for the pattern and colour of a cell.
BANDS = 4


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    value: int
    band: int
    text_x: int
    text_y: int
    #: The white label behind the number.
    label_x: int
    label_y: int


@dataclass(frozen=True)
class Row:
    label: str
    y: int
    text_y: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Column:
    label: str | Promise
    x: int
    text_x: int


@dataclass(frozen=True)
class HeatMap:
    width: int
    height: int
    head_text_y: int
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    label_w: int = LABEL_W
    head_h: int = HEAD_H
    cell_w: int = CELL_W
    cell_h: int = CELL_H


def score_band(value: int) -> int:
    """A score 0..3 is its own band."""
    return max(0, min(BANDS - 1, value))


def share_band(value: int, total: int) -> int:
    """A count of functions out of `total`: none, under 10 %, under 30 %, 30 % or more."""
    if value <= 0 or total <= 0:
        return 0
    share = value / total
    if share < 0.1:
        return 1
    if share < 0.3:
        return 2
    return 3


def build(rows: Sequence[HeatRow], *, shares: bool = False) -> HeatMap:
    """The map for these rows: scores per function, or (shares) counts per organisation
    banded by their share of its assessed functions."""
    columns = tuple(
        Column(a.label, LABEL_W + i * CELL_W, LABEL_W + i * CELL_W + CELL_W // 2)
        for i, a in enumerate(ACTIVITIES)
    )
    built = []
    for r, row in enumerate(rows):
        y = HEAD_H + r * CELL_H
        cells = tuple(
            Cell(
                x=LABEL_W + i * CELL_W,
                y=y,
                value=value,
                band=share_band(value, row.total) if shares else score_band(value),
                text_x=LABEL_W + i * CELL_W + CELL_W // 2,
                text_y=y + CELL_H // 2 + 5,
                label_x=LABEL_W + i * CELL_W + CELL_W // 2 - 14,
                label_y=y + 6,
            )
            for i, value in enumerate(row.values)
        )
        built.append(Row(label=row.label[:38], y=y, text_y=y + CELL_H // 2 + 5, cells=cells))
    return HeatMap(
        width=LABEL_W + len(ACTIVITIES) * CELL_W + 2,
        height=HEAD_H + max(1, len(rows)) * CELL_H + 2,
        head_text_y=HEAD_H - 8,
        columns=columns,
        rows=tuple(built),
    )
