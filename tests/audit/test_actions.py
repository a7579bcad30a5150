"""The audit-action catalogue (issue #11): every action the source records is in it, every
catalogued action is recorded somewhere, and record() refuses one that is not listed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import huoban
from huoban.audit.actions import Action
from huoban.audit.models import AuditEvent
from huoban.audit.services import record

SRC = Path(huoban.__file__).parent
# Written through a variable: f"project.{kind}" (payment, refund) and the inactivity decision.
DYNAMIC = {
    "project.payment",
    "project.refund",
    "partner.tier.inactivity_notice",
    "partner.tier.inactivity",
    # notifications.webhooks.switch_active(action=…), shared by webhooks and robots
    "webhook.switch",
    "robot.switch",
    # performance.services._save(…): a month's first scorecard or its revision
    "scorecard.record",
    "scorecard.revise",
}


def recorded_literals() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            action = node.args[1]
            if name in ("record", "record_many") and isinstance(action, ast.Constant):
                found.add(action.value)
    return found


def test_every_recorded_action_is_catalogued_and_every_catalogued_one_recorded():
    literals = recorded_literals()
    assert literals - set(Action.values) == set()
    assert set(Action.values) - literals == DYNAMIC
    source = "".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    assert all(f'"{a}"' in source or "project." in a for a in DYNAMIC)  # each written somewhere


@pytest.mark.django_db
def test_an_action_outside_the_catalogue_is_refused(actors):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match=r"not in huoban\.audit\.actions\.Action"):
        record(actors.admin, "partner.regsiter", actors.alpha)  # a typo
    assert AuditEvent.objects.count() == before
