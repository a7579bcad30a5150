"""Monthly statements (月度对账单) of a partner's commissions as JSON, PDF and Excel (R-LED-9).

A statement for month M counts the entries that count (:meth:`LedgerEntryQuerySet.counted`:
every entry except an adjustment not yet approved by finance and admin), by earned date:

- opening outstanding = earned before M − paid (by payout date) before M;
- the entries earned in M, each with its explanation; the payouts made in M;
- closing outstanding = opening + earned in M − paid in M.

Its chain head (R-LED-3) is the hash of the partner's chain entry with the highest id among
the entries earned on or before the last day of M, or the genesis hash when there is none.
Every entry the figures rest on lies in the chain up to and including that entry, so the
partner can later prove what it was shown with that hash and ``chain_length`` (the entry's
position in the chain): ``huoban ledger verify`` recomputes the same prefix. A backdated
entry recorded after the statement was drawn moves the head, since the month's content moved.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Q, Sum

from huoban import clock, money
from huoban.audit.chain import GENESIS
from huoban.core.spreadsheets import append_row, row_cells
from huoban.errors import ValidationFailed
from huoban.money import ZERO, cny
from huoban.partners.models import Partner

from .models import EntryKind, LedgerEntry, Payout

__all__ = ["Statement", "build_statement", "parse_month", "render_pdf", "render_xlsx"]

KIND_LABELS = {
    EntryKind.CONFIRMATION: ("引荐确认金", "confirmation"),
    EntryKind.SETTLEMENT: ("结算佣金", "settlement"),
    EntryKind.ANNUAL_BONUS: ("年度奖励", "annual bonus"),
    EntryKind.OVERRIDE: ("推荐奖励", "override"),
    EntryKind.ADJUSTMENT: ("调整", "adjustment"),
    EntryKind.LIQUIDATED_DAMAGES: ("违约金", "liquidated damages"),
    EntryKind.REVENUE_SHARE: ("合作分成", "revenue share"),
    EntryKind.UNIT_COMMISSION: ("按件佣金", "per-unit commission"),
    EntryKind.TRUE_UP: ("达标补差", "true-up"),
}
OWED_BY_PARTNER = ("伙伴应付我方", "owed by the partner")


def parse_month(
    text: str | None = None, *, year: int | None = None, month: int | None = None
) -> tuple[int, int]:
    """``YYYY-MM`` (or year and month) as (year, month); a month after this one is refused."""
    bad = ValidationFailed(
        {"month": "应为已开始的月份 YYYY-MM / A month YYYY-MM, not in the future."}
    )
    if text is not None:
        head, sep, tail = text.strip().partition("-")
        if not sep or len(head) != 4 or len(tail) != 2 or not (head + tail).isdigit():
            raise bad
        year, month = int(head), int(tail)
    if year is None or month is None or not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise bad
    today = clock.today()
    if (year, month) > (today.year, today.month):
        raise bad
    return year, month


@dataclass(frozen=True)
class StatementPayout:
    id: int
    bank_reference: str
    paid_on: dt.date
    total: Decimal
    entry_ids: list[int]


@dataclass(frozen=True)
class Statement:
    """One partner's statement for one month (R-LED-9); amounts are Decimal."""

    partner_code: str
    partner_name: str
    year: int
    month: int
    period_start: dt.date
    period_end: dt.date
    opening_outstanding: Decimal
    earned: Decimal
    paid: Decimal
    closing_outstanding: Decimal
    entries: list[LedgerEntry]
    payouts: list[StatementPayout]
    chain_head: str
    chain_head_entry_id: int | None
    chain_length: int
    generated_at: dt.datetime

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def filename(self, ext: str) -> str:
        return f"statement-{self.partner_code}-{self.label}.{ext}"

    @property
    def owed_by_partner(self) -> Decimal:
        """The month's per-unit amounts the partner owes us (R-UNIT-1 `receivable`), positive."""
        return cny(-sum((e.amount for e in self.entries if e.owed_by_partner), ZERO))

    @property
    def closing_owed_by_partner(self) -> Decimal:
        """What the partner owes us at the month's end, when the balance is in our favour."""
        return -self.closing_outstanding if self.closing_outstanding < 0 else ZERO


def _sum(entries: Any) -> Decimal:
    return cny(entries.aggregate(s=Sum("amount"))["s"] or ZERO)


