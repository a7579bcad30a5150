"""Importing a month's KPI actuals (R-IMP-1, R-KPI-2; D-KPI-2; issues #16 and #21): the rows
of a partner's month make one scorecard on its template — seed 002's report → 129.7
excellent; an unknown KPI, a missing one, a partner without a template or a month recorded
with other actuals is named by row and nothing is written; the same file again is unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.errors import Forbidden
from huoban.imports.services import run_import
from huoban.performance.models import Scorecard
from huoban.performance.services import set_scorecard_template

pytestmark = pytest.mark.django_db

DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
TEMPLATE = [
    {"name": "签约量", "direction": "higher", "target": 500},
    {"name": "转化率", "direction": "higher", "target": 18, "unit": "%"},
    {"name": "NPS", "direction": "higher", "target": 70},
    {"name": "投诉率", "direction": "lower", "target": 5, "unit": "%", "complaint_rate": True},
    {"name": "报价时效", "direction": "lower", "target": 24, "unit": "h"},
    {"name": "故障率", "direction": "lower", "target": 1, "unit": "%"},
]
SEED_002 = [("签约量", "580"), ("转化率", "19.2%"), ("NPS", "74"), ("投诉率", "3.2%"),
            ("报价时效", "16"), ("故障率", "0.3")]  # fmt: skip


def csv(code: str, period: str, rows) -> bytes:
    lines = ["伙伴编号,月份,指标,实际值"] + [f"{code},{period},{k},{v}" for k, v in rows]
    return "\n".join(lines).encode("utf-8-sig")


def run(actor, data, dry_run=False):
    with clock.frozen(DECEMBER):
        return run_import("kpis", file_name="kpi.csv", data=data, actor=actor, dry_run=dry_run)


def test_seed_002s_month_from_a_file(actors):
    set_scorecard_template(actors.alpha.code, kpis=TEMPLATE, actor=actors.officer)
    data = csv(actors.alpha.code, "2026-11", SEED_002)
    checked = run(actors.officer, data, dry_run=True)
    assert (checked.created, checked.failed, checked.errors) == (6, 0, [])
    assert not Scorecard.objects.exists()
    result = run(actors.officer, data)
    assert (result.created, result.unchanged, result.failed) == (6, 0, 0)
    card = Scorecard.objects.get()
    # R-KPI-3: 116.0, 106.7, 105.7, 150.0, 150.0, 150.0 → 129.7 excellent
    assert (card.period, str(card.total), card.band) == ("2026-11", "129.7", "excellent")
    assert [i["score"] for i in card.items] == [
        "116.0",
        "106.7",
        "105.7",
        "150.0",
        "150.0",
        "150.0",
    ]
    assert [i["name"] for i in card.items if i["complaint_rate"]] == ["投诉率"]
    again = run(actors.officer, data)
    assert (again.created, again.unchanged, again.failed) == (0, 6, 0)
    assert Scorecard.objects.count() == 1
    # other actuals for a month already recorded: its first row names the month
    changed = run(
        actors.officer, csv(actors.alpha.code, "2026-11", [("签约量", "600"), *SEED_002[1:]])
    )
    assert [(e.row, e.column) for e in changed.errors] == [(2, "月份")]
    assert "修订版" in changed.errors[0].message and Scorecard.objects.count() == 1


def test_bad_months_are_named_by_row_and_nothing_is_written(actors):
    set_scorecard_template(actors.alpha.code, kpis=TEMPLATE, actor=actors.officer)
    alpha = csv(actors.alpha.code, "2026-10", [*SEED_002[:5], ("满意度", "90")])  # rows 2–7
    beta = csv(actors.beta.code, "2026-10", SEED_002[:1]).split(b"\n", 1)[1]  # row 8
    good = csv(actors.alpha.code, "2026-09", SEED_002).split(b"\n", 1)[1]  # rows 9–14
    late = f"\n{actors.alpha.code},2026-13,签约量,500".encode()  # row 15
    result = run(actors.officer, alpha + b"\n" + beta + b"\n" + good + late)
    found = [(e.row, e.column) for e in result.errors]
    assert found == [(2, "伙伴编号"), (7, "指标"), (8, "伙伴编号"), (15, "月份")], result.errors
    messages = " ".join(e.message for e in result.errors)
    assert (
        "缺少指标：故障率" in messages and "满意度" in messages and "尚未设定记分卡模板" in messages
    )
    assert (result.created, result.failed) == (6, 4) and not Scorecard.objects.exists()


def test_only_officers_import_kpis(actors):
    for user in (actors.finance, actors.pm):
        with pytest.raises(Forbidden):
            run(user, csv(actors.alpha.code, "2026-11", SEED_002))
