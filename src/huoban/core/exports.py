"""A staff list as Excel or CSV (SPEC §14, R-IMP-5): the list's current filter, every row, in
the columns the page shows. CSV is streamed row by row in UTF-8 with a BOM, so Excel and WPS
open it with the Chinese intact; Excel is written in openpyxl's write-only mode, a row at a
time. Text is never a formula: an Excel cell that could be read as one is a string marked
"quote prefix" (`core.spreadsheets`), and a CSV cell that could be is written with a leading
apostrophe, OWASP's advice for CSV injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .spreadsheets import looks_like_formula

FORMATS = ("xlsx", "csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows read from the database at a time.
CHUNK = 2000


@dataclass(frozen=True)
class Column:
    label: str | Promise  # the header, as the page says it (in the user's language)
    value: Callable[[Any], Any]  # the cell of a row: text, a number, a Decimal or a date


def wanted(request: Any) -> str | None:
    """The export the request asks for (``?export=xlsx`` or ``csv``), or None."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in FORMATS else None


def _rows(rows: Iterable[Any]) -> Iterator[Any]:
    iterate = getattr(rows, "iterator", None)
    return iterate(chunk_size=CHUNK) if callable(iterate) else iter(rows)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def _csv(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> bytes:
        data = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return data

    writer.writerow([str(c.label) for c in columns])
    yield "\ufeff".encode() + flush()
    for n, row in enumerate(_rows(rows), 1):
        writer.writerow([_csv_cell(c.value(row)) for c in columns])
        if n % 500 == 0:
            yield flush()
    yield flush()


def _xlsx(rows: Iterable[Any], columns: Sequence[Column], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in _rows(rows):
        cells: list[Any] = []
        for column in columns:
            value = column.value(row)
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                if looks_like_formula(value):
                    cell.quotePrefix = True
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(
    rows: Iterable[Any], columns: Sequence[Column], *, name: str, title: str, fmt: str
) -> HttpResponseBase:
    """The download of ``rows``: ``name``.xlsx or ``name``.csv (ASCII file name)."""
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv(rows, columns), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(_xlsx(rows, columns, title), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename={name}.{fmt}"
    return response
