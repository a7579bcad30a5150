"""The channel analytics as an Excel sheet (R-ANL-2): one row per channel and the totals,
amounts and ratios as numbers, the period at the head."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from huoban.core.spreadsheets import append_row, row_cells

from .services import Row

HEAD = [
    "渠道 Channel", "名称 Name", "线索 Leads", "有效线索 Valid", "有效率 Valid rate",
    "签约项目 Projects", "新客户 New customers", "回款 Revenue", "成本 Cost", "CAC", "CLV",
    "ROI", "留存率 Retention", "目标达成率 Achievement",
]  # fmt: skip


def _cells(row: Row) -> list[Any]:
    f = row.figures
    return [
        row.channel, row.label, f.inputs.leads, f.inputs.valid_leads, f.valid_rate,
        f.inputs.projects, f.inputs.new_customers, f.inputs.revenue, f.cost, f.cac, f.clv,
        f.roi, f.retention, f.achievement,
    ]  # fmt: skip


def render_xlsx(rows: list[Row], totals: Row, start: dt.date, end: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "渠道分析 Channels"
    bold = Font(bold=True)

    def put(cells: list[Any], *, strong: bool = False) -> None:
        r = append_row(ws, cells)  # text stays text: no formula injection (R-IMP-5)
        for index, cell in enumerate(row_cells(ws, r, len(cells))):
            if isinstance(cell.value, Decimal):
                ratio = HEAD[index] in ("有效率 Valid rate", "ROI", "留存率 Retention",
                                        "目标达成率 Achievement")  # fmt: skip
                cell.number_format = "0.00%" if ratio else "#,##0.00"
            if strong:
                cell.font = bold

    put(["渠道分析 Channel analytics"], strong=True)
    put(["期间 Period", start, end])
    put([])
    put(HEAD, strong=True)
    for row in rows:
        put(_cells(row))
    put(["合计 Total", "", *_cells(totals)[2:]], strong=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
