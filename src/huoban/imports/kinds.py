"""What each kind of import reads and does (R-IMP-1…3; ARCHITECTURE §5 `huoban import`): its
columns — the API's field name and the Chinese label, either may head the column — how each
cell is read, and the service that records a row, the same one the forms call."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from huoban.accounts.models import User
from huoban.customers.attribution import attach_attribution
from huoban.customers.matching import match_customer
from huoban.customers.models import Attribution, AttributionSource, CustomerName, NameKind
from huoban.customers.normalize import normalize_name
from huoban.customers.registry import book_alias, clean_uscc, get_or_create_customer
from huoban.errors import ValidationFailed
from huoban.leads.models import OPEN_STATUSES, Lead
from huoban.partners.models import Partner, PartnerKind, PartnerType
from huoban.partners.services import register_partner
from huoban.performance.models import Scorecard
from huoban.performance.services import actuals_on_template, book_scorecard
from huoban.policy import IMPORT_ROLES
from huoban.projects.models import HighMarginCategory, PaymentKind, Project
from huoban.projects.models import Kind as ProjectKind
from huoban.projects.services import book_payment, book_project
from huoban.uscc import normalize_uscc

from . import cells


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # the Chinese header of the template
    read: Callable[[object], Any]
    required: bool = True
    example: object = ""
    note: str = ""


class GroupRefused(Exception):
    """A group of rows refused: (row number, field, message) for each problem."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        super().__init__("; ".join(m for _r, _f, m in problems))
        self.problems = problems


Rows = list[tuple[int, dict[str, Any]]]  # (row number, values) of one group


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    roles: tuple[str, ...]
    columns: tuple[Column, ...]
    # records one row in the caller's transaction; True when it created something
    apply: Callable[[dict[str, Any], User], bool] | None = None
    # the column a NotFound or a Conflict from the service belongs to
    not_found_column: str = ""
    conflict_column: str = ""
    # a kind whose rows make records together (a month's scorecard): the rows' key, and the
    # recording of a group (raising GroupRefused); True when it created something
    group: Callable[[dict[str, Any]], tuple[Any, ...]] | None = None
    apply_group: Callable[[Rows, User], bool] | None = None
    # a service's error field that is another column's (the service's customer_id is the row's
    # customer name)
    fields: dict[str, str] = field(default_factory=dict)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


_PAYMENT_KINDS = {"payment": PaymentKind.PAYMENT, "回款": PaymentKind.PAYMENT,
                  "收款": PaymentKind.PAYMENT, "refund": PaymentKind.REFUND,
                  "退款": PaymentKind.REFUND}  # fmt: skip


def _payment_kind(value: object) -> str:
    raw = cells.text(value).lower()
    if not raw:
        return PaymentKind.PAYMENT
    if raw not in _PAYMENT_KINDS:
        raise cells.CellError("类型为 回款 或 退款 / The kind is payment or refund.")
    return _PAYMENT_KINDS[raw]


def _optional_text(value: object) -> str | None:
    return cells.text(value) or None


def _reference(value: object) -> str:
    raw = cells.text(value)
    if not raw:
        raise cells.CellError("流水号不能为空 / The reference is missing.")
    if len(raw) > 100:
        raise cells.CellError("流水号最多 100 字 / A reference has at most 100 characters.")
    return raw


def _payment(row: dict[str, Any], actor: User) -> bool:
    project_id = row.get("project_id")
    if project_id is None and row.get("contract_no"):
        project_id = (
            Project.objects.filter(contract_no=row["contract_no"])
            .values_list("pk", flat=True)
            .first()
        )
        if project_id is None:
            raise ValidationFailed(
                {"contract_no": "没有此合同编号的项目 / No project has this contract number."}
            )
    if project_id is None:
        raise ValidationFailed(
            {"project_id": "项目编号或合同编号必填其一 / The project id or its contract number."}
        )
    _payment_row, created, _outcomes = book_payment(
        project_id,
        actor=actor,
        amount=row["amount"],
        received_on=row["received_on"],
        reference=row["reference"],
        kind=row.get("kind") or PaymentKind.PAYMENT,
        refund_of=row.get("refund_of"),
    )
    return created


