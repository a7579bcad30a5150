"""Spreadsheets Huoban writes: text stays text (R-IMP-5, issue #10 finding 5).

openpyxl stores any string that begins with ``=`` as a formula, and Excel and WPS evaluate
cells beginning with ``+``, ``-``, ``@`` (and their full-width forms) on import: a partner
named ``=HYPERLINK(...)`` or a bank reference ``=1+1`` would become live code in the finance
office's statement. Every string cell is written as a string, and a string that could be read
as a formula is also marked "quote prefix", so the spreadsheet shows it as typed and never
evaluates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# What spreadsheet programs read as the start of a formula (OWASP's list, the minus sign and the
# full-width forms a Chinese input method types).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "−", "＝", "＋", "－", "＠")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def keep_text(cells: Iterable[Any]) -> None:
    """Make every string cell of ``cells`` a plain string (never a formula)."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if looks_like_formula(cell.value):
                cell.quotePrefix = True


def append_row(ws: Any, row: list[Any]) -> int:
    """``ws.append(row)`` with every string kept as text; the new row's number.

    In time proportional to the row: ``ws.max_row`` and ``ws[r]`` look at every cell of the
    sheet, which made a 10,000-row export take minutes (bench/console.py at N = 1)."""
    ws.append(row)
    r: int = ws._current_row  # what append just wrote; openpyxl keeps it
    keep_text(row_cells(ws, r, len(row)))
    return r


def row_cells(ws: Any, r: int, width: int) -> list[Any]:
    """The first ``width`` cells of row ``r``, each found directly."""
    return [ws.cell(row=r, column=c) for c in range(1, width + 1)]
