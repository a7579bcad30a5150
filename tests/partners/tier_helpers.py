"""Builders for the tier tests: valid leads in given months, signed projects, violations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from typing import Any

from huoban import clock
from huoban.partners.models import Partner, PartnerViolation
from huoban.terms.models import PolicyVersion, parameters_of
from huoban.terms.rules import POLICY_V1
from tests.leads.helpers import judge, submit
from tests.projects.helpers import ensure_policy_v1, sign

# Names far apart, so the customer matching never asks for a review between them.
NAMES = [
    "东义集团",
    "云岭茶业股份有限公司",
    "北方重工机械有限公司",
    "南海渔业发展公司",
    "西域光伏新能源科技",
    "青岛港口物流园",
    "长江航运信息服务",
    "黄山旅游文化传媒",
    "滇池生物医药研究院",
    "漠河冰雪运动俱乐部",
    "珠江电子元器件厂",
    "敦煌壁画数字博物馆",
]
_names = itertools.count()


def next_name() -> str:
    i = next(_names)
    return f"{NAMES[i % len(NAMES)]}{i // len(NAMES) or ''}"


def valid_leads(actors: Any, user: Any, days: list[dt.date]) -> list[Any]:
    """One valid lead submitted (and judged) on each day, by the partner user `user`."""
    leads = []
    for day in days:
        with clock.frozen(dt.datetime.combine(day, dt.time(10), tzinfo=clock.local_tz())):
            lead = submit(user, next_name())
            leads.append(judge(actors.officer, lead))
        assert leads[-1].status == "valid", leads[-1].status
    return leads


def two_a_month(year: int, months: list[int]) -> list[dt.date]:
    return [dt.date(year, m, d) for m in months for d in (10, 20)]


def signed(actors: Any, partner: Partner, amount: str, on: dt.date, today: dt.date) -> Any:
    """A project for `partner` signed on `on`, created on `today` (through create_project)."""
    ensure_policy_v1()
    with clock.frozen(today):
        return sign(actors.officer, partner, amount, name=next_name(), signed_on=on)


def violation(actors: Any, partner: Partner, on: dt.date) -> PartnerViolation:
    return PartnerViolation.objects.create(
        partner=partner,
        kind="fake_lead",
        occurred_on=on,
        description="虚构客户需求",
        recorded_by=actors.officer,
        recorded_at=clock.now(),
    )


def make_tier(partner: Partner, tier: str, since: dt.date) -> Partner:
    """Given: the partner holds `tier` since `since` (set directly, as earlier history)."""
    Partner.objects.filter(pk=partner.pk).update(tier=tier, tier_since=since)
    partner.refresh_from_db()
    return partner


def policy_demoting_from(day: dt.date) -> PolicyVersion:
    """A policy version with the demote_after_grace switch on, effective from `day`."""
    ensure_policy_v1()
    policy = dataclasses.replace(POLICY_V1, version=2, effective_from=day, demote_after_grace=True)
    return PolicyVersion.objects.create(
        version=2,
        effective_from=day,
        parameters=parameters_of(policy),
        created_at=clock.now(),
    )
