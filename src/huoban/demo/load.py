"""The demo data set loaded by `huoban demo` (ARCHITECTURE §5).

A realistic Chinese partner programme in its first year (2026): the technology partner
极峰科技 (seed 001, code CP001) and its 东义集团 coal-chemical AI project, three channel partners
(an individual, a 山西 regional integrator, a consultancy), a partner the consultancy recruited,
and leads in every status.

Everything is built through the service functions, with the clock frozen at each step's
business time, so the audit log, the attributions and the SLA due times are the real ones.
Each step is its own transaction; a second call finds the demo admin and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from huoban import clock
from huoban.accounts.models import Role, User
from huoban.accounts.services import create_user
from huoban.agreements.services import (
    approve_agreement,
    attach_agreement_file,
    draft_agreement,
    review_agreement,
)
from huoban.analytics.services import record_cost
from huoban.commissions.statements import CJK_FONT
from huoban.credit.services import record_review, set_billing_plan
from huoban.customers.attribution import link_related
from huoban.customers.consent import grant_consent
from huoban.customers.inbound import record_inbound_contact
from huoban.customers.models import Customer, LinkKind, NameKind, ReferralAnswer
from huoban.customers.registry import add_alias, get_or_create_customer
from huoban.imports.bank import upload_statement
from huoban.imports.services import run_import
from huoban.leads.models import Category, Lead, ReasonCode, Status, Verdict
from huoban.leads.services import (
    LeadInput,
    VerdictInput,
    appeal,
    flag_overdue_leads,
    record_verdict,
    resolve_match,
    sign_second_review,
    submit_lead,
)
from huoban.partners.inquiries import submit_inquiry
from huoban.partners.models import CompanyViolationKind, Partner, PartnerKind, PartnerType, Tier
from huoban.partners.services import approve_partner, register_partner
from huoban.performance.cases import record_ownership_change
from huoban.performance.meetings import record_meeting
from huoban.performance.risks import raise_risk
from huoban.performance.services import record_health, record_scorecard, set_scorecard_template
from huoban.profiles.rules import CAPABILITY, WILLINGNESS
from huoban.profiles.services import (
    assess_criticality,
    record_assessment,
    record_delivery_review,
)
from huoban.projects.models import Project
from huoban.selection.services import (
    add_candidate,
    attach_candidate_file,
    create_selection,
    move_stage,
    record_trial,
)
from huoban.standing.tier_services import apply_for_strategic
from huoban.standing.violations import report_company_violation
from huoban.uscc import check_character

from .money import add_money

DEMO_PASSWORD = "huoban-demo-2026"
# The idempotency marker: the demo admin (this user name with this e-mail). A load that fails
# takes the e-mail off again (load_demo), so the marker stands only after a complete load.
MARKER_USERNAME = "admin"
MARKER_EMAIL = "admin@huoban.example"

SH = ZoneInfo("Asia/Shanghai")

# (username, role, display name); the lists' order is the printed order.
STAFF_USERS: list[tuple[str, str, str]] = [
    ("admin", Role.ADMIN, "陈立新"),
    ("officer", Role.OFFICER, "刘婷"),
    ("officer2", Role.OFFICER, "赵磊"),
    ("presales", Role.PRESALES, "孙浩"),
    ("pm", Role.PM, "周敏"),
    ("finance", Role.FINANCE, "吴静"),
    ("gm", Role.GM, "郑国华"),
    ("legal", Role.LEGAL, "何晓雯"),
]
# (username, display name, partner key)
PARTNER_USERS: list[tuple[str, str, str]] = [
    ("jifeng", "王博士", "jifeng"),
    ("jifeng2", "索总", "jifeng"),
    ("zhangwei", "张伟", "zhangwei"),
    ("jinlian", "郭建华", "jinlian"),
    ("huice", "林晓", "huice"),
    ("dianyun", "杨帆", "dianyun"),
]
ROLE_LABELS = {
    Role.ADMIN: "管理员 admin",
    Role.OFFICER: "伙伴关系官 officer",
    Role.PRESALES: "售前 presales",
    Role.PM: "项目经理 pm",
    Role.FINANCE: "财务 finance",
    Role.GM: "总经理 gm",
    Role.LEGAL: "法务 legal",
    Role.PARTNER: "合作伙伴 partner",
}


def _org_code_check(org8: str) -> str:
    """The check character of a 9-character organisation code (GB 11714)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(org8, weights, strict=True)
    )
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def demo_uscc(head8: str, org8: str) -> str:
    """A USCC that passes the GB 32100 check (R-ATT-1) but can belong to no real company: its
    embedded organisation code carries a deliberately wrong GB 11714 check character."""
    wrong = next(d for d in "0123456789" if d != _org_code_check(org8))
    body = head8 + org8 + wrong
    return body + check_character(body)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A business moment in 2026, Beijing time, expressed in UTC.

    UTC because the audit chain hashes the event time's ISO form, which must read back from
    the database (in UTC) exactly as it was written.
    """
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SH).astimezone(dt.UTC)


class DemoConflict(RuntimeError):
    """The database holds users with the demo's names but is not a demo database."""


# R-SEL-2: the insurers' capability (resources, technology, operations, credibility) and
# willingness (executive support, dedicated team, long-term commitment) at screening:
# 众安 4.3 / 4.3, 泰康 4.0 / 3.7, 蔕来保 2.8 / 2.7.
SCREENING_SCORES = {
    "众安在线": ((4, 5, 4, 4), (5, 4, 4)),
    "泰康在线": ((4, 3, 4, 5), (4, 4, 3)),
    "蔕来保": ((3, 3, 3, 2), (3, 2, 3)),
}


# Seed 001's 合作风险管理 for 极峰科技 (R-RISK-1).
SEED_001_RISKS = [
    ("分成比例未定", "revenue_share", "high", "影响合作积极性，可能导致合作破裂",
     "本周内完成协商，签订明确协议"),
    ("责任边界模糊", "responsibility", "high", "项目问题时推诿扯皮",
     "三方协议中明确各方责任和验收标准"),
    ("客户关系管理", "customer", "medium", "极峰科技可能绕过汇炼直接接触客户",
     "协议中约定客户关系归汇炼所有"),
    ("技术依赖", "technology", "medium", "过度依赖极峰科技，议价能力弱",
     "培养自身技术团队，逐步降低依赖"),
    ("知识产权", "ip", "medium", "知识产权归属不清", "协议中明确约定"),
    ("沟通协调", "communication", "low", "项目执行中沟通不畅", "建立定期沟通机制"),
]  # fmt: skip