def booked_between(start: dt.datetime, end: dt.datetime) -> Q:
    """Entries that belong to the statements of [start, end) (R-LED-10): booked (created) then;
    an adjustment, which counts only once approved, on the day it became effective."""
    return (~Q(kind=EntryKind.ADJUSTMENT) & Q(created_at__gte=start, created_at__lt=end)) | Q(
        kind=EntryKind.ADJUSTMENT,
        effective_on__gte=start.astimezone(clock.local_tz()).date(),
        effective_on__lt=end.astimezone(clock.local_tz()).date(),
    )


# Before any entry: the earliest instant a statement can cover.
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def build_statement(partner: Partner, year: int, month: int) -> Statement:
    """The partner's statement for a month: opening, entries, payouts, closing, head (R-LED-9).

    A month's statement never changes once the month has ended (R-LED-10): entries belong to
    the month they were booked in, payouts to the month they were recorded in, whatever their
    event date (shown on each line); an adjustment to the month it became effective.
    """
    start = dt.date(year, month, 1)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    since, until = clock.local_midnight(start), clock.local_midnight(end + dt.timedelta(days=1))
    counted = LedgerEntry.objects.filter(partner=partner).counted()
    earned_before = _sum(counted.filter(booked_between(_EPOCH, since)))
    paid_before = _sum(counted.filter(payout__created_at__lt=since))
    entries = list(
        counted.filter(booked_between(since, until))
        .select_related("policy_version")
        .order_by("created_at", "id")
    )
    earned = cny(sum((e.amount for e in entries), ZERO))
    paid = _sum(counted.filter(payout__created_at__gte=since, payout__created_at__lt=until))
    payouts = [
        StatementPayout(
            p.pk,
            p.bank_reference,
            p.paid_on,
            p.total,
            sorted(p.entries.values_list("id", flat=True)),
        )
        for p in Payout.objects.filter(
            partner=partner, created_at__gte=since, created_at__lt=until
        ).order_by("created_at", "id")
    ]
    opening = earned_before - paid_before
    # The head covers the whole chain (pending adjustments too) up to the last entry shown.
    in_chain = LedgerEntry.objects.filter(partner=partner, created_at__lt=until)
    last = in_chain.order_by("-id").values_list("id", "hash").first()
    if last is None:
        head, head_id, length = GENESIS, None, 0
    else:
        head_id, head = last
        length = LedgerEntry.objects.filter(partner=partner, id__lte=head_id).count()
    return Statement(
        partner_code=partner.code,
        partner_name=partner.name,
        year=year,
        month=month,
        period_start=start,
        period_end=end,
        opening_outstanding=cny(opening),
        earned=earned,
        paid=paid,
        closing_outstanding=cny(opening + earned - paid),
        entries=entries,
        payouts=payouts,
        chain_head=head,
        chain_head_entry_id=head_id,
        chain_length=length,
        generated_at=clock.now(),
    )


# --- JSON ------------------------------------------------------------------------------------


def render_json(s: Statement) -> dict[str, Any]:
    return {
        "partner_code": s.partner_code,
        "partner_name": s.partner_name,
        "month": s.label,
        "period_start": s.period_start,
        "period_end": s.period_end,
        "opening_outstanding": money.fmt(s.opening_outstanding),
        "earned": money.fmt(s.earned),
        "paid": money.fmt(s.paid),
        "closing_outstanding": money.fmt(s.closing_outstanding),
        # R-LED-1 / R-UNIT-1: a receivable scheme's amounts are owed by the partner
        "owed_by_partner": money.fmt(s.owed_by_partner),
        "closing_owed_by_partner": money.fmt(s.closing_owed_by_partner),
        "entries": [
            {
                "id": e.pk,
                "kind": e.kind,
                "project_id": e.project_id,
                "basis": money.fmt(e.basis),
                "rate": money.fmt_rate(e.rate),
                "amount": money.fmt(e.amount),
                "owed_by_partner": e.owed_by_partner,
                "earned_on": e.earned_on,
                # The day it was booked: the statement month it belongs to (R-LED-10).
                "booked_on": e.created_at.astimezone(clock.local_tz()).date(),
                "due_on": e.due_on,
                "status": e.status,
                "policy_version": e.policy_version.version,
                "explanation": e.explanation,
                "hash": e.hash,
            }
            for e in s.entries
        ],
        "payouts": [
            {
                "id": p.id,
                "bank_reference": p.bank_reference,
                "paid_on": p.paid_on,
                "total": money.fmt(p.total),
                "fee": "0.00",
                "entry_ids": p.entry_ids,
            }
            for p in s.payouts
        ],
        "chain_head": s.chain_head,
        "chain_head_entry_id": s.chain_head_entry_id,
        "chain_length": s.chain_length,
        "generated_at": s.generated_at,
    }


