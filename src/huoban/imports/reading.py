"""Reading an uploaded spreadsheet row by row (R-IMP-1; ARCHITECTURE §2): ``.xlsx`` through
openpyxl's read-only mode, streamed, and ``.csv`` in UTF-8 (with or without a BOM) or GB18030,
the encodings Chinese offices save in. Row numbers are the spreadsheet's: the header is row 1.
Wholly empty rows are skipped."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .cells import CellError, text


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)


def _filled(cells: list[Any]) -> bool:
    return any(c is not None and text(c) != "" for c in cells)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CellError("文件编码应为 UTF-8 或 GB18030 / The file is neither UTF-8 nor GB18030.")


def _csv(data: bytes) -> Table:
    content = _decode(data)
    first = content.split("\n", 1)[0]
    dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
    reader = csv.reader(io.StringIO(content, newline=""), dialect=dialect)
    headers = next(reader, [])

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(reader, start=2):
            if _filled(cells):
                yield number, list(cells)

    return Table([text(h) for h in headers], rows())


def _xlsx(data: bytes) -> Table:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise CellError(f"无法读取 Excel 文件 / Not a readable .xlsx file ({exc}).") from None
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    headers = next(it, ())

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(it, start=2):
                if _filled(list(cells)):
                    yield number, list(cells)
        finally:
            book.close()

    return Table([text(h) for h in headers], rows())


def read_table(name: str, data: bytes) -> Table:
    """The file's header and rows by its extension (``.xlsx`` or ``.csv``)."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _xlsx(data)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _csv(data)
    raise CellError("只支持 .xlsx 和 .csv 文件 / Only .xlsx and .csv files can be imported.")