# 滇云's November (R-KPI-2): 90 ÷ 200 = 45.0, 58 ÷ 70 = 82.9, 5 ÷ 7.5 = 66.7 → 64.8 unqualified.
DIANYUN_NOVEMBER = [
    {"name": "签约量", "direction": "higher", "target": 200, "actual": 90, "unit": "单",
     "dimension": "business"},
    {"name": "NPS", "direction": "higher", "target": 70, "actual": 58, "dimension": "customer"},
    {"name": "投诉率", "direction": "lower", "target": 5, "actual": "7.5", "unit": "%",
     "complaint_rate": True},
]  # fmt: skip


def seed_002_kpis(
    signed: int, conversion: str, nps: int, complaints: str, quote: int, failure: str
) -> list[dict[str, object]]:
    """Seed 002's monthly report as scorecard KPIs (R-KPI-3): targets 500, 18%, 70, ≤ 5%,
    ≤ 24 h, ≤ 1%."""
    return [
        {"name": "签约量", "direction": "higher", "target": 500, "actual": signed, "unit": "单",
         "dimension": "business"},
        {"name": "转化率", "direction": "higher", "target": 18, "actual": conversion,
         "unit": "%", "dimension": "business"},
        {"name": "NPS", "direction": "higher", "target": 70, "actual": nps,
         "dimension": "customer"},
        {"name": "投诉率", "direction": "lower", "target": 5, "actual": complaints, "unit": "%",
         "dimension": "customer", "complaint_rate": True},
        {"name": "报价时效", "direction": "lower", "target": 24, "actual": quote, "unit": "h",
         "dimension": "operations"},
        {"name": "故障率", "direction": "lower", "target": 1, "actual": failure, "unit": "%",
         "dimension": "operations"},
    ]  # fmt: skip


def demo_pdf(name: str, lines: list[str]) -> SimpleUploadedFile:
    """A one-page PDF standing in for a scanned document (agreement, NDA) in the demo."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setFont(CJK_FONT, 14)
    for n, line in enumerate(lines):
        page.drawString(72, 760 - 24 * n, line)
    page.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def demo_usernames() -> list[str]:
    return [u for u, _, _ in STAFF_USERS] + [u for u, _, _ in PARTNER_USERS]


def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo data once; return the demo logins as (username, password, role label)."""
    if not User.objects.filter(username=MARKER_USERNAME, email=MARKER_EMAIL).exists():
        taken = sorted(
            User.objects.filter(username__in=demo_usernames()).values_list("username", flat=True)
        )
        if taken:
            raise DemoConflict(
                f"数据库中已有同名用户 {', '.join(taken)}，不是演示库 / users {', '.join(taken)} "
                "exist but this is not a demo database: use an empty HUOBAN_DATA_DIR."
            )
        # Each step is a business action in its own durable transaction (D-FRAME-15), as when
        # staff do it by hand, so the load is not one transaction. If it fails half way the
        # marker is taken off the admin user: the next load refuses the half-built database
        # (DemoConflict: use an empty HUOBAN_DATA_DIR) instead of taking it for a demo.
        try:
            _DemoBuilder(anchor=clock.now()).build()
        except BaseException:
            User.objects.filter(username=MARKER_USERNAME, email=MARKER_EMAIL).update(email="")
            raise
    return logins()


def logins() -> list[tuple[str, str, str]]:
    """The printed logins; partner users are labelled with their partner's name and code."""
    users = {
        u.username: u
        for u in User.objects.select_related("partner").filter(username__in=demo_usernames())
    }
    rows: list[tuple[str, str, str]] = []
    for username in demo_usernames():
        user = users.get(username)
        if user is None:
            continue
        label = ROLE_LABELS.get(Role(user.role), user.role)
        if user.display_name:
            label = f"{label} · {user.display_name}"
        if user.partner is not None and user.partner.name != user.display_name:
            label = f"{label} @ {user.partner.name} ({user.partner.code})"
        elif user.partner is not None:
            label = f"{label} ({user.partner.code})"
        rows.append((username, DEMO_PASSWORD, label))
    return rows