# --- PDF -------------------------------------------------------------------------------------

CJK_FONT = "STSong-Light"  # ReportLab's built-in CID font (Adobe-GB1): no font file needed


def _kind(kind: str, owed_by_partner: bool = False) -> str:
    zh, en = KIND_LABELS.get(kind, (kind, kind))  # type: ignore[call-overload]
    if owed_by_partner:
        return f"{zh}（{OWED_BY_PARTNER[0]}）{en} ({OWED_BY_PARTNER[1]})"
    return f"{zh} {en}"


def _summary_rows(s: Statement) -> list[tuple[str, Decimal]]:
    """The summary's lines, shared by the PDF and the workbook: a balance in our favour is
    shown as owed by the partner, not as a negative amount outstanding (R-LED-1, R-UNIT-1)."""
    rows = [
        ("期初未付 Opening outstanding", s.opening_outstanding),
        ("本月应得 Earned this month", s.earned),
    ]
    if s.owed_by_partner:
        rows.append(("其中伙伴应付我方（按件）Of which owed by the partner (per unit)",
                     s.owed_by_partner))  # fmt: skip
    rows.append(("本月付款 Paid this month", s.paid))
    if s.closing_owed_by_partner:
        rows.append(("期末伙伴应付我方 Closing owed by the partner", s.closing_owed_by_partner))
    else:
        rows.append(("期末未付 Closing outstanding", s.closing_outstanding))
    return rows


