"""`huoban demo` data (ARCHITECTURE §5): every lead status, 东义集团 owned by 极峰科技, idempotent,
and the printed logins work."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import authenticate

from huoban.audit.models import AuditEvent
from huoban.audit.services import verify_audit_log
from huoban.customers.models import Attribution, ContactConsent, CustomerLink, InboundContact
from huoban.demo.load import DEMO_PASSWORD, load_demo
from huoban.leads.models import Lead, ReasonCode, Status
from huoban.partners.models import Partner

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def logins(settings) -> list[tuple[str, str, str]]:
    # Argon2 costs ~0.25 s a hash; the demo's dozen users would make this file slow. Which
    # hasher stores the password is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo()


def test_it_creates_leads_in_every_status(logins):
    statuses = set(Lead.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    invalid_reasons = set(
        Lead.objects.filter(status=Status.INVALID).values_list("reason_code", flat=True)
    )
    assert invalid_reasons == set(ReasonCode.values)
    pending = Lead.objects.filter(status=Status.PENDING)
    assert pending.filter(sla_breached=True).count() == 1  # one overdue, one within its SLA
    assert pending.filter(sla_breached=False).count() == 1
    # One appeal decided by two signatures (officer + presales), one still under review.
    decided = Lead.objects.get(status=Status.VALID, appealed_at__isnull=False)
    assert decided.final_at is not None
    assert sorted(decided.signatures.values_list("seat", flat=True)) == ["officer", "presales"]


def test_the_dongyi_group_and_its_subsidiary_are_owned_by_jifeng(logins):
    jifeng = Partner.objects.get(code="CP001")
    assert jifeng.name == "极峰科技" and jifeng.uscc is not None
    dongyi = Attribution.objects.select_related("customer").get(
        customer__legal_name="东义集团有限公司"
    )
    assert dongyi.partner == jifeng
    subsidiary = Attribution.objects.get(customer__legal_name="东义集团孝义焦化有限公司")
    assert subsidiary.partner == jifeng and subsidiary.via_id == dongyi.customer_id
    assert CustomerLink.objects.count() == 1 and ContactConsent.objects.count() == 1
    assert InboundContact.objects.filter(routed_to=jifeng).count() == 1
    recruited = Partner.objects.get(name="滇云数字科技有限公司")
    assert recruited.referrer is not None and recruited.referrer.name == "慧策管理咨询有限公司"


def test_the_officer_and_admin_queues_are_not_empty(logins):
    from huoban.partners.models import CompanyViolation, PartnerInquiry, TierApplication

    # Two public applications to call back, one strategic application, one reported company
    # violation for the admin (issue #12).
    assert PartnerInquiry.objects.filter(status="new").count() == 2
    application = TierApplication.objects.get(status="pending")
    assert application.partner.name == "晋联信息系统集成有限公司"
    assert CompanyViolation.objects.filter(status="reported").count() == 1


def test_the_agreements_wait_for_each_role(logins):
    # R-AGR-2 in the demo: one approved (seed 001's three-party agreement, IP pending on every
    # item), one major waiting for the gm and the board, one waiting for legal.
    from huoban.agreements.models import Agreement

    states = dict(Agreement.objects.values_list("title", "status"))
    assert states == {
        "东义集团煤化工 AI 项目三方合作协议": "approved",
        "极峰科技战略合作协议": "reviewed",
        "张伟引荐合作协议": "draft",
    }
    three_party = Agreement.objects.get(status="approved")
    assert set(three_party.ip.values()) == {"pending"} and three_party.customer_name == "东义集团"
    assert Agreement.objects.get(status="reviewed").major


def test_seed_002_selection_and_jifengs_revenue_share(logins):
    # R-SEL-3: 众安在线 → sign (waiting to be signed), 泰康在线 → extend (still in trial),
    # 蔕来保 → stop. R-RS-2: 极峰科技 co-delivers 晋联's 华泰 project at 30% (scheme B):
    # 144,000.00 → 43,200.00, the refund of 20,000.00 → −6,000.00.
    from decimal import Decimal

    from huoban.commissions.models import LedgerEntry
    from huoban.selection.models import Candidate

    states = {c.name: (c.stage, c.decision) for c in Candidate.objects.all()}
    assert states == {
        "众安在线": ("decided", "sign"),
        "泰康在线": ("trial", "extend"),
        "蔕来保": ("decided", "stop"),
    }
    from huoban.profiles.models import DeliveryReview
    from huoban.profiles.rules import open_dimensions

    review = DeliveryReview.objects.get(partner__code="CP001")
    assert open_dimensions(review.rated()) == ["开发效率", "项目管理", "交付质量"]
    shares = LedgerEntry.objects.filter(partner__code="CP001", kind="revenue_share")
    assert sorted(shares.values_list("amount", flat=True)) == [
        Decimal("-6000.00"),
        Decimal("43200.00"),
    ]
    # R-ASM-1: 极峰 reassessed in November: (4+5+3+4)/4 = 4.0 up from 3.5; (5+4+4)/3 = 4.3
    # up from (4+3+3)/3 = 3.3
    from huoban.profiles.models import Assessment

    latest = {
        kind: list(
            Assessment.objects.filter(partner__code="CP001", kind=kind)
            .order_by("-assessed_at")
            .values_list("score", "trend")
        )
        for kind in ("capability", "willingness")
    }
    assert [s for s, _t in latest["capability"]] == [Decimal("4.0"), Decimal("3.5")]
    assert [s for s, _t in latest["willingness"]] == [Decimal("4.3"), Decimal("3.3")]
    assert latest["capability"][0][1] == latest["willingness"][0][1] == "up"
    # R-SEL-2: assessed at screening — 众安 (4+5+4+4)/4 = 4.25 → 4.3, (5+4+4)/3 = 4.33 → 4.3
    from huoban.assessing import assessment_score
    from huoban.selection.models import Candidate

    zhongan = Candidate.objects.get(name="众安在线")
    assert assessment_score("capability", zhongan.capability).score == Decimal("4.3")
    assert assessment_score("willingness", zhongan.willingness).score == Decimal("4.3")
    # R-AGR-1 / R-SEL-2: the three-party agreement's signed copy and the three insurers' NDAs
    from huoban.agreements.models import AgreementFile
    from huoban.selection.models import CandidateFile

    signed = AgreementFile.objects.get()
    assert signed.title == "三方合作协议（签署件）" and signed.file.read().startswith(b"%PDF")
    assert CandidateFile.objects.filter(kind="nda").count() == 3
    # R-AGR-2: every partner approved by the gm but the one registered two days ago
    assert list(
        Partner.objects.filter(approved_at__isnull=True).values_list("name", flat=True)
    ) == ["晋中云启科技有限公司"]
    # R-KPI-3: 晋联's November is seed 002's report → 129.7 excellent; 滇云's
    # (45 + 82.857 + 66.667) ÷ 3 = 64.8 unqualified
    from huoban.performance.models import Scorecard

    latest = {
        c.partner.name[:2]: (str(c.total), c.band)
        for c in Scorecard.objects.filter(year=2026, month=11).select_related("partner")
    }
    assert latest == {"晋联": ("129.7", "excellent"), "滇云": ("64.8", "unqualified")}
    # R-KPI-1 (D-KPI-2): 晋联's template is seed 002's six KPIs, the complaint rate marked
    from huoban.performance.models import ScorecardTemplate

    template = ScorecardTemplate.objects.get(partner__name__startswith="晋联")
    assert [(k["name"], k["primary"], k["complaint_rate"]) for k in template.items][::3] == [
        ("签约量", True, False),
        ("投诉率", False, True),
    ]
    # R-HLTH-1: 极峰 (4+5+3+5) ÷ 4 = 4.3 green; 滇云 (3+4+3+2+3) ÷ 5 = 3.0 amber
    from huoban.performance.models import HealthAssessment

    colours = {h.partner.code: (str(h.overall), h.colour) for h in HealthAssessment.objects.all()}
    assert colours["CP001"] == ("4.3", "green") and ("3.0", "amber") in colours.values()
    # R-RISK-1: seed 001's six risks of 极峰 — two high, three medium, one low
    from huoban.performance.models import Risk

    levels = sorted(Risk.objects.filter(partner__code="CP001").values_list("level", flat=True))
    assert levels == ["high", "high", "low", "medium", "medium", "medium"]
    # R-CRIS-1/4: 滇云's unqualified November and 慧策's change of owner, its decision due 12-28
    from huoban.performance.models import Case

    cases = {(c.partner.name[:2], c.trigger, c.due_on.isoformat()) for c in Case.objects.open()}
    assert ("慧策", "ownership_change", "2026-12-28") in cases
    assert any(c[:2] == ("滇云", "unqualified") for c in cases)
    # R-RS-1: 华泰's scheme B approved and locked, A set aside; 太原's A and B still open
    from huoban.sharing.models import ShareScheme

    schemes = ShareScheme.objects.order_by("project_id", "label")
    assert [(s.project.title[:2], s.label, s.status) for s in schemes] == [
        ("华泰", "方案A", "set_aside"),
        ("华泰", "方案B", "approved"),
        ("太原", "方案A", "proposed"),
        ("太原", "方案B", "proposed"),
    ]


def test_finance_has_two_bank_exports_checked(logins):
    """R-IMP-1: one file with an amount in 万 (named, nothing written), one clean to confirm."""
    from huoban.imports.models import ImportRun

    runs = {r.file_name: r for r in ImportRun.objects.all()}
    draft, clean = runs["十二月银行回款-初稿.csv"], runs["十二月银行回款.csv"]
    assert (draft.failed, draft.errors[0]["row"], draft.errors[0]["column"]) == (1, 2, "金额")
    assert (clean.dry_run, clean.applied, clean.created, clean.errors) == (True, False, 1, [])
    assert clean.file and clean.actor.username == "finance"
    # R-IMP-4: the bank's export: the line naming the contract matched, the other waiting
    from huoban.imports.models import BankLine

    lines = {line.reference: line for line in BankLine.objects.select_related("project")}
    assert set(lines) == {"ICBC-1207-01", "ICBC-1207-02"}  # the outgoing line is not kept
    assert lines["ICBC-1207-01"].status == "matched" and lines["ICBC-1207-01"].project.contract_no
    assert lines["ICBC-1207-02"].status == "unmatched"


def test_a_second_load_changes_nothing(logins):
    before = row_counts()
    head = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert load_demo() == logins
    assert row_counts() == before
    assert AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() == head
    # Built at frozen business times, the audit chain still verifies end to end.
    assert verify_audit_log().ok


def test_the_printed_logins_authenticate(logins):
    assert len(logins) >= 8
    roles = set()
    for username, password, _label in logins:
        assert password == DEMO_PASSWORD
        user = authenticate(username=username, password=password)
        assert user is not None, username
        roles.add(user.role)
    assert roles == {"admin", "officer", "presales", "pm", "finance", "gm", "legal", "partner"}


def test_it_refuses_a_database_that_is_not_a_demo_database(settings):
    from huoban.accounts.services import create_user
    from huoban.demo.load import DemoConflict

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_user("officer", "a-real-password", "officer")
    before = row_counts()
    with pytest.raises(DemoConflict):
        load_demo()
    assert row_counts() == before


@pytest.mark.django_db
def test_a_load_that_fails_half_way_is_not_taken_for_a_demo(settings, monkeypatch):
    """The load is many durable transactions (D-FRAME-15): a failure leaves what was built, so
    the next load must refuse that database rather than take it for a finished demo."""
    from huoban.demo import load
    from huoban.demo.load import DemoConflict

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load._DemoBuilder, "history", broken)
    with pytest.raises(RuntimeError):
        load_demo()
    assert Partner.objects.exists()  # the steps before the failure were committed
    monkeypatch.undo()
    with pytest.raises(DemoConflict):
        load_demo()


def test_demo_credit_codes_are_valid_but_name_no_real_company():
    from huoban.demo.load import _org_code_check, demo_uscc
    from huoban.uscc import uscc_error

    code = demo_uscc("91110108", "HB2026JF")
    assert uscc_error(code) is None
    assert code[16] != _org_code_check(code[8:16])
    # GB 11714's own example: organisation code D2143569 has check character X.
    assert _org_code_check("D2143569") == "X"


def test_the_demo_never_starts_in_production_mode(monkeypatch):
    """huoban demo serves plain HTTP on 127.0.0.1 even if the shell exports a real host."""
    import os

    from huoban import cli

    environ = {k: v for k, v in os.environ.items() if k != "HUOBAN_PRODUCTION"}
    environ["ALLOWED_HOSTS"] = "prm.example.com"
    monkeypatch.setattr(os, "environ", environ)
    seen = {}

    def stop() -> None:
        seen["production"] = os.environ.get("HUOBAN_PRODUCTION")
        raise SystemExit(0)

    monkeypatch.setattr(cli, "_setup", stop)
    with pytest.raises(SystemExit):
        cli.main(["demo", "--no-serve"])
    assert seen["production"] == "false"
