"""Bank-statement reconciliation (SPEC §14, R-IMP-4; D-IMP-8; docs/bank-statements.md).

Finance uploads the account-detail export of its corporate online banking. The header row is
found among the first rows (exports open with a title and the account), the columns by the
names the main Chinese banks use, and only incoming lines (a credit amount) are kept. Each line
is matched to a project:

1. by reference — a signed project's contract number in the line's serial number, summary or
   remark;
2. by payer and amount — the payer is a registered customer (R-ATT-2 matching) and exactly one
   of its signed projects has its next open instalment equal to the amount (R-CRED-1), or, less
   certain, a project with that much left to receive, suggested for finance to confirm.

Finance confirms the matched lines in one step — each becomes a payment through the payment
service, its commission with it —, assigns a project to the others, and confirms them too. A
line is never recorded twice: it is recorded once, and its payment's reference is the bank's
serial number, which the payment service keeps unique per project (R-IMP-2)."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import Role, User
from huoban.audit.services import record
from huoban.core.files import read_upload
from huoban.credit.services import plan_of
from huoban.customers.matching import match_customer
from huoban.errors import Conflict, DomainError, NotFound, ValidationFailed
from huoban.projects.models import Project, Status
from huoban.projects.services import book_payment, received

from . import cells
from .models import BankLine, BankStatement, LineStatus
from .reading import SPREADSHEET_WORDS, SPREADSHEETS, raw_rows

#: Column names by what they hold, as ICBC's, CCB's and most banks' exports head them.
DATE = ("交易日期", "交易时间", "记账日期", "入账日期", "日期")
CREDIT = ("贷方发生额", "贷方发生额（存入）", "贷方发生额(存入)", "贷方金额", "收入金额", "收入",
          "存入金额", "存入")  # fmt: skip
DEBIT = ("借方发生额", "借方发生额（支取）", "借方发生额(支取)", "借方金额", "支出金额", "支出")
PAYER = ("对方户名", "对方单位名称", "对方账户名称", "对方单位", "对方名称", "付款人名称", "付款人")
REFERENCE = ("交易流水号", "账户明细编号-交易流水号", "流水号", "凭证号", "业务编号", "交易序号")
SUMMARY = ("摘要", "用途", "附言", "交易附言", "备注")
#: Rows looked at for the header.
HEADER_WITHIN = 30
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/]{3,63}")


@dataclass(frozen=True)
class Line:
    row: int
    booked_on: Any
    amount: Decimal
    payer: str
    reference: str
    summary: str


def _find(headers: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in headers:
            return headers.index(name)
    return None


def read_statement(name: str, data: bytes) -> tuple[str, list[Line]]:
    """The layout (``ICBC``, ``CCB`` or ``generic``) and the incoming lines of an export."""
    try:
        rows = list(raw_rows(name, data))
    except cells.CellError as exc:
        raise ValidationFailed({"file": str(exc)}) from None
    header_at = None
    headers: list[str] = []
    date = credit = None
    for at, raw in enumerate(rows[:HEADER_WITHIN]):
        headers = [cells.text(h) for h in raw]
        date, credit = _find(headers, DATE), _find(headers, CREDIT)
        if date is not None and credit is not None:
            header_at = at
            break
    if header_at is None:
        raise ValidationFailed(
            {"file": "找不到表头：需有“交易日期”和“贷方发生额”等列 / No header row with a date "
             "and a credit amount column (see docs/bank-statements.md)."}
        )  # fmt: skip
    payer, reference = _find(headers, PAYER), _find(headers, REFERENCE)
    summaries = [i for i, h in enumerate(headers) if h in SUMMARY]
    bank = "CCB" if "账户明细编号-交易流水号" in headers or "贷方发生额（存入）" in headers else (
        "ICBC" if "对方单位名称" in headers or "用途" in headers else "generic"
    )  # fmt: skip
    lines: list[Line] = []
    errors: dict[str, str] = {}
    for number, raw in enumerate(rows[header_at + 1 :], start=header_at + 2):

        def cell(i: int | None, raw: list[Any] = raw) -> Any:
            return raw[i] if i is not None and i < len(raw) else None

        credit_cell = cell(credit)
        if credit_cell is None or cells.text(credit_cell) in ("", "0", "0.00", "-"):
            continue  # an outgoing line
        if not re.search(r"\d", cells.text(cell(date))):
            continue  # a total (合计, 本页小计) or a note below the lines
        try:
            amount = cells.amount(credit_cell)
            booked_on = cells.date(cell(date))
        except cells.CellError as exc:
            errors[f"row {number}"] = str(exc)
            continue
        if amount <= 0:
            continue
        lines.append(
            Line(
                row=number,
                booked_on=booked_on,
                amount=amount,
                payer=cells.text(cell(payer))[:200],
                reference=cells.text(cell(reference))[:100],
                summary=" ".join(cells.text(cell(i)) for i in summaries if cell(i))[:300],
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return bank, lines


def match_line(line: Line) -> tuple[str, Project | None, str]:
    """(status, project, reason) of a line: by contract number, then by payer and amount."""
    tokens = set(_TOKEN.findall(f"{line.reference} {line.summary}"))
    if tokens:
        found = list(
            Project.objects.filter(contract_no__in=tokens, status=Status.SIGNED).order_by("pk")[:2]
        )
        if len(found) == 1:
            return (
                LineStatus.MATCHED,
                found[0],
                _both(
                    f"摘要含合同编号 {found[0].contract_no}",
                    f"contract {found[0].contract_no} in the summary",
                ),
            )
    if not line.payer:
        return LineStatus.UNMATCHED, None, _both("没有付款人", "no payer")
    match = match_customer(line.payer)
    customer = match.customer if match.kind == "exact" else None
    if customer is None:
        return (
            LineStatus.UNMATCHED,
            None,
            _both("付款人不在客户名录中", "the payer is not a registered customer"),
        )
    projects = list(
        Project.objects.filter(customer=customer, status=Status.SIGNED).order_by("signed_on", "pk")
    )
    due = []
    room = []
    for project in projects:
        left = project.contract_amount - received(project)
        if left >= line.amount:
            room.append(project)
        plan = [p for p in plan_of(project, line.booked_on) if not p.covered]
        if plan and plan[0].amount == line.amount:
            due.append((project, plan[0].position))
    if len(due) == 1:
        project, position = due[0]
        return (
            LineStatus.MATCHED,
            project,
            _both(
                f"付款人为客户 {customer.legal_name}，金额等于第 {position} 期应收",
                f"the payer is the customer; the amount is instalment {position}",
            ),
        )
    if room:
        return (
            LineStatus.SUGGESTED,
            room[0],
            _both(
                f"付款人为客户 {customer.legal_name}，该项目未回款足以覆盖",
                "the payer is the customer; this project has that much left to receive",
            ),
        )
    return (
        LineStatus.UNMATCHED,
        None,
        _both(f"付款人为客户 {customer.legal_name}，没有未回款项目", "no project left to receive"),
    )


def _both(zh: str, en: str) -> str:
    """A reason in both languages, as the pages show it (``own_language``)."""
    return f"{zh} / {en}"[:300]


@transaction.atomic(durable=True)
def upload_statement(upload: Any, *, actor: User) -> BankStatement:
    """Read, keep and match a statement (R-IMP-4); the same file twice is a conflict."""
    require_role(actor, Role.FINANCE)
    checked = read_upload(upload, SPREADSHEETS, SPREADSHEET_WORDS)
    if isinstance(checked, str):
        raise ValidationFailed({"file": checked})
    ext, content = checked
    name = str(getattr(upload, "name", "") or "statement")[:200]
    digest = hashlib.sha256(content).hexdigest()
    if (same := BankStatement.objects.filter(sha256=digest).first()) is not None:
        raise Conflict(f"此流水文件已上传（#{same.pk}）/ This statement was uploaded (#{same.pk}).")
    bank, lines = read_statement(name, content)
    statement = BankStatement(
        file_name=name, sha256=digest, bank=bank, uploaded_by=actor, uploaded_at=clock.now()
    )
    statement.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(content), save=False)
    statement.save()
    counts: dict[str, int] = {}
    for line in lines:
        status, project, reason = match_line(line)
        BankLine.objects.create(
            statement=statement, row=line.row, booked_on=line.booked_on, amount=line.amount,
            payer=line.payer, reference=line.reference, summary=line.summary, status=status,
            project=project, reason=reason,
        )  # fmt: skip
        counts[status] = counts.get(status, 0) + 1
    record(actor, "bank.upload", statement,
           after={"file": name, "sha256": digest, "bank": bank, "lines": counts})  # fmt: skip
    return statement


def _project(value: str) -> Project:
    raw = cells.text(value)
    by = Q(contract_no=raw) | Q(pk=int(raw)) if raw.isdigit() else Q(contract_no=raw)
    found = Project.objects.filter(by).first() if raw else None
    if found is None or found.status != Status.SIGNED:
        raise ValidationFailed(
            {"project": "没有此项目编号或合同编号的在执行项目 / No signed project by this id or "
             "contract number."}
        )  # fmt: skip
    return found


@transaction.atomic(durable=True)
def assign_line(line_id: int, *, project: str, actor: User) -> BankLine:
    """Finance names the project of a line the matcher could not (R-IMP-4)."""
    require_role(actor, Role.FINANCE)
    line = BankLine.objects.select_for_update().filter(pk=line_id).first()
    if line is None:
        raise NotFound("没有这一行 / No such line.")
    if line.status == LineStatus.RECORDED:
        raise Conflict("已入账的行不能改 / A recorded line cannot change.")
    chosen = _project(project)
    before = {"project": line.project_id, "status": line.status}
    line.project, line.status, line.reason = (
        chosen,
        LineStatus.SUGGESTED,
        _both("财务指定", "assigned by finance"),
    )
    line.save(update_fields=["project", "status", "reason"])
    record(actor, "bank.assign", line, before=before,
           after={"project": chosen.pk, "status": line.status})  # fmt: skip
    return line


@transaction.atomic(durable=True)
def confirm_lines(line_ids: list[int], *, actor: User) -> list[BankLine]:
    """Record the chosen lines as payments in one step (R-IMP-4), all or none: each through
    the payment service, under the bank's serial number, so a line is never recorded twice."""
    require_role(actor, Role.FINANCE)
    lines = list(
        BankLine.objects.select_for_update(of=("self",))  # not the project: an outer join
        .filter(pk__in=line_ids)
        .exclude(status=LineStatus.RECORDED)
        .select_related("project")
        .order_by("statement", "row")
    )
    if not lines:
        raise ValidationFailed({"lines": "请选择待入账的行 / Choose lines to record."})
    problems: dict[str, str] = {}
    for line in lines:
        if line.project is None:
            problems[f"row {line.row}"] = "尚未指定项目 / No project yet."
            continue
        try:
            with transaction.atomic():
                payment, _created, _outcomes = book_payment(
                    line.project.pk, actor=actor, amount=line.amount,
                    received_on=line.booked_on, reference=line.payment_reference,
                )  # fmt: skip
        except DomainError as exc:
            problems[f"row {line.row}"] = exc.message
            continue
        line.payment, line.status = payment, LineStatus.RECORDED
        line.save(update_fields=["payment", "status"])
    if problems:
        raise ValidationFailed(problems)
    record(actor, "bank.confirm", lines[0].statement,
           after={"lines": [line.row for line in lines],
                  "payments": [line.payment_id for line in lines]})  # fmt: skip
    return lines
