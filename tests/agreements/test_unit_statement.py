"""Per-unit receivables on the partner's statement (R-LED-1, R-UNIT-1, seed 002; issue #15): the
insurer's units are owed by it, and its statement says so — in JSON, PDF, Excel and the
portal — instead of showing a negative amount outstanding."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from huoban import clock
from huoban.agreements.units import report_units
from huoban.commissions.statements import build_statement, render_pdf, render_xlsx
from tests.portal.helpers import client_for

from .test_rules import SEED_002
from .test_unit_reports import approved_scheme

pytestmark = pytest.mark.django_db

APRIL = dt.datetime(2026, 4, 3, 10, tzinfo=dt.UTC)


def _first_quarter(actors):
    approved_scheme(actors)
    with clock.frozen(APRIL):
        for period, units, complaints, nps in (
            ("2026-01", 3000, "0.09", 70),
            ("2026-02", 2500, "0.04", 60),
            ("2026-03", 3000, "0.03", 72),
        ):
            report_units(
                actors.alpha.code, period=period, units=units,
                complaint_rate=Decimal(complaints), nps=nps, actor=actors.finance,
            )  # fmt: skip


def test_the_statement_says_the_partner_owes_us(actors, api_client):
    _first_quarter(actors)
    with clock.frozen(APRIL):
        # R-UNIT-4: 540,000.00 + 459,000.00 + 250,000.00 + 860,000.00 = 2,109,000.00 owed by it
        status, body = api_client.as_(actors.finance).get(
            f"/api/v1/partners/{actors.alpha.code}/statements/2026-04"
        )
        assert status == 200
        assert (body["earned"], body["closing_outstanding"]) == ("-2109000.00", "-2109000.00")
        assert (body["owed_by_partner"], body["closing_owed_by_partner"]) == (
            "2109000.00", "2109000.00",
        )  # fmt: skip
        assert all(e["owed_by_partner"] for e in body["entries"])

        statement = build_statement(actors.alpha, 2026, 4)
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(render_xlsx(statement))).active
        labels = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
        assert labels["期末伙伴应付我方 Closing owed by the partner"] == 2109000
        assert "期末未付 Closing outstanding" not in labels
        # the PDF draws the same summary lines (statements._summary_rows) as the workbook
        assert render_pdf(statement).startswith(b"%PDF")
        kinds = [row[2].value for row in sheet.iter_rows() if row[2].value]
        assert "达标补差（伙伴应付我方）true-up (owed by the partner)" in kinds

        html = client_for(actors.alice).get("/portal/statements/2026-04/").content.decode()
        assert 'data-figure="closing-owed"' in html and "期末贵方应付我方" in html
        assert "2,109,000.00" in html and "贵方应付" in html


def test_a_payable_month_keeps_the_usual_wording(actors, api_client):
    approved_scheme(actors, {**SEED_002, "direction": "payable"})
    with clock.frozen(APRIL):
        report_units(actors.alpha.code, period="2026-01", units=10, actor=actors.finance)
        statement = build_statement(actors.alpha, 2026, 4)
        assert statement.owed_by_partner == 0 and statement.closing_owed_by_partner == 0
        assert statement.closing_outstanding == Decimal("2000.00")
        html = client_for(actors.alice).get("/portal/statements/2026-04/").content.decode()
        assert 'data-figure="closing"' in html and "贵方应付" not in html
