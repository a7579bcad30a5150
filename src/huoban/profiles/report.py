"""The monthly partner overview as a PDF (合作伙伴总览, SPEC §10.1 R-PRF-3): `huoban tick` writes
the month before's report into the data directory's ``reports/`` on the first run of each month;
the console lists the reports and serves them to staff, and draws the current overview as a PDF
on demand. The same :func:`huoban.profiles.overview.build` as the page, as of the month's last
day (cooperation amounts of that year; open projects, grades and depths as they stand)."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation

from huoban import clock, money
from huoban.commissions.statements import CJK_FONT

from .overview import COMPLEMENT_LABELS, DEPTH_LABELS, PROGRAMME, TYPE_LABELS, Overview, build

REPORT_NAME = re.compile(r"^overview-(\d{4})-(\d{2})\.pdf$")


def reports_dir() -> Path:
    return Path(settings.REPORTS_DIR)


def report_path(year: int, month: int) -> Path:
    return reports_dir() / f"overview-{year:04d}-{month:02d}.pdf"


def month_before(day: dt.date) -> tuple[int, int]:
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.year, last.month


def archived() -> list[tuple[str, str]]:
    """The written reports, newest first: (``YYYY-MM``, file name)."""
    folder = reports_dir()
    if not folder.is_dir():
        return []
    names = [p.name for p in folder.iterdir() if REPORT_NAME.match(p.name)]
    return [(f"{n[9:13]}-{n[14:16]}", n) for n in sorted(names, reverse=True)]


def _labels(keys: list[str], labels: Mapping[str, object]) -> str:
    return "、".join(str(labels.get(k, k)) for k in keys)


#: Per partner: (health as shown, open risks, open cases) — given by the performance app, which
#: sits above the profiles (:func:`huoban.performance.relations.columns`).
Relations = Mapping[int, tuple[str, int, int]]


#: The partner table's figures, right-aligned and not wrapped.
NUMERIC = (5, 6, 9, 10)


def partner_rows(data: Overview, as_of: dt.date, relations: Relations) -> list[list[str]]:
    """The report's partner table as text: the heading, one row per partner, the total."""
    with translation.override("zh-hans"):
        rows = [
            [
                "伙伴 Partner", "类型 Types", "深度 Depth", "地区 Region", "互补 Complementarity",
                f"{as_of.year} 年合作金额 Amount", "在途项目 Open", "关键等级 Grade",
                "健康度 Health", "未关闭风险 Risks", "处理中事件 Cases", "下次评审 Next review",
            ]
        ]  # fmt: skip
        for r in data.rows:
            health, risks, cases = relations.get(r.partner.pk, ("", 0, 0))
            rows.append(
                [
                    f"{r.partner.name} {r.partner.code}",
                    _labels(r.types or ["referral"], TYPE_LABELS),
                    str(DEPTH_LABELS.get(r.depth or "unconfirmed", r.depth)),
                    r.partner.region or "—",
                    str(COMPLEMENT_LABELS.get(r.complementarity or "pending", "")),
                    money.fmt(r.amount),
                    str(r.open_projects),
                    r.grade or "—",
                    health or "—",
                    str(risks),
                    str(cases),
                    r.next_review.isoformat() if r.next_review else "—",
                ]
            )
        total = money.fmt(data.total_amount)
        rows.append(["", "", "", "", "合计 Total", total, "", "", "", "", "", ""])
    return rows


def render_pdf(
    data: Overview, *, title: str, as_of: dt.date, relations: Relations | None = None
) -> bytes:
    """A4 landscape: the counts by type, depth, region and complementarity, then one row per
    partner — the page's figures, in Chinese with English headings; with ``relations``, each
    partner's health, open risks and open cases too (R-PRF-3)."""
    relations = relations or {}
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    heading = ParagraphStyle("t", fontName=CJK_FONT, fontSize=15, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=CJK_FONT, fontSize=11, leading=15, spaceBefore=8)
    body = ParagraphStyle("b", fontName=CJK_FONT, fontSize=8, leading=10, wordWrap="CJK")

    def p(text: str) -> Paragraph:
        return Paragraph(escape(text.replace("\u2212", "-")), body)

    grid = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), CJK_FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    with translation.override("zh-hans"):
        counts = [
            ("按类型 By type", data.by_type, TYPE_LABELS),
            ("按合作深度 By depth", data.by_depth, DEPTH_LABELS),
            ("按地区 By region", data.by_region, {}),
            ("按互补类型 By complementarity", data.by_complementarity, COMPLEMENT_LABELS),
        ]
        count_rows = [[p("维度 Dimension"), p("分布 Counts")]] + [
            [p(name), p("；".join(f"{labels.get(k, k)} {n}" for k, n in sorted(c.items())))]
            for name, c, labels in counts
        ]
        rows: list[list[Any]] = [
            [cell if i in NUMERIC else p(cell) for i, cell in enumerate(line)]
            for line in partner_rows(data, as_of, relations)
        ]
    count_table = Table(count_rows, colWidths=[50 * mm, 210 * mm], hAlign="LEFT")
    count_table.setStyle(grid)
    table = Table(
        rows,
        colWidths=[w * mm for w in (48, 32, 17, 22, 22, 30, 14, 14, 20, 14, 14, 22)],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(grid)
    table.setStyle(TableStyle([("ALIGN", (i, 1), (i, -1), "RIGHT") for i in NUMERIC]))
    story = [
        Paragraph(escape(f"合作伙伴总览 Partner overview · {title}"), heading),
        p(f"截至 As of {as_of.isoformat()} · 伙伴 {len(data.rows)} 家 partners"),
        p(f"生成时间 Generated: {clock.now().astimezone(clock.local_tz()):%Y-%m-%d %H:%M}"),
        Spacer(1, 3 * mm),
        count_table,
        Paragraph("伙伴明细 Partners", h2),
        Spacer(1, 2 * mm),
        table,
        Spacer(1, 2 * mm),
        p("分成比例与协议条款不在本报告中（R-PRF-3）/ Revenue-share ratios and agreement terms are "
          "not part of this report."),
    ]  # fmt: skip
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"合作伙伴总览 {title}",
        author="Huoban",
    ).build(story)
    return buffer.getvalue()


def write_monthly(day: dt.date, relations: Callable[[], Relations] | None = None) -> str:
    """R-PRF-3: on the first run of a month, write the month before's overview PDF; later runs
    find it written and do nothing. ``relations`` gives the health, risk and case columns (the
    tick passes the performance app's). One report line for `huoban tick`."""
    year, month = month_before(day)
    label = f"{year:04d}-{month:02d}"
    path = report_path(year, month)
    if path.exists():
        return f"overview: {label} report already written (reports/{path.name}) (R-PRF-3)"
    as_of = dt.date(year, month, calendar.monthrange(year, month)[1])
    data = build(PROGRAMME, as_of)
    pdf = render_pdf(
        data, title=label, as_of=as_of, relations=relations() if relations is not None else None
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Several hosts may tick: each writes its own temporary file, and the report appears whole.
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as partial:
        partial.write(pdf)
    os.replace(partial.name, path)
    n = len(data.rows)
    return f"overview: {label} report written to reports/{path.name}, {n} partners (R-PRF-3)"