PAYMENTS = Kind(
    name="payments",
    label="回款",
    roles=IMPORT_ROLES["payments"],
    columns=(
        Column("project_id", "项目编号", cells.whole_number, required=False, example=1,
               note="项目编号或合同编号填其一"),
        Column("amount", "金额", cells.amount, example="120000.00"),
        Column("received_on", "到账日", cells.date, example="2026-11-05"),
        Column("reference", "流水号", _reference, example="BANK-20261105-001"),
        Column("kind", "类型", _payment_kind, required=False, example="回款",
               note="回款 / 退款，空为回款"),
        Column("refund_of", "原流水号", _optional_text, required=False,
               note="退款时填原回款的流水号"),
        Column("contract_no", "合同编号", _optional_text, required=False,
               note="签约时登记的合同编号，可代替项目编号"),
    ),
    apply=_payment,
    not_found_column="project_id",
    conflict_column="reference",
)  # fmt: skip


def _scorecard(rows: Rows, actor: User) -> bool:
    """One partner's month from its rows (R-KPI-2): the template's KPIs with the actuals of the
    file; the month recorded before with the same actuals is unchanged (R-IMP-2)."""
    first, values = rows[0]
    code, period = values["partner_code"], values["period"]
    by_name: dict[str, tuple[int, Decimal]] = {}
    problems: list[tuple[int, str, str]] = []
    for number, row in rows:
        if row["kpi"] in by_name:
            problems.append((number, "kpi", "同月指标重复 / This KPI is listed twice this month."))
        by_name[row["kpi"]] = (number, row["actual"])
    if problems:
        raise GroupRefused(problems)
    if not Partner.objects.filter(code=code).exists():
        raise GroupRefused([(n, "partner_code", f"没有伙伴 {code} / No partner {code}.")
                            for n, _r in rows])  # fmt: skip
    try:
        kpis = actuals_on_template(code, {k: str(v) for k, (_n, v) in by_name.items()})
    except ValidationFailed as exc:
        raise GroupRefused(
            [
                (by_name[key.split(".", 1)[1]][0], "kpi", message)
                if key.startswith("actuals.")
                else (first, "partner_code", message)
                for key, message in exc.errors.items()
            ]
        ) from None
    year, month = int(period[:4]), int(period[5:])
    recorded = Scorecard.objects.current().filter(partner__code=code, year=year, month=month)
    existing = recorded.first()
    if existing is not None:
        before = {k["name"]: Decimal(k["actual"]) for k in existing.items}
        if before == {k: v for k, (_n, v) in by_name.items()}:
            return False
        message = (
            f"{period} 已有记分卡，更正请在页面提交修订版 / "
            f"{period} already has a scorecard: correct it with a revision."
        )
        raise GroupRefused([(first, "period", message)])
    try:
        book_scorecard(code, period=period, kpis=kpis, actor=actor)
    except ValidationFailed as exc:
        raise GroupRefused(
            [(first, "period" if key == "period" else "actual", message)
             for key, message in exc.errors.items()]
        ) from None  # fmt: skip
    return True


KPIS = Kind(
    name="kpis",
    label="记分卡实际值",
    roles=IMPORT_ROLES["kpis"],
    columns=(
        Column("partner_code", "伙伴编号", cells.text, example="P00001"),
        Column("period", "月份", cells.month, example="2026-11"),
        Column(
            "kpi", "指标", cells.text, example="签约量", note="与伙伴记分卡模板中的指标名称一致"
        ),
        Column("actual", "实际值", cells.measure, example=580),
    ),
    group=lambda row: (row["partner_code"], row["period"]),
    apply_group=_scorecard,
)

_YES = {"是", "y", "yes", "true", "1", "√", "确认"}


def _yes(value: object) -> bool:
    return cells.text(value).lower() in _YES


def _aliases(value: object) -> list[str]:
    return [a.strip() for a in re.split(r"[;；、|]", cells.text(value)) if a.strip()]


def _required_text(value: object) -> str:
    raw = cells.text(value)
    if not raw:
        raise cells.CellError("不能为空 / Must not be empty.")
    return raw


