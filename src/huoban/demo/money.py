"""The money part of the demo (issue #3): projects in every state with payments, a refund, an
accepted and fully paid project, a recruiter's override, a strategic partner, the previous
year's annual settlement and a payout — all through the service functions.

Hand-checkable figures (policy v1):

* 霍州恒通焦化 (极峰, 2025): 1,200,000.00 new → 30%; P(2025) = 1,200,000.00 → annual bonus
  3% = 36,000.00, due 2026-01-31.
* 东义集团 AI 平台 (极峰): 900,000.00, high-margin ai_custom: 30% + 5% capped at 30% →
  T = 270,000.00; confirmation 8% = 72,000.00 at the first payment; accepted and fully paid.
* 孝义焦化 增项 (极峰): 260,000.00 increment: 22% + 2% = 24%; first payment → 20,800.00.
* 晋中华泰 (晋联): 480,000.00 new: 28%; first payment 144,000.00 → 38,400.00; a refund of
  20,000.00 earns nothing negative.
* 云岭茶业 (滇云, recruited by 慧策): 150,000.00 new: 22% → T = 33,000.00; 慧策's override
  1% × 150,000.00 = 1,500.00 over two payments (450.00 + 1,050.00).
* 吕梁惠民供热 (张伟): signed then cancelled; 太原政务 (晋联): signed, awaiting payment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from huoban import clock
from huoban.commissions.ledger import approve_entry, create_payout
from huoban.commissions.models import EntryStatus, LedgerEntry
from huoban.commissions.settlement import settle_year
from huoban.leads.models import Category
from huoban.leads.services import LeadInput, VerdictInput, record_verdict, submit_lead
from huoban.projects import services as projects
from huoban.projects.models import MilestoneStatus, Stage
from huoban.sharing.services import approve_scheme, propose_scheme
from huoban.standing.tier_services import apply_for_strategic, decide_application

if TYPE_CHECKING:
    from .load import _DemoBuilder

SH = ZoneInfo("Asia/Shanghai")


def moment(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    """A Beijing business moment, in UTC (the audit chain hashes instants in UTC)."""
    return dt.datetime(year, month, day, hour, tzinfo=SH).astimezone(dt.UTC)


def add_money(demo: _DemoBuilder) -> None:
    users, partners, customers = demo.users, demo.partners, demo.customers
    officer, pm, finance = users["officer"], users["pm"], users["finance"]

    signed: list[Any] = []

    def sign(when: dt.datetime, customer: Any, title: str, amount: str, **kw: Any) -> Any:
        with clock.frozen(when):
            project = projects.create_project(
                actor=officer,
                customer_id=customer.pk,
                title=title,
                contract_amount=Decimal(amount),
                signed_on=clock.today(),
                project_manager_id=pm.pk,
                contract_no=f"HT-{clock.today():%Y}-{len(signed) + 1:03d}",  # R-IMP-2
                **kw,
            )
            signed.append(project)
            return project

    def pay(when: dt.datetime, project: Any, amount: str, ref: str, **kw: Any) -> None:
        with clock.frozen(when):
            projects.record_payment(
                project.pk,
                actor=finance,
                amount=Decimal(amount),
                received_on=clock.today(),
                reference=ref,
                **kw,
            )

    def accept(when: dt.datetime, project: Any) -> None:
        with clock.frozen(when):
            projects.accept_project(project.pk, actor=pm, accepted_on=clock.today())

    def progress(when: dt.datetime, project: Any, done: int, note: str) -> None:
        """Mark the first `done` stages done and the next one in progress."""
        with clock.frozen(when):
            for i, stage in enumerate(Stage.values):
                status = (
                    MilestoneStatus.DONE
                    if i < done
                    else MilestoneStatus.IN_PROGRESS
                    if i == done
                    else None
                )
                if status is None:
                    break
                projects.update_milestone(
                    project.pk,
                    stage,
                    actor=pm,
                    actual_on=clock.today() if status == MilestoneStatus.DONE else None,
                    status=status,
                    note=note if i == done else "",
                )

    # 2025: 极峰's first customer, so the demo has a finished annual settlement (R-LED-6).
    with clock.frozen(moment(2025, 9, 22)):
        lead = submit_lead(
            LeadInput(
                customer_name="霍州恒通焦化有限公司",
                customer_region="山西 临汾",
                customer_industry="煤化工",
                category=Category.AI,
                item="data_analytics",
                need="焦炉生产数据分析与智能排产。",
                contact_name="韩卫东",
                contact_title="总经理",
                contact_phone="13800000301",
                contact_is_decision_maker=True,
            ),
            actor=users["jifeng"],
        )
    with clock.frozen(moment(2025, 9, 23)):
        record_verdict(
            lead.pk,
            VerdictInput(
                verdict="valid",
                feasibility="可行：数据基础好，可复用极峰科技排产模型。",
                quote_min=Decimal("1000000"),
                quote_max=Decimal("1300000"),
            ),
            actor=users["presales"],
        )
    lead.refresh_from_db()
    huozhou = sign(
        moment(2025, 10, 15),
        lead.customer,
        "智能排产系统",
        "1200000.00",
        kind="new",
        high_margin=False,
        lead_id=lead.pk,
    )
    pay(moment(2025, 10, 28), huozhou, "360000.00", "HZ-2025-001")
    accept(moment(2025, 12, 20), huozhou)
    pay(moment(2025, 12, 26), huozhou, "840000.00", "HZ-2025-002")
    with clock.frozen(moment(2026, 1, 5)):
        settle_year(2025, actor=finance)

    # 2026: seed 001's 东义集团 AI platform — accepted and fully paid.
    dongyi = sign(
        moment(2026, 2, 10),
        customers["dongyi"],
        "东义集团 AI 智能化平台（P001）",
        "900000.00",
        kind="new",
        high_margin=True,
        high_margin_category="ai_custom",
    )
    pay(moment(2026, 3, 2), dongyi, "270000.00", "DY-2026-001")
    progress(moment(2026, 6, 30), dongyi, 4, "验收材料已提交")
    accept(moment(2026, 8, 28), dongyi)
    progress(moment(2026, 8, 28), dongyi, 5, "进入免费运维期")
    pay(moment(2026, 9, 15), dongyi, "630000.00", "DY-2026-002")

    # An increment for the subsidiary: in delivery after its first payment.
    coking = sign(
        moment(2026, 9, 1),
        customers["dongyi_coking"],
        "孝义焦化 设备预测性维护（增项）",
        "260000.00",
        kind="increment",
        high_margin=False,
    )
    pay(moment(2026, 9, 20), coking, "78000.00", "XY-2026-001")
    progress(moment(2026, 11, 10), coking, 2, "模型训练中")

    # 晋联: in delivery with a refund; and a government project signed, awaiting payment.
    huatai = sign(
        moment(2026, 5, 6),
        customers["huatai"],
        "华泰煤化工 生产管理平台",
        "480000.00",
        kind="new",
        high_margin=False,
    )
    # 极峰科技 co-delivers its algorithm module. The gm compared seed 001's two schemes side by
    # side (R-RS-1) — A 40%: we manage and sell; B 30%: it only develops — and approved B, now
    # locked on the project: each payment books its revenue share in 极峰's own ledger (R-RS-2);
    # 晋联 sees none of it.
    jifeng, gm = demo.partners["jifeng"].code, users["gm"]
    with clock.frozen(moment(2026, 5, 7)):
        propose_scheme(
            huatai.pk, partner_code=jifeng, label="方案A", share="0.40",
            role="我方负责项目管理与销售，极峰负责技术与实施", actor=gm,
        )  # fmt: skip
        scheme_b = propose_scheme(
            huatai.pk, partner_code=jifeng, label="方案B", share="0.30",
            role="极峰仅负责算法模块开发", actor=gm,
        )  # fmt: skip
    with clock.frozen(moment(2026, 5, 8)):
        approve_scheme(scheme_b.pk, actor=gm)
    pay(moment(2026, 5, 20), huatai, "144000.00", "HT-2026-001")
    pay(
        moment(2026, 6, 10),
        huatai,
        "20000.00",
        "HT-2026-R01",
        kind="refund",
        refund_of="HT-2026-001",
    )
    progress(moment(2026, 10, 20), huatai, 3, "二期部署排期中")
    gov = customers.get("taiyuan_gov")
    if gov is not None:
        taiyuan = sign(
            moment(2026, 11, 2),
            gov,
            "太原政务服务平台信创改造",
            "880000.00",
            kind="new",
            high_margin=True,
            high_margin_category="xinchuang",
        )
        # Still open: the same two schemes for 极峰 on the government platform, side by side
        # and waiting for the gm (880,000.00 → A 352,000.00 / 528,000.00, B 264,000.00 /
        # 616,000.00).
        with clock.frozen(moment(2026, 11, 5)):
            for label, share, role in (
                ("方案A", "0.40", "我方负责项目管理与销售，极峰负责技术与实施"),
                ("方案B", "0.30", "极峰仅负责信创适配开发"),
            ):
                propose_scheme(
                    taiyuan.pk, partner_code=jifeng, label=label, share=share, role=role,
                    actor=gm,
                )  # fmt: skip

    # 滇云 (recruited by 慧策): accepted and paid; 慧策 earns the 1% override.
    yunling = sign(
        moment(2026, 8, 1),
        customers["yunling"],
        "云岭茶业 私域运营系统",
        "150000.00",
        kind="new",
        high_margin=False,
    )
    pay(moment(2026, 8, 10), yunling, "45000.00", "YL-2026-001")
    accept(moment(2026, 10, 15), yunling)
    pay(moment(2026, 10, 20), yunling, "105000.00", "YL-2026-002")

    # 张伟: signed and cancelled before any payment.
    huimin = sign(
        moment(2026, 10, 10),
        customers["huimin"],
        "惠民供热 收费系统",
        "120000.00",
        kind="new",
        high_margin=False,
    )
    with clock.frozen(moment(2026, 10, 25)):
        projects.cancel_project(
            huimin.pk,
            actor=officer,
            cancelled_on=clock.today(),
            reason="客户预算冻结，双方协商取消",
        )

    # 极峰 applies for strategic (group resources) and is approved (R-TIER-2).
    with clock.frozen(moment(2026, 3, 5)):
        application = apply_for_strategic(
            actor=users["jifeng"],
            resources="东义集团焦化、煤电、铝业板块长期合作关系；山西煤化工行业渠道。",
            plan="2026 年落地东义集团二期及三家同类煤化工企业 AI 项目。",
        )
    with clock.frozen(moment(2026, 3, 10)):
        decide_application(
            application.pk, actor=officer, approve=True, note="政企集团资源属实，批准战略伙伴"
        )

    # Finance approves what fell due by the end of September and pays 极峰 (R-LED-8).
    with clock.frozen(moment(2026, 10, 9)):
        due = LedgerEntry.objects.filter(
            partner=partners["jifeng"], status=EntryStatus.PENDING, due_on__lte=dt.date(2026, 9, 30)
        ).order_by("id")
        ids = [approve_entry(entry.pk, actor=finance).pk for entry in due]
        create_payout(
            partners["jifeng"],
            actor=finance,
            bank_reference="ICBC-20261009-0001",
            paid_on=clock.today(),
            entry_ids=ids,
        )
