"""The downloadable template of each kind (R-IMP-1): the Chinese headers the import reads, an
example row, and a sheet 说明 naming each column's field, whether it is required and how to
fill it in."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from huoban.core.spreadsheets import append_row

from .kinds import Kind

HOW = (
    "表头在第 1 行；第 2 行是示例，导入前请删除或改成实际数据。"
    "金额写完整数字（不用“万”），日期如 2026-11-05。"
)


def template_xlsx(kind: Kind) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = kind.label
    append_row(sheet, [c.label for c in kind.columns])
    append_row(sheet, [c.example if c.example != "" else None for c in kind.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for position, column in enumerate(kind.columns):
        sheet.column_dimensions[chr(ord("A") + position)].width = max(14, len(column.label) * 3)
    notes = book.create_sheet("说明")
    append_row(notes, ["列（中文）", "列（英文，也可用作表头）", "必填", "说明"])
    for column in kind.columns:
        append_row(notes, [column.label, column.field, "是" if column.required else "否",
                           column.note])  # fmt: skip
    append_row(notes, [])
    append_row(notes, [HOW])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(kind: Kind) -> bytes:
    """The header line only, in UTF-8 with a BOM (Excel opens it with the Chinese intact)."""
    return (",".join(c.label for c in kind.columns) + "\r\n").encode("utf-8-sig")