def _customer(row: dict[str, Any], actor: User) -> bool:
    """One customer (R-ATT-1/2, R-IMP-3): found by matching as a lead's customer is — a
    possible match is the row's error unless 确认新客户 says it is another company — with its
    aliases added, and its owner when it has none (R-ATT-4's history, source ``import``); an
    import never takes a customer from its owner (D-IMP-4)."""
    name = row["name"]
    uscc = clean_uscc(row.get("uscc"), field="uscc")
    match = match_customer(name, uscc)
    changed = False
    if match.kind == "exact" and match.customer is not None:
        customer = match.customer
    elif match.kind == "possible" and match.customer is not None and not row.get("new"):
        raise ValidationFailed(
            {
                "name": f"可能与已登记客户“{match.customer.legal_name}”为同一主体：是同一客户请用"
                "其名称，不是请在“确认新客户”填“是” / Possibly the registered customer "
                f"{match.customer.legal_name}: use its name if it is, or put 是 under 确认新客户."
            }
        )
    else:
        customer, changed = get_or_create_customer(
            name, uscc=uscc, region=row.get("region") or "", industry=row.get("industry") or ""
        )
    for alias in row.get("aliases") or []:
        taken = CustomerName.objects.filter(normalized=normalize_name(alias)).first()
        if taken is not None and taken.customer_id == customer.pk:
            continue
        if taken is not None:
            raise ValidationFailed(
                {"aliases": f"别名“{alias}”已属于另一客户 / {alias} is another customer's name."}
            )
        book_alias(customer, alias, NameKind.ALIAS, actor=actor)
        changed = True
    code = row.get("owner")
    if code:
        partner = Partner.objects.filter(code=code).first()
        if partner is None:
            raise ValidationFailed({"owner": f"没有伙伴 {code} / No partner {code}."})
        owner = Attribution.objects.filter(customer=customer).select_related("partner").first()
        if owner is not None and owner.partner_id != partner.pk:
            raise ValidationFailed(
                {
                    "owner": f"客户已归属 {owner.partner.code} {owner.partner.name}，导入不改变归属"
                    f"（转移须由管理员书面说明） / Already owned by {owner.partner.code}: an "
                    "import never changes the owner (an admin transfers, with a reason)."
                }
            )
        if owner is None:
            waiting = (
                Lead.objects.filter(customer=customer, status__in=OPEN_STATUSES)
                .exclude(partner=partner)
                .exists()
            )
            if waiting:
                raise ValidationFailed(
                    {
                        "owner": "其他伙伴对该客户的线索待评估，评估后再导入归属 / Another "
                        "partner's lead on this customer awaits its verdict (R-ATT-3)."
                    }
                )
            attach_attribution(customer, partner, source=AttributionSource.IMPORT)
            changed = True
    return changed


CUSTOMERS = Kind(
    name="customers",
    label="客户",
    roles=IMPORT_ROLES["customers"],
    columns=(
        Column("name", "客户名称", _required_text, example="晋城华东机械制造有限公司"),
        Column("uscc", "统一社会信用代码", _optional_text, required=False,
               example="91140500MA0K3XXXXX", note="18 位，选填"),
        Column("aliases", "别名", _aliases, required=False, example="华东机械；晋城华东",
               note="多个用“；”或“、”分隔"),
        Column("region", "地区", cells.text, required=False, example="山西晋城"),
        Column("industry", "行业", cells.text, required=False, example="装备制造"),
        Column("owner", "归属伙伴", _optional_text, required=False, example="P00001",
               note="伙伴编号；客户尚无归属时记为该伙伴的既有客户"),
        Column("new", "确认新客户", _yes, required=False,
               note="与已登记客户名称相近但并非同一主体时填“是”"),
    ),
    apply=_customer,
    not_found_column="owner",
    conflict_column="aliases",
)  # fmt: skip

_KINDS_BY_WORD = {"个人": PartnerKind.INDIVIDUAL, "机构": PartnerKind.ORGANIZATION,
                  "企业": PartnerKind.ORGANIZATION, "公司": PartnerKind.ORGANIZATION,
                  **{v: v for v in PartnerKind.values}}  # fmt: skip
_TYPES_BY_WORD = {"渠道伙伴": PartnerType.CHANNEL, "渠道": PartnerType.CHANNEL,
                  "技术伙伴": PartnerType.TECHNOLOGY, "技术": PartnerType.TECHNOLOGY,
                  "供应商": PartnerType.SUPPLIER, "战略投资方": PartnerType.STRATEGIC_INVESTOR,
                  "海外代理": PartnerType.OVERSEAS_AGENT,
                  **{v: v for v in PartnerType.values}}  # fmt: skip