class _DemoBuilder:
    """Builds the data set step by step, each step at its own frozen business time."""

    def __init__(self, anchor: dt.datetime) -> None:
        # The real "today" of the load: the recent leads (fresh, overdue, under appeal) are placed
        # relative to it; the history uses fixed 2026 dates.
        self.anchor = anchor.astimezone(dt.UTC)
        self.users: dict[str, User] = {}
        self.partners: dict[str, Partner] = {}
        self.customers: dict[str, Customer] = {}

    def ago(self, days: int = 0, hours: int = 0) -> dt.datetime:
        return self.anchor - dt.timedelta(days=days, hours=hours)

    # --- people ------------------------------------------------------------------------------

    def build(self) -> None:
        # The programme started in September 2025, when 极峰科技 signed on (seed 001).
        with clock.frozen(dt.datetime(2025, 9, 1, 9, tzinfo=SH).astimezone(dt.UTC)):
            self.staff()
            self.register_partners()
            self.partner_users()
            self.grade_partners()
        self.history()
        self.agreements()
        self.selection()
        add_money(self)
        self.reassess()
        self.meetings()
        self.scorecards()
        self.recent()
        self.queues()
        self.credit()
        self.channel_costs()
        self.imports()
        flag_overdue_leads()  # what the daily job would have done since (R-LEAD-3)

    def staff(self) -> None:
        for username, role, display_name in STAFF_USERS:
            actor = self.users.get("admin")
            self.users[username] = create_user(
                username,
                DEMO_PASSWORD,
                role,
                display_name=display_name,
                email=f"{username}@huoban.example",
                actor=actor,
            )

    def grade_partners(self) -> None:
        """R-CRIT-1: 极峰科技, seed 001's one core technology partner, co-delivers the AI
        platform of the 东义 project: strategic value ★4, hard to replace → S."""
        assess_criticality(
            self.partners["jifeng"].code,
            strategic_value=4,
            substitutability="hard",
            investment="high",
            reason="东义项目 AI 平台的核心交付方，短期难以替代（种子 001）",
            actor=self.users["officer"],
        )
        # R-ASM-2 (seed 001's 技术能力评估): three dimensions still 待验证.
        record_delivery_review(
            self.partners["jifeng"].code,
            ratings=[
                ("AI算法能力", "excellent"),
                ("开发效率", "to_verify"),
                ("项目管理", "to_verify"),
                ("沟通配合", "good"),
                ("交付质量", "to_verify"),
            ],
            note="首次合作，项目执行中验证（种子 001）",
            actor=self.users["officer"],
        )
        # R-ASM-1: capability and willingness at signing; reassessed in November (reassess).
        self.assess(
            capability=(3, 5, 3, 3),
            willingness=(4, 3, 3),
            notes={
                "technology": "工业 AI 算法团队 12 人，煤化工场景有落地案例",
                "operations": "尚无大型项目交付记录",
                "long_term_commitment": "口头表示长期合作，尚未书面承诺",
            },
        )

    def assess(
        self,
        *,
        capability: tuple[int, int, int, int],
        willingness: tuple[int, int, int],
        notes: dict[str, str],
    ) -> None:
        code, officer = self.partners["jifeng"].code, self.users["officer"]
        for kind, scores in (
            ("capability", dict(zip(CAPABILITY, capability, strict=True))),
            ("willingness", dict(zip(WILLINGNESS, willingness, strict=True))),
        ):
            keep = {k: v for k, v in notes.items() if k in scores}
            record_assessment(code, kind=kind, scores=scores, notes=keep, actor=officer)

    def credit(self) -> None:
        """R-CRED (seed 003's 客户资信调查): finance's reviews of three customers and the billing
        plans of two projects. 华泰 has not paid its first instalment in full since May (the
        refund left 124,000.00 of 144,000.00): more than 90 days overdue, it is held at medium
        whatever its review says; 东义's limit of 3,000,000.00 waits for the gm."""
        finance = self.users["finance"]
        huatai = Project.objects.get(title="华泰煤化工 生产管理平台")
        coking = Project.objects.get(title="孝义焦化 设备预测性维护（增项）")
        with clock.frozen(dt.datetime(2026, 11, 25, 10, tzinfo=SH).astimezone(dt.UTC)):
            set_billing_plan(
                huatai.pk, actor=finance, instalments=[
                    {"amount": "144000.00", "due_on": "2026-05-20"},
                    {"amount": "192000.00", "due_on": "2026-10-31"},
                    {"amount": "144000.00", "due_on": "2027-03-31"},
                ],
            )  # fmt: skip
            set_billing_plan(
                coking.pk, actor=finance, instalments=[
                    {"amount": "78000.00", "due_on": "2026-09-20"},
                    {"amount": "104000.00", "due_on": "2026-12-31"},
                    {"amount": "78000.00", "due_on": "2027-03-31"},
                ],
            )  # fmt: skip
            record_review(
                huatai.customer_id, rating="B", risk="low", credit_limit="600000.00",
                sources=["国家企业信用信息公示系统", "中国执行信息公开网"],
                registered_capital="50000000", years_in_operation=12,
                note="经营稳定；首期款因退款差额未结清", actor=finance,
            )  # fmt: skip
            record_review(
                coking.customer_id, rating="B", risk="medium", credit_limit="300000.00",
                sources=["国家企业信用信息公示系统"], years_in_operation=8,
                note="东义集团子公司，按母公司担保额度控制", actor=finance,
            )  # fmt: skip
            record_review(
                self.customers["dongyi"].pk, rating="A", risk="low",
                credit_limit="3000000.00", sources=["国家企业信用信息公示系统", "行业协会"],
                registered_capital="800000000", years_in_operation=25,
                note="集团客户，回款记录良好；额度超过 100 万，报总经理审批", actor=finance,
            )  # fmt: skip

    def imports(self) -> None:
        """R-IMP-1: finance checked two payment files this morning — one with an amount written
        in 万 (its row named, nothing written), one clean and waiting to be confirmed on
        /console/imports/ — and uploaded the bank's export to reconcile (R-IMP-4). No payment
        is written."""
        finance = self.users["finance"]
        project = (
            Project.objects.filter(status="signed", payments__isnull=True)
            .order_by("pk")
            .values_list("pk", "signed_on", "contract_amount", "contract_no")
            .first()
        )
        if project is None:
            return
        pk, signed_on, contract_amount, contract_no = project
        tenth = (contract_amount / 10).quantize(Decimal("0.01"))
        header = "项目编号,金额,到账日,流水号\n"
        with clock.frozen(self.ago(hours=2)):
            day = max(signed_on, clock.today() - dt.timedelta(days=1)).isoformat()
            for name, amount in (("十二月银行回款-初稿.csv", f"{tenth / 10000}万"),
                                 ("十二月银行回款.csv", str(tenth))):  # fmt: skip
                data = f"{header}{pk},{amount},{day},ICBC-1207-01\n".encode()
                run_import(
                    "payments", file_name=name, data=data, actor=finance, dry_run=True, keep=True
                )
            # R-IMP-4: the bank's export of the same days — the line naming the contract is
            # matched, one from a payer not in the registry waits for finance.
            statement = (
                "中国工商银行 企业网上银行 账户明细\n\n"
                "交易日期,凭证号,对方单位名称,摘要,用途,借方发生额,贷方发生额\n"
                f"{day},ICBC-1207-01,东义集团代付中心,货款,{contract_no} 首期款,,{tenth}\n"
                f"{day},ICBC-1207-02,晋中某贸易有限公司,往来款,,,8800.00\n"
                f"{day},ICBC-1207-03,某供应商,,采购付款,12000.00,\n"
            )
            upload_statement(
                SimpleUploadedFile("工行账户明细-12月.csv", statement.encode("utf-8-sig")),
                actor=finance,
            )

    def channel_costs(self) -> None:
        """R-ANL-1: what the programme spent on two channels beyond their commission."""
        finance, officer = self.users["finance"], self.users["officer"]
        with clock.frozen(dt.datetime(2026, 11, 28, 10, tzinfo=SH).astimezone(dt.UTC)):
            for key, amount, day, category, note, actor in (
                (
                    "jinlian",
                    "30000.00",
                    dt.date(2026, 6, 18),
                    "event",
                    "晋中煤化工客户沙龙",
                    finance,
                ),
                (
                    "jinlian",
                    "12000.00",
                    dt.date(2026, 9, 10),
                    "marketing_fund",
                    "联合宣传册",
                    finance,
                ),
                (
                    "jifeng",
                    "8600.00",
                    dt.date(2026, 11, 5),
                    "travel",
                    "东义项目现场支持差旅",
                    officer,
                ),
            ):
                record_cost(self.partners[key].code, amount=amount, spent_on=day,
                            category=category, note=note, actor=actor)  # fmt: skip

    def meetings(self) -> None:
        """R-MEET (seed 002's layered docking) with 极峰科技, grade S: the executive review in
        October, the monthly business review in November with its action items."""
        code, officer = self.partners["jifeng"].code, self.users["officer"]
        with clock.frozen(dt.datetime(2026, 11, 20, 17, tzinfo=SH).astimezone(dt.UTC)):
            record_meeting(
                code, kind="executive", held_on=dt.date(2026, 10, 15), ours="郑国华、刘婷",
                theirs="索总", minutes="回顾东义项目；确认 2027 年战略合作方向", actor=officer,
            )  # fmt: skip
            record_meeting(
                code, kind="business", held_on=dt.date(2026, 11, 20), ours="刘婷、周敏",
                theirs="王博士", minutes="东义项目验收后运维安排；孝义焦化增项进度",
                decisions="运维期按月出具报告",
                actions=[{"text": "提交运维月报模板", "owner": "王博士", "due_on": "2026-11-30"},
                         {"text": "确认知识产权三项归属", "owner": "刘婷", "due_on": "2026-12-15"}],
                actor=officer,
            )  # fmt: skip

    def reassess(self) -> None:
        """R-ASM-1: 极峰 after the 东义 acceptance — capability 3.5 → 4.0, willingness 3.3 → 4.3,
        both trending up."""
        with clock.frozen(dt.datetime(2026, 11, 20, 15, tzinfo=SH).astimezone(dt.UTC)):
            self.assess(
                capability=(4, 5, 3, 4),
                willingness=(5, 4, 4),
                notes={
                    "resources": "东义项目后新增两家煤化工集团客户线索",
                    "credibility": "东义项目按期验收",
                    "executive_support": "索总每月参加联合例会",
                    "dedicated_team": "设立 6 人专职交付组",
                    "long_term_commitment": "已签三年期战略合作意向",
                },
            )

    def scorecards(self) -> None:
        """R-KPI-3 (seed 002's monthly report) on 晋联: its template (R-KPI-1) set in August,
        September and October good, November 129.7 excellent; 滇云 below 80 in November
        (unqualified)."""
        officer = self.users["officer"]
        with clock.frozen(dt.datetime(2026, 8, 28, 10, tzinfo=SH).astimezone(dt.UTC)):
            set_scorecard_template(
                self.partners["jinlian"].code,
                kpis=[
                    {k: v for k, v in kpi.items() if k != "actual"}
                    for kpi in seed_002_kpis(0, "0", 0, "0", 0, "0")
                ],
                actor=officer,
            )
        months = {
            9: (520, "18.4", 72, "4.6", 22, "0.8"),
            10: (545, "18.9", 73, "3.9", 20, "0.6"),
            11: (580, "19.2", 74, "3.2", 16, "0.3"),  # seed 002 → 129.7
        }
        for month, (signed, conversion, nps, complaints, quote, failure) in months.items():
            with clock.frozen(dt.datetime(2026, month + 1, 3, 10, tzinfo=SH).astimezone(dt.UTC)):
                record_scorecard(
                    self.partners["jinlian"].code,
                    period=f"2026-{month:02d}",
                    kpis=seed_002_kpis(signed, conversion, nps, complaints, quote, failure),
                    actor=officer,
                )
        # R-RISK-1: seed 001's six risks of 极峰科技 (two high, three medium, one low), raised
        # on 25 November: the high ones' responses were due 2 December.
        with clock.frozen(dt.datetime(2026, 11, 25, 15, tzinfo=SH).astimezone(dt.UTC)):
            for title, category, level, description, response in SEED_001_RISKS:
                raise_risk(
                    self.partners["jifeng"].code, title=title, category=category, level=level,
                    description=description, response=response, actor=officer,
                )  # fmt: skip
        # R-HLTH-1: seed 001's health of 极峰科技 for November → 4.3 green; 滇云 amber.
        with clock.frozen(dt.datetime(2026, 12, 2, 16, tzinfo=SH).astimezone(dt.UTC)):
            record_health(
                self.partners["jifeng"].code,
                period="2026-11",
                ratings={
                    "trust": "good",
                    "communication": "excellent",
                    "benefit": "pending",
                    "risk": "medium",
                    "long_term": "excellent",
                },
                notes={"risk": "知识产权三项仍待协商"},
                actor=officer,
            )
            record_health(
                self.partners["dianyun"].code,
                period="2026-11",
                ratings={
                    "trust": "medium",
                    "communication": "good",
                    "benefit": "medium",
                    "risk": "poor",
                    "long_term": "medium",
                },
                actor=officer,
            )
        with clock.frozen(dt.datetime(2026, 12, 3, 11, tzinfo=SH).astimezone(dt.UTC)):
            record_scorecard(
                self.partners["dianyun"].code,
                period="2026-11",
                kpis=DIANYUN_NOVEMBER,
                actor=officer,
            )
        # R-CRIS-4: 慧策 was bought by a Beijing group; continue or transition by 12-28.
        with clock.frozen(dt.datetime(2026, 12, 1, 10, tzinfo=SH).astimezone(dt.UTC)):
            record_ownership_change(
                self.partners["huice"].code, changed_on=dt.date(2026, 11, 28),
                new_owner="北京智汇投资集团", note="原创始人林晓留任总经理", actor=officer,
            )  # fmt: skip

    def agreements(self) -> None:
        """R-AGR-1/2 (seed 001): the three-party co-delivery agreement with 极峰科技 and 东义集团,
        IP still "to be negotiated" on every item, approved in September 2025; 极峰科技's
        strategic agreement (the 2026 goal), major, reviewed by legal and waiting for the gm and
        the board; 张伟's referral agreement, pinning policy v1, waiting for legal review."""
        officer, legal, gm = self.users["officer"], self.users["legal"], self.users["gm"]
        jifeng = self.partners["jifeng"].code
        with clock.frozen(dt.datetime(2025, 9, 10, 10, tzinfo=SH).astimezone(dt.UTC)):
            three_party = draft_agreement(
                jifeng,
                kind="co_delivery",
                title="东义集团煤化工 AI 项目三方合作协议",
                starts_on=dt.date(2025, 9, 20),
                ends_on=dt.date(2027, 9, 19),
                customer_name="东义集团",
                our_duties="项目管理与销售、客户关系维护（方案A）",
                their_duties="AI 平台算法开发、部署与技术支持",
                data_owner="东义集团",
                data_use_scope="仅用于本项目的模型训练与交付，不得用于其他客户",
                data_destroy_days=30,
                data_security_level="三级（等保）",
                data_breach_damages=Decimal("500000.00"),
                actor=officer,
            )
        with clock.frozen(dt.datetime(2025, 9, 15, 15, tzinfo=SH).astimezone(dt.UTC)):
            review_agreement(
                three_party.pk, note="知识产权三项均待协商，须在首个里程碑前补签", actor=legal
            )
        with clock.frozen(dt.datetime(2025, 9, 19, 11, tzinfo=SH).astimezone(dt.UTC)):
            approve_agreement(three_party.pk, actor=gm)
        with clock.frozen(dt.datetime(2025, 9, 22, 14, tzinfo=SH).astimezone(dt.UTC)):
            attach_agreement_file(
                three_party.pk,
                upload=demo_pdf(
                    "三方合作协议（签署件）.pdf",
                    ["东义集团煤化工 AI 项目三方合作协议",
                     "甲方：东义集团  乙方：汇炼智能  丙方：极峰科技",
                     "（演示文件：三方盖章签署件扫描）"],
                ),
                actor=officer,
            )  # fmt: skip
        with clock.frozen(dt.datetime(2026, 10, 12, 10, tzinfo=SH).astimezone(dt.UTC)):
            strategic = draft_agreement(
                jifeng,
                kind="strategic",
                title="极峰科技战略合作协议",
                starts_on=dt.date(2027, 1, 1),
                ends_on=dt.date(2029, 12, 31),
                our_duties="优先派单、联合解决方案、年度联合市场预算",
                their_duties="专属交付团队、工业 AI 平台优先支持、三年合作承诺",
                ip={"project": "joint", "platform": "theirs", "customisation": "ours"},
                major=True,
                actor=officer,
            )
        with clock.frozen(dt.datetime(2026, 10, 20, 16, tzinfo=SH).astimezone(dt.UTC)):
            review_agreement(strategic.pk, note="重大协议，审批时须附董事会决议", actor=legal)
        with clock.frozen(dt.datetime(2026, 11, 25, 10, tzinfo=SH).astimezone(dt.UTC)):
            draft_agreement(
                self.partners["zhangwei"].code,
                kind="referral",
                title="张伟引荐合作协议",
                starts_on=dt.date(2027, 1, 1),
                ends_on=dt.date(2027, 12, 31),
                scheme={"kind": "policy", "version": 1},  # R-POL-2: v1 confirmed in writing
                actor=officer,
            )

    def selection(self) -> None:
        """R-SEL (seed 002): the insurer selection — 众安在线 decided `sign` (waiting for the
        officer to sign), 泰康在线 in its once-only second trial, 蔕来保 stopped."""
        officer = self.users["officer"]
        with clock.frozen(dt.datetime(2026, 5, 6, 10, tzinfo=SH).astimezone(dt.UTC)):
            selection = create_selection(
                title="车险保险合作伙伴甄选（种子 002）",
                partner_type="channel",
                needs="车险产品、核保与理赔服务",
                offers="车主流量、用车数据与线上投保入口",
                screening=["持牌经营", "线上理赔能力", "区域覆盖"],
                criteria=[
                    {"metric": "转化率", "op": "gte", "threshold": 15, "unit": "%"},
                    {"metric": "NPS", "op": "gte", "threshold": 70},
                    {"metric": "投诉率", "op": "lte", "threshold": 5, "unit": "%"},
                    {"metric": "响应时效", "op": "lte", "threshold": 24, "unit": "h"},
                ],
                actor=officer,
            )
            candidates = {
                name: add_candidate(selection.pk, name=name, channel=channel, actor=officer)
                for name, channel in (
                    ("众安在线", "行业会议"), ("泰康在线", "老客户推荐"), ("蔕来保", "主动来访"),
                )
            }  # fmt: skip
            screening = {"持牌经营": True, "线上理赔能力": True, "区域覆盖": True}
            for name, candidate in candidates.items():
                cap, will = SCREENING_SCORES[name]
                move_stage(
                    candidate.pk,
                    stage="screened",
                    screening=screening,
                    capability=dict(zip(CAPABILITY, cap, strict=True)),
                    willingness=dict(zip(WILLINGNESS, will, strict=True)),
                    actor=officer,
                )
                move_stage(candidate.pk, stage="nda", actor=officer)
                attach_candidate_file(
                    candidate.pk,
                    kind="nda",
                    upload=demo_pdf(
                        f"保密协议-{name}.pdf", [f"保密协议（{name}）", "（演示文件）"]
                    ),
                    actor=officer,
                )
                flags = {"commercial": [{"question": "未结诉讼", "answer": "2 起",
                                         "red_flag": name == "蔕来保"}]}  # fmt: skip
                move_stage(candidate.pk, stage="due_diligence", due_diligence=flags, actor=officer)
                move_stage(candidate.pk, stage="trial", trial_scope="华东区车险线上投保",
                           actor=officer)  # fmt: skip
        with clock.frozen(dt.datetime(2026, 8, 10, 10, tzinfo=SH).astimezone(dt.UTC)):
            for name, results in (
                ("众安在线", {"转化率": 21, "NPS": 76, "投诉率": 2.8, "响应时效": 12}),
                ("泰康在线", {"转化率": 16, "NPS": 71, "投诉率": 5.1, "响应时效": 20}),
                ("蔕来保", {"转化率": 18, "NPS": 68, "投诉率": 6.8, "响应时效": 28}),
            ):
                record_trial(candidates[name].pk, results=results, actor=officer)

    def register_partners(self) -> None:
        officer = self.users["officer"]
        self.partners["jifeng"] = register_partner(
            name="极峰科技",
            kind=PartnerKind.ORGANIZATION,
            types=[PartnerType.TECHNOLOGY],
            region="北京",
            uscc=demo_uscc("91110108", "HB2026JF"),
            contact_name="王博士",
            contact_phone="13800000101",
            code="CP001",  # the partner number of seed 001
            actor=officer,
        )
        self.partners["zhangwei"] = register_partner(
            name="张伟",
            kind=PartnerKind.INDIVIDUAL,
            types=[PartnerType.CHANNEL],
            region="山西 太原",
            contact_name="张伟",
            contact_phone="13800000102",
            actor=officer,
        )
        self.partners["jinlian"] = register_partner(
            name="晋联信息系统集成有限公司",
            kind=PartnerKind.ORGANIZATION,
            types=[PartnerType.CHANNEL],
            region="山西 太原",
            uscc=demo_uscc("91140105", "HB2026JL"),
            contact_name="郭建华",
            contact_phone="13800000103",
            actor=officer,
        )
        self.partners["huice"] = register_partner(
            name="慧策管理咨询有限公司",
            kind=PartnerKind.ORGANIZATION,
            types=[PartnerType.CHANNEL],
            region="北京",
            uscc=demo_uscc("91110105", "HB2026HC"),
            contact_name="林晓",
            contact_phone="13800000104",
            actor=officer,
        )
        # Recruited by the consultancy (伙伴裂变, R-LED-5): 慧策 earns the 1 % override.
        self.partners["dianyun"] = register_partner(
            name="滇云数字科技有限公司",
            kind=PartnerKind.ORGANIZATION,
            types=[PartnerType.CHANNEL],
            region="云南 昆明",
            uscc=demo_uscc("91530102", "HB2026DY"),
            referrer_code=self.partners["huice"].code,
            contact_name="杨帆",
            contact_phone="13800000105",
            actor=officer,
        )
        # R-AGR-2: the gm approved each partner when it joined.
        for partner in self.partners.values():
            approve_partner(partner.code, actor=self.users["gm"])

    def partner_users(self) -> None:
        for username, display_name, partner_key in PARTNER_USERS:
            self.users[username] = create_user(
                username,
                DEMO_PASSWORD,
                Role.PARTNER,
                partner=self.partners[partner_key],
                display_name=display_name,
                email=f"{username}@partner.example",
                actor=self.users["officer"],
            )

    # --- lead helpers ----------------------------------------------------------------------

    def submit(self, when: dt.datetime, username: str, data: LeadInput) -> Lead:
        with clock.frozen(when):
            return submit_lead(data, actor=self.users[username])

    def valid(
        self, when: dt.datetime, username: str, lead: Lead, feasibility: str, quote: tuple[int, int]
    ) -> Lead:
        with clock.frozen(when):
            return record_verdict(
                lead.pk,
                VerdictInput(
                    verdict=Verdict.VALID,
                    feasibility=feasibility,
                    explanation="需求真实，可对接决策层，具备商务推进空间。",
                    quote_min=Decimal(quote[0]),
                    quote_max=Decimal(quote[1]),
                ),
                actor=self.users[username],
            )

    def invalid(
        self, when: dt.datetime, username: str, lead: Lead, reason: str, explanation: str
    ) -> Lead:
        with clock.frozen(when):
            return record_verdict(
                lead.pk,
                VerdictInput(verdict=Verdict.INVALID, reason_code=reason, explanation=explanation),
                actor=self.users[username],
            )

    # --- 2026 so far -----------------------------------------------------------------------

    def history(self) -> None:
        self.dongyi()
        self.jinlian_leads()
        self.invalid_leads()
        self.appeal_decided()
        self.dianyun_lead()
        self.resolved_match()

    def dongyi(self) -> None:
        """Seed 001: 极峰科技 registers 东义集团's AI platform; it is valid and 极峰 owns 东义."""
        lead = self.submit(
            at(1, 12, 10, 20),
            "jifeng",
            LeadInput(
                customer_name="东义集团有限公司",
                customer_region="山西 吕梁",
                customer_industry="煤化工",
                category=Category.AI,
                item="industry_ai_model",
                need=(
                    "东义集团焦化与煤化工板块 AI 智能化平台（P001）："
                    "配煤比优化、关键设备预测性维护、安全生产视频识别，"
                    "并与现有 DCS/MES 数据打通。极峰科技负责核心算法与平台实施。"
                ),
                contact_name="李建国",
                contact_title="集团信息中心主任",
                contact_phone="13800000201",
                contact_is_decision_maker=True,
                budget_min=Decimal("740000"),
                budget_max=Decimal("990000"),
                expected_start=dt.date(2026, 3, 1),
            ),
        )
        self.valid(
            at(1, 12, 16, 40),
            "presales",
            lead,
            "可行：煤化工工艺数据齐全，极峰科技具备工业 AI 算法能力；"
            "建议分两期，先做配煤优化与设备预警。",
            (800000, 1000000),
        )
        assert lead.customer is not None
        dongyi = self.customers["dongyi"] = lead.customer
        officer = self.users["officer"]

        with clock.frozen(at(1, 13, 9, 30)):
            add_alias(dongyi, "东义煤电铝", NameKind.ALIAS, actor=officer)

        # R-ATT-6: a subsidiary found later is linked by an officer and inherits the owner.
        with clock.frozen(at(2, 3, 14)):
            coking, _created = get_or_create_customer(
                "东义集团孝义焦化有限公司", region="山西 吕梁", industry="煤化工"
            )
            link_related(dongyi, coking, LinkKind.SUBSIDIARY, actor=officer)
        self.customers["dongyi_coking"] = coking

        # R-ATT-7: 极峰科技 lets the presales engineer reach the customer's contacts directly.
        with clock.frozen(at(2, 10, 11)):
            grant_consent(
                dongyi,
                partner=self.partners["jifeng"],
                grantee_user=self.users["presales"],
                # R-ATT-7: a consent runs at most CONSENT_MAX_DAYS (365) from its grant.
                expires_at=at(2, 10, 11) + dt.timedelta(days=364),
                actor=self.users["jifeng"],
                note="方案设计阶段需售前直接对接信息中心，王博士书面同意。",
            )

        # R-ATT-5: 东义 calls the company directly about phase two; it is routed back to 极峰.
        with clock.frozen(at(9, 16, 15, 10)):
            record_inbound_contact(
                name="东义集团",
                note="信息中心李主任来电咨询二期安全生产视频识别，已转回引荐伙伴极峰科技跟进。",
                actor=officer,
            )
        # An unattributed caller: staff must ask and record 首问 (do you have a referring partner?).
        with clock.frozen(at(10, 21, 10, 5)):
            record_inbound_contact(
                name="运城市盐湖区融媒体中心",
                referral_answer=ReferralAnswer.NO,
                note="官网留言咨询新媒体中台建设，首问确认无引荐伙伴。",
                actor=officer,
            )

    def jinlian_leads(self) -> None:
        """The 山西 integrator: two valid customers, and a duplicate on 东义 (owned by 极峰)."""
        dup = self.submit(
            at(3, 5, 9, 40),
            "jinlian",
            LeadInput(
                customer_name="东义集团有限公司",
                customer_region="山西 吕梁",
                customer_industry="煤化工",
                category=Category.DIGITALIZATION,
                item="erp_oa_upgrade",
                need="集团 OA 与财务共享系统升级。",
                contact_name="王强",
                contact_title="办公室副主任",
                contact_phone="13800000202",
            ),
        )
        assert dup.status == Status.DUPLICATE, dup.status

        huatai = self.submit(
            at(4, 8, 14, 15),
            "jinlian",
            LeadInput(
                customer_name="晋中华泰煤化工有限公司",
                customer_uscc=demo_uscc("91140702", "HB2026HT"),
                customer_region="山西 晋中",
                customer_industry="煤化工",
                category=Category.DIGITALIZATION,
                item="erp_oa_upgrade",
                need="老旧 ERP 升级，打通采购、仓储与化验数据；信创服务器环境。",
                contact_name="赵卫东",
                contact_title="总经理",
                contact_phone="13800000203",
                contact_is_decision_maker=True,
                budget_min=Decimal("250000"),
                budget_max=Decimal("350000"),
                expected_start=dt.date(2026, 6, 1),
            ),
        )
        self.valid(
            at(4, 9, 10, 0),
            "officer",
            huatai,
            "可行：标准 ERP 升级加数据接口，6 周交付。",
            (280000, 350000),
        )
        assert huatai.customer is not None
        self.customers["huatai"] = huatai.customer

        gov = self.submit(
            at(6, 15, 9, 0),
            "jinlian",
            LeadInput(
                customer_name="太原市智慧政务服务中心",
                customer_region="山西 太原",
                customer_industry="政务",
                category=Category.XINCHUANG,
                item="gov_service_platform",
                need="一网通办平台信创适配与国产数据库迁移，含统一身份认证。",
                contact_name="韩丽",
                contact_title="技术科科长",
                contact_phone="13800000204",
                contact_is_decision_maker=True,
                budget_min=Decimal("600000"),
                budget_max=Decimal("900000"),
            ),
        )
        self.valid(
            at(6, 15, 17, 30),
            "presales",
            gov,
            "可行：已完成同类政务平台信创迁移，需现场调研数据量。",
            (650000, 880000),
        )
        gov.refresh_from_db()
        assert gov.customer is not None
        self.customers["taiyuan_gov"] = gov.customer

    def invalid_leads(self) -> None:
        """One invalid verdict per reason code (R-LEAD-3); none of them marks the partner."""
        cases: list[tuple[dt.datetime, str, LeadInput, str, str]] = [
            (
                at(2, 26, 11),
                "zhangwei",
                LeadInput(
                    customer_name="大同市鑫源物流有限公司",
                    customer_region="山西 大同",
                    customer_industry="物流",
                    category=Category.DIGITALIZATION,
                    item="office_automation",
                    need="了解一下 OA 系统大概多少钱。",
                    contact_name="马晓军",
                    contact_title="行政专员",
                ),
                ReasonCode.NO_INTENT,
                "电话回访：客户仅了解行情，今年无立项与预算计划。",
            ),
            (
                at(5, 11, 15, 30),
                "zhangwei",
                LeadInput(
                    customer_name="阳泉市宏达机械制造有限公司",
                    customer_region="山西 阳泉",
                    customer_industry="装备制造",
                    category=Category.INDUSTRY,
                    item="vertical_system",
                    need="车间 MES 系统。",
                    contact_name="刘洋",
                    contact_title="车间技术员",
                    contact_phone="13800000206",
                ),
                ReasonCode.NO_AUTHORITY,
                "对接人为车间技术员，无法联系到分管领导，暂不具备推进条件。",
            ),
            (
                at(8, 3, 10, 10),
                "huice",
                LeadInput(
                    customer_name="北京数研信息技术有限公司",
                    customer_region="北京",
                    customer_industry="软件和信息技术服务",
                    category=Category.AI,
                    item="knowledge_base",
                    need="企业知识库报价，需分项明细。",
                    contact_name="周鹏",
                    contact_title="商务经理",
                ),
                ReasonCode.PRICE_PROBING,
                "对方为同业软件公司，索要分项报价用于自身投标，属同行套价。",
            ),
            (
                at(9, 9, 16),
                "zhangwei",
                LeadInput(
                    customer_name="晋城市天成能源有限公司",
                    customer_region="山西 晋城",
                    customer_industry="能源",
                    category=Category.AI,
                    item="smart_customer_service",
                    need="智能客服系统。",
                    contact_name="陈刚",
                    contact_phone="13800000208",
                ),
                ReasonCode.FAKE,
                "工商信息查无此企业，联系电话为空号，判定为虚假需求。",
            ),
            (
                at(10, 14, 9, 20),
                "huice",
                LeadInput(
                    customer_name="杭州未来教育科技有限公司",
                    customer_region="浙江 杭州",
                    customer_industry="教育",
                    category=Category.INDUSTRY,
                    item="custom_tool",
                    need="采购 200 台教学平板及配套硬件。",
                    contact_name="何静",
                    contact_title="采购总监",
                    contact_is_decision_maker=True,
                ),
                ReasonCode.OTHER,
                "需求为纯硬件采购，不在我方服务范围（软件开发与设计），建议另寻硬件供应商。",
            ),
        ]
        for when, username, data, reason, explanation in cases:
            lead = self.submit(when, username, data)
            self.invalid(when + dt.timedelta(hours=5), "officer", lead, reason, explanation)

    def appeal_decided(self) -> None:
        """An individual partner's lead judged invalid, appealed, and made valid by the second
        review: one officer and one presales user sign the same verdict (R-LEAD-4)."""
        lead = self.submit(
            at(9, 22, 10, 30),
            "zhangwei",
            LeadInput(
                customer_name="吕梁市惠民供热有限公司",
                customer_region="山西 吕梁",
                customer_industry="供热",
                category=Category.DIGITALIZATION,
                item="digital_management_platform",
                need="换热站远程监控与收费管理一体化平台，今冬供暖季前上线一期。",
                contact_name="白志刚",
                contact_title="副总经理",
                contact_phone="13800000209",
                budget_min=Decimal("150000"),
                budget_max=Decimal("250000"),
            ),
        )
        self.invalid(
            at(9, 23, 9, 0),
            "officer2",
            lead,
            ReasonCode.NO_INTENT,
            "客户表示尚在调研阶段，未见立项文件。",
        )
        with clock.frozen(at(9, 25, 14, 0)):
            appeal(
                lead.pk,
                "客户已于 9 月 24 日总经理办公会立项，附会议纪要；白总为项目分管领导。",
                actor=self.users["zhangwei"],
            )
        review = VerdictInput(
            verdict=Verdict.VALID,
            explanation="复核：立项纪要真实，分管领导可决策，改判有效。",
            feasibility="可行：供热行业监控平台有成熟方案，一期 8 周。",
            quote_min=Decimal("180000"),
            quote_max=Decimal("240000"),
        )
        with clock.frozen(at(9, 28, 10, 0)):
            sign_second_review(lead.pk, review, actor=self.users["officer"])
        with clock.frozen(at(9, 28, 15, 0)):
            sign_second_review(lead.pk, review, actor=self.users["presales"])
        lead.refresh_from_db()
        assert lead.customer is not None
        self.customers["huimin"] = lead.customer

    def resolved_match(self) -> None:
        """A short name an officer resolves to an existing customer owned by another partner:
        the lead becomes a duplicate and the partner is told only "already registered"."""
        lead = self.submit(
            at(10, 27, 9, 45),
            "huice",
            LeadInput(
                customer_name="太原智慧政务中心",
                customer_region="山西 太原",
                customer_industry="政务",
                category=Category.XINCHUANG,
                item="xinchuang_adaptation",
                need="政务办公系统国产化适配咨询。",
                contact_name="韩丽",
                contact_title="技术科科长",
            ),
        )
        if lead.status == Status.NEEDS_REVIEW and lead.candidate_customer_id is not None:
            with clock.frozen(at(10, 27, 14, 0)):
                resolve_match(lead.pk, lead.candidate_customer_id, actor=self.users["officer"])

    def dianyun_lead(self) -> None:
        """The recruited partner's first lead, judged late (an SLA miss in the report)."""
        lead = self.submit(
            at(7, 17, 16, 0),
            "dianyun",
            LeadInput(
                customer_name="云岭茶业股份有限公司",
                customer_uscc=demo_uscc("91530800", "HB2026YL"),
                customer_region="云南 普洱",
                customer_industry="茶叶",
                category=Category.BRAND,
                item="brand_full_case",
                need="品牌焕新：VI 升级、电商详情页与小程序商城视觉，配合秋季新品发布。",
                contact_name="段丽萍",
                contact_title="品牌总监",
                contact_phone="13800000210",
                contact_is_decision_maker=True,
                budget_min=Decimal("120000"),
                budget_max=Decimal("200000"),
                expected_start=dt.date(2026, 8, 15),
            ),
        )
        self.valid(
            at(7, 20, 11, 0),  # Friday 16:00 → Monday: past the 24-hour SLA
            "presales",
            lead,
            "可行：品牌全案 + 小程序视觉，6–8 周。",
            (150000, 190000),
        )
        lead.refresh_from_db()
        assert lead.customer is not None
        self.customers["yunling"] = lead.customer

    # --- the last days before "today" --------------------------------------------------

    def recent(self) -> None:
        # Pending and overdue: submitted three days ago, no verdict yet.
        self.submit(
            self.ago(days=3, hours=2),
            "jinlian",
            LeadInput(
                customer_name="忻州市云中数据科技有限公司",
                customer_region="山西 忻州",
                customer_industry="数据中心",
                category=Category.AI,
                item="data_analytics",
                need="机房能耗数据分析平台，降低 PUE。",
                contact_name="高峰",
                contact_title="运维总监",
                contact_phone="13800000211",
                contact_is_decision_maker=True,
            ),
        )
        # Pending within its SLA: 极峰 brings a second coal-chemical customer.
        self.submit(
            self.ago(hours=3),
            "jifeng",
            LeadInput(
                customer_name="榆林市恒泰煤化工有限公司",
                customer_region="陕西 榆林",
                customer_industry="煤化工",
                category=Category.AI,
                item="process_automation",
                need="参照东义项目，做气化炉工况预测与操作优化。",
                contact_name="苏明",
                contact_title="生产副总",
                contact_phone="13800000212",
                contact_is_decision_maker=True,
                budget_min=Decimal("500000"),
                budget_max=Decimal("800000"),
            ),
        )
        # Needs review: a misspelt name close to an existing customer (R-ATT-2 possible match).
        self.submit(
            self.ago(hours=5),
            "zhangwei",
            LeadInput(
                customer_name="晋中华太煤化工",
                customer_region="山西 晋中",
                customer_industry="煤化工",
                category=Category.AI,
                item="data_analytics",
                need="化验室数据分析与质量追溯。",
                contact_name="孟涛",
                contact_title="质检部长",
                contact_phone="13800000213",
            ),
        )
        self.under_appeal()

    def queues(self) -> None:
        """What waits for an officer or the admin today (issue #12): two public applications
        (one overdue for its call), 晋联's strategic application, and a company violation 晋联
        reported on its 华泰 project."""
        # R-AGR-2: a partner registered two days ago, waiting for the gm's approval.
        with clock.frozen(self.ago(days=2)):
            register_partner(
                name="晋中云启科技有限公司",
                kind=PartnerKind.ORGANIZATION,
                types=[PartnerType.TECHNOLOGY],
                region="山西 晋中",
                contact_name="郭宁",
                contact_phone="13800000106",
                actor=self.users["officer"],
            )
        with clock.frozen(self.ago(days=5)):
            submit_inquiry(
                name="吕梁德信软件有限公司",
                contact="韩磊",
                phone="13800000301",
                intended_tier=Tier.DEEP,
                resources="吕梁地区煤矿与县级政务信息化客户",
                note="希望了解深度协同的售前支持方式。",
            )
        with clock.frozen(self.ago(hours=20)):
            submit_inquiry(
                name="周敏",
                contact="周敏",
                phone="13800000302",
                intended_tier=Tier.LIGHT,
                resources="医院信息科人脉",
            )
        with clock.frozen(self.ago(days=2)):
            apply_for_strategic(
                actor=self.users["jinlian"],
                resources="山西焦煤、华泰煤化工等 6 家集团客户的信息中心长期合作。",
                plan="2027 年推动两家集团的生产管理平台项目，年签约目标 400 万元。",
            )
        huatai_project = Project.objects.filter(customer=self.customers["huatai"]).first()
        if huatai_project is not None:
            with clock.frozen(self.ago(days=3)):
                report_company_violation(
                    actor=self.users["jinlian"],
                    project_id=huatai_project.pk,
                    kind=CompanyViolationKind.CONTACT_WITHOUT_CONSENT,
                    description="贵司售前未经我方同意，直接联系华泰信息中心主任洽谈二期。",
                )

    def under_appeal(self) -> None:
        """Invalid six days ago, appealed yesterday: waiting for the second review; the officer
        has signed, the presales seat is still open."""
        lead = self.submit(
            self.ago(days=7),
            "huice",
            LeadInput(
                customer_name="长治市仁和康养中心",
                customer_region="山西 长治",
                customer_industry="医疗康养",
                category=Category.AI,
                item="smart_customer_service",
                need="智能客服与床位预约系统，对接微信公众号。",
                contact_name="冯雪",
                contact_title="办公室主任",
                contact_phone="13800000214",
            ),
        )
        self.invalid(
            self.ago(days=6),
            "officer",
            lead,
            ReasonCode.NO_AUTHORITY,
            "对接人为办公室主任，采购需院长审批，暂未接触到决策人。",
        )
        with clock.frozen(self.ago(days=1)):
            appeal(
                lead.pk,
                "已取得院长签字的需求确认函（附件），院长同意对接。",
                actor=self.users["huice"],
            )
        with clock.frozen(self.ago(hours=20)):
            sign_second_review(
                lead.pk,
                VerdictInput(
                    verdict=Verdict.VALID, explanation="确认函真实，倾向改判有效，待售前评估。"
                ),
                actor=self.users["officer2"],
            )
