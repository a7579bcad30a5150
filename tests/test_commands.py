"""Every business command of `huoban` is a Django management command (issue #11, D-FRAME-20):
``call_command`` and ``huoban manage`` reach the same code as the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command, get_commands

from huoban.cli import build_parser

BUSINESS = {
    "createuser": "accounts",
    "token": "accounts",
    "unlock": "accounts",
    "tick": "core",
    "backup": "core",
    "restore": "core",
    "ledger_verify": "commissions",
    "ledger_rebuild": "commissions",
    "statement": "commissions",
    "audit_verify": "audit",
    "bench_data": "demo",
    "worker": "notifications",
}


def test_each_business_command_is_a_management_command_of_its_app():
    commands = get_commands()
    assert {name: commands.get(name, "").rpartition(".")[2] for name in BUSINESS} == BUSINESS


def test_the_command_line_still_offers_every_command_of_the_contract():
    choices = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert {
        "demo",
        "serve",
        "migrate",
        "createuser",
        "token",
        "tick",
        "ledger",
        "worker",
    } <= choices


@pytest.mark.django_db
def test_call_command_runs_the_daily_jobs_and_the_verifiers():
    out = io.StringIO()
    call_command("tick", date="2026-01-02", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("leads: 0 newly overdue") and len(lines) == 11
    assert lines[9].startswith("cases: 0 opened")
    assert lines[10].startswith("analytics: 2026-01-01…2026-01-02 counted for 0 channels")
    assert lines[1].startswith("leads: 0 reminded")
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert out.getvalue().startswith("ok   audit log:")
    out = io.StringIO()
    call_command("ledger_verify", stdout=out)
    assert out.getvalue() == "ok   no ledger entries\n"