def _partner_kind(value: object) -> str:
    raw = cells.text(value).lower()
    if raw not in _KINDS_BY_WORD:
        raise cells.CellError("类型为 个人 或 机构 / The kind is individual or organization.")
    return str(_KINDS_BY_WORD[raw])


def _partner_types(value: object) -> list[str]:
    words = [w.strip().lower() for w in re.split(r"[;；、|,，]", cells.text(value)) if w.strip()]
    unknown = [w for w in words if w not in _TYPES_BY_WORD]
    if unknown:
        raise cells.CellError(
            f"未知合作类别：{'、'.join(unknown)}（渠道伙伴、技术伙伴、供应商、战略投资方、海外代理）"
            " / Unknown partner type."
        )
    return list(dict.fromkeys(str(_TYPES_BY_WORD[w]) for w in words))


def _partner(row: dict[str, Any], actor: User) -> bool:
    """One partner (R-PTR, R-IMP-2): found by its code, else its USCC, else its name — then
    unchanged; otherwise registered by the service the form calls, at the light tier and
    waiting for the gm's approval like any new partner (R-AGR-2)."""
    code = (row.get("code") or "").upper() or None
    uscc = normalize_uscc(row["uscc"]) if row.get("uscc") else None
    existing = (
        (Partner.objects.filter(code=code).first() if code else None)
        or (Partner.objects.filter(uscc=uscc).first() if uscc else None)
        or (Partner.objects.filter(name=row["name"]).first() if not code and not uscc else None)
    )
    if existing is not None:
        if existing.name != row["name"]:
            raise ValidationFailed(
                {"name": f"{existing.code} 已登记为“{existing.name}”：资料修改请在伙伴页面进行 / "
                 f"{existing.code} is registered as {existing.name}; edit it on its page."}
            )  # fmt: skip
        return False
    register_partner(
        name=row["name"],
        kind=row["kind"],
        actor=actor,
        types=row.get("types") or [],
        region=row.get("region") or "",
        uscc=row.get("uscc") or None,
        referrer_code=row.get("referrer_code") or None,
        contact_name=row.get("contact_name") or "",
        contact_phone=row.get("contact_phone") or "",
        code=code,
    )
    return True


PARTNERS = Kind(
    name="partners",
    label="伙伴",
    roles=IMPORT_ROLES["partners"],
    columns=(
        Column("code", "伙伴编号", cells.text, required=False, example="P00101",
               note="选填；留空则自动编号"),
        Column("name", "名称", _required_text, example="晋中数智科技有限公司"),
        Column("kind", "类型", _partner_kind, example="机构", note="个人 或 机构"),
        Column("types", "合作类别", _partner_types, required=False, example="渠道伙伴",
               note="渠道伙伴、技术伙伴、供应商、战略投资方、海外代理；多个用“、”分隔"),
        Column("region", "地区", cells.text, required=False, example="山西晋中"),
        Column("uscc", "统一社会信用代码", _optional_text, required=False, note="机构选填"),
        Column("referrer_code", "推荐伙伴编号", _optional_text, required=False,
               note="招募它的伙伴（得 1% 招募奖励）"),
        Column("contact_name", "联系人", cells.text, required=False, example="王经理"),
        Column("contact_phone", "联系电话", cells.text, required=False, example="13800000000"),
    ),
    apply=_partner,
    not_found_column="referrer_code",
    conflict_column="code",
)  # fmt: skip

_PROJECT_KINDS = {"新签": ProjectKind.NEW, "续费": ProjectKind.RENEWAL, "续约": ProjectKind.RENEWAL,
                  "增项": ProjectKind.INCREMENT, "迭代": ProjectKind.ITERATION,
                  "二次开发": ProjectKind.ITERATION, "迭代/二次开发": ProjectKind.ITERATION,
                  **{v: v for v in ProjectKind.values}}  # fmt: skip