def render_pdf(s: Statement) -> bytes:
    """A4: the summary, the month's entries with explanations, payouts, the chain head."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    title = ParagraphStyle("title", fontName=CJK_FONT, fontSize=15, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=CJK_FONT, fontSize=11, leading=15, spaceBefore=8)
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=8.5, leading=11)
    small = ParagraphStyle("small", fontName=CJK_FONT, fontSize=7, leading=9, wordWrap="CJK")
    head = ParagraphStyle("head", fontName=CJK_FONT, fontSize=8, leading=10)
    mono = ParagraphStyle("mono", fontName="Courier", fontSize=8, leading=10)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        # Adobe-GB1 has no U+2212 minus sign: print the ASCII hyphen-minus instead.
        return Paragraph(escape(text.replace("\u2212", "-")).replace("\n", "<br/>"), style)

    def header(*titles: str) -> list[Any]:
        return [p(t, head) for t in titles]

    grid = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), CJK_FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story: list[Any] = [
        p("佣金月度对账单 Monthly commission statement", title),
        p(f"伙伴 Partner: {s.partner_code} {s.partner_name}"),
        p(f"期间 Period: {s.period_start} — {s.period_end}"),
        p(f"生成时间 Generated: {s.generated_at.astimezone(clock.local_tz()):%Y-%m-%d %H:%M}"),
        Spacer(1, 4 * mm),
    ]
    summary = Table(
        [
            ["项目 Item", "金额 Amount (CNY)"],
            *([p(label, head), money.fmt(value)] for label, value in _summary_rows(s)),
        ],
        colWidths=[90 * mm, 45 * mm],
        hAlign="LEFT",
    )
    summary.setStyle(grid)
    summary.setStyle(TableStyle([("ALIGN", (1, 1), (1, -1), "RIGHT")]))
    story += [summary, p("本月台账条目 Entries earned this month", h2), Spacer(1, 2 * mm)]
    rows: list[list[Any]] = [
        header(
            "#",
            "计佣日 Earned on",
            "类型 Kind",
            "项目 Project",
            "金额 Amount",
            "计算说明 Explanation",
        )
    ]
    for e in s.entries:
        rows.append(
            [
                str(e.pk),
                e.earned_on.isoformat(),
                p(_kind(e.kind, e.owed_by_partner), head),
                f"#{e.project_id}" if e.project_id else "—",
                money.fmt(e.amount),
                p(e.explanation, small),
            ]
        )
    if not s.entries:
        rows.append(["", "", "", "", "", p("本月无条目 No entries this month", small)])
    entries = Table(
        rows,
        colWidths=[10 * mm, 20 * mm, 24 * mm, 16 * mm, 22 * mm, 88 * mm],
        repeatRows=1,
    )
    entries.setStyle(grid)
    entries.setStyle(TableStyle([("ALIGN", (4, 1), (4, -1), "RIGHT")]))
    story += [entries, p("本月付款 Payouts this month", h2), Spacer(1, 2 * mm)]
    prow: list[list[Any]] = [
        header("付款日 Paid on", "银行流水号 Bank reference", "条目 Entries", "金额 Amount")
    ]
    for po in s.payouts:
        prow.append(
            [
                po.paid_on.isoformat(),
                po.bank_reference,
                p(", ".join(f"#{i}" for i in po.entry_ids), small),
                money.fmt(po.total),
            ]
        )
    if not s.payouts:
        prow.append(["", "本月无付款 No payouts", "", ""])
    payouts = Table(prow, colWidths=[25 * mm, 55 * mm, 60 * mm, 25 * mm], repeatRows=1)
    payouts.setStyle(grid)
    payouts.setStyle(TableStyle([("ALIGN", (3, 1), (3, -1), "RIGHT")]))
    story += [
        payouts,
        p("不收取任何服务费 No fee of any kind is deducted.", body),
        p("链头 Chain head", h2),
        p(
            f"截至 {s.period_end} 的台账哈希链，第 {s.chain_length} 条"
            f"{f'（条目 #{s.chain_head_entry_id}）' if s.chain_head_entry_id else ''}之哈希 / "
            f"hash of entry {s.chain_length} of the ledger chain up to {s.period_end}:",
        ),
        Paragraph(s.chain_head, mono),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"佣金对账单 {s.partner_code} {s.label}",
        author="Huoban",
    )
    doc.build(story)
    return buffer.getvalue()


# --- Excel -----------------------------------------------------------------------------------


def render_xlsx(s: Statement) -> bytes:
    """One sheet: the summary, the entries and payouts (amounts as numbers, 0.00), the head."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "对账单 Statement"
    bold = Font(bold=True)
    amount_format = "0.00"

    def put(row: list[Any], *, strong: bool = False) -> int:
        r = append_row(ws, row)  # text stays text: no formula injection (R-IMP-5)
        for cell in row_cells(ws, r, len(row)):
            if isinstance(cell.value, Decimal):
                cell.number_format = amount_format
            if strong:
                cell.font = bold
        return r

    put(["佣金月度对账单 Monthly commission statement"], strong=True)
    put(["伙伴 Partner", s.partner_code, s.partner_name])
    put(["期间 Period", s.period_start, s.period_end])
    put([])
    for label, value in _summary_rows(s):
        put([label, value])
    put([])
    put(["本月台账条目 Entries earned this month"], strong=True)
    put(
        [
            "# Entry",
            "计佣日 Earned on",
            "类型 Kind",
            "项目 Project",
            "基数 Basis",
            "费率 Rate",
            "金额 Amount",
            "到期日 Due on",
            "状态 Status",
            "计算说明 Explanation",
            "哈希 Hash",
        ],
        strong=True,
    )
    for e in s.entries:
        r = put(
            [
                e.pk,
                e.earned_on,
                _kind(e.kind, e.owed_by_partner),
                e.project_id,
                Decimal(e.basis),
                Decimal(e.rate),
                Decimal(e.amount),
                e.due_on,
                e.status,
                e.explanation,
                e.hash,
            ]
        )
        ws.cell(r, 6).number_format = "0.00%"
        ws.cell(r, 10).alignment = Alignment(wrap_text=True, vertical="top")
    put([])
    put(["本月付款 Payouts this month"], strong=True)
    put(["付款日 Paid on", "银行流水号 Bank reference", "条目 Entries", "金额 Amount"], strong=True)
    for po in s.payouts:
        put([po.paid_on, po.bank_reference, ", ".join(str(i) for i in po.entry_ids), po.total])
    put([])
    put(["链头 Chain head", s.chain_head], strong=True)
    put(["链长 Chain length", s.chain_length])
    for column, width in zip(
        "ABCDEFGHIJK", (30, 16, 20, 10, 14, 10, 14, 12, 10, 80, 66), strict=True
    ):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
