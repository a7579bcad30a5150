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


#: What an import or a statement upload may be: extension → the bytes it starts with.
SPREADSHEETS = {"xlsx": (b"PK\x03\x04",), "csv": (b"",)}
SPREADSHEET_WORDS = "Excel（.xlsx）或 CSV 文件 / an .xlsx or .csv file"


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    content = _decode(data)
    first = content.split("\n", 1)[0]
    dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
    for cells in csv.reader(io.StringIO(content, newline=""), dialect=dialect):
        yield list(cells)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise CellError(f"无法读取 Excel 文件 / Not a readable .xlsx file ({exc}).") from None
    try:
        for cells in book.worksheets[0].iter_rows(values_only=True):
            yield list(cells)
    finally:
        book.close()


def raw_rows(name: str, data: bytes) -> Iterator[list[Any]]:
    """Every row of the file's first sheet, blank ones too, in order (row n is the n-th)."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _xlsx_rows(data)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _csv_rows(data)
    raise CellError("只支持 .xlsx 和 .csv 文件 / Only .xlsx and .csv files can be imported.")


def read_table(name: str, data: bytes) -> Table:
    """The file's header (row 1) and its rows that are not blank."""
    rows = raw_rows(name, data)
    headers = next(rows, [])  # an unreadable file is refused here, before any row

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        for number, cells in enumerate(rows, start=2):
            if _filled(cells):
                yield number, cells

    return Table([text(h) for h in headers], numbered())