_MARGIN_CATEGORIES = {"ai 定制": HighMarginCategory.AI_CUSTOM,
                      "ai定制": HighMarginCategory.AI_CUSTOM,
                      "信创": HighMarginCategory.XINCHUANG,
                      "信创国产化": HighMarginCategory.XINCHUANG,
                      "政企总包": HighMarginCategory.GOV_TURNKEY,
                      "政务总包": HighMarginCategory.GOV_TURNKEY,
                      **{v: v for v in HighMarginCategory.values}}  # fmt: skip


def _project_kind(value: object) -> str:
    raw = cells.text(value).lower()
    if not raw:
        return str(ProjectKind.NEW)
    if raw not in _PROJECT_KINDS:
        raise cells.CellError(
            "类型为 新签、续费、增项 或 迭代 / The kind is new, renewal, increment or iteration."
        )
    return str(_PROJECT_KINDS[raw])


def _margin_category(value: object) -> str | None:
    raw = cells.text(value).lower()
    if not raw:
        return None
    found = _MARGIN_CATEGORIES.get(raw)
    if found is None:
        raise cells.CellError("高毛利类别不认识 / Unknown high-margin category.")
    return str(found)


def _project(row: dict[str, Any], actor: User) -> bool:
    """One signed contract (R-PROJ-1/2, R-IMP-2/3): found by its contract number — then
    unchanged when it is the same contract — else signed for its customer, who must be in the
    registry and owned (an import of customers first), through the signing service: the rate,
    the commission total and the policy locked as by hand, the credit checked (R-CRED-3)."""
    contract_no = row["contract_no"]
    existing = Project.objects.filter(contract_no=contract_no).select_related("customer").first()
    match = match_customer(row["customer_name"], row.get("customer_uscc"))
    if existing is not None:
        same = (
            match.customer is not None
            and existing.customer_id == match.customer.pk
            and existing.contract_amount == row["contract_amount"]
            and existing.signed_on == row["signed_on"]
        )
        if not same:
            terms = (
                f"{existing.customer.legal_name}，{existing.contract_amount}，{existing.signed_on}"
            )
            raise ValidationFailed(
                {"contract_no": f"合同编号已用于项目 #{existing.pk}（{terms}）/ Project "
                 f"#{existing.pk} has this number with other terms."}
            )  # fmt: skip
        return False
    if match.kind != "exact" or match.customer is None:
        raise ValidationFailed(
            {"customer_name": "客户未登记或名称不能确定：请先导入客户 / The customer is not in the "
             "registry (or not certainly): import the customers first."}
        )  # fmt: skip
    book_project(
        actor=actor,
        customer_id=match.customer.pk,
        title=row["title"],
        kind=row.get("kind") or ProjectKind.NEW,
        high_margin=bool(row.get("high_margin")),
        high_margin_category=row.get("high_margin_category"),
        contract_amount=row["contract_amount"],
        signed_on=row["signed_on"],
        cash_only=bool(row.get("cash_only")),
        contract_no=contract_no,
    )
    return True


PROJECTS = Kind(
    name="projects",
    label="项目",
    roles=IMPORT_ROLES["projects"],
    columns=(
        Column("contract_no", "合同编号", _required_text, example="HT-2026-0101"),
        Column("customer_name", "客户名称", _required_text, example="晋城华东机械制造有限公司",
               note="须已在客户名录中，且已归属伙伴"),
        Column("customer_uscc", "客户信用代码", _optional_text, required=False),
        Column("title", "项目名称", _required_text, example="生产数据平台"),
        Column("kind", "类型", _project_kind, required=False, example="新签",
               note="新签、续费、增项 或 迭代；空为新签"),
        Column("contract_amount", "合同额", cells.amount, example="300000.00"),
        Column("signed_on", "签约日", cells.date, example="2026-03-15"),
        Column("high_margin", "高毛利", _yes, required=False, note="是 / 否"),
        Column("high_margin_category", "高毛利类别", _margin_category, required=False,
               note="AI 定制、信创国产化 或 政企总包"),
        Column("cash_only", "全额预付", _yes, required=False, note="是 / 否"),
    ),
    apply=_project,
    not_found_column="customer_name",
    conflict_column="customer_name",
    fields={"customer_id": "customer_name", "lead_id": "customer_name"},
)  # fmt: skip

KINDS: dict[str, Kind] = {k.name: k for k in (PARTNERS, CUSTOMERS, PROJECTS, PAYMENTS, KPIS)}
