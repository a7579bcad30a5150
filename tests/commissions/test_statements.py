"""Monthly statements (R-LED-9, R-LED-3): opening and closing outstanding, the month's entries
and payouts, the chain head; as JSON, PDF and Excel; visible to finance, admin and the partner
itself. Figures computed by hand in each test."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import shutil
import subprocess
import zlib
from decimal import Decimal

import openpyxl
import pytest

from huoban import clock
from huoban.audit.chain import GENESIS
from huoban.cli import main as huoban
from huoban.commissions import ledger
from huoban.commissions.models import LedgerEntry
from huoban.commissions.statements import build_statement, render_pdf, render_xlsx
from huoban.projects import services
from tests.projects.helpers import TODAY, ensure_policy_v1, pay, sign

D = dt.date


@pytest.fixture(autouse=True)
def _today(db):
    ensure_policy_v1()
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def history(actors):
    """A 300,000 new light project (r = 22%): 100,000 received 15 January → confirmation
    8% × 300,000 = 24,000.00, approved and paid on 10 February (bank ref BANK-0210); accepted
    10 April after 150,000 more on 2 March → 22% × 250,000 = 55,000 − 24,000 = 31,000.00."""
    # Each step is recorded on its own day (a statement shows what was booked in its month).
    with clock.frozen(D(2026, 1, 5)):
        project = sign(actors.officer, actors.alpha)
    with clock.frozen(D(2026, 1, 15)):
        pay(actors.finance, project, "100000.00", D(2026, 1, 15), "HK-001")
    confirmation = LedgerEntry.objects.get(project=project)
    with clock.frozen(D(2026, 2, 10)):
        ledger.approve_entry(confirmation.pk, actor=actors.finance)
        ledger.create_payout(
            actors.alpha,
            actor=actors.finance,
            bank_reference="BANK-0210",
            paid_on=D(2026, 2, 10),
            entry_ids=[confirmation.pk],
        )
    with clock.frozen(D(2026, 3, 2)):
        pay(actors.finance, project, "150000.00", D(2026, 3, 2), "HK-002")
    with clock.frozen(D(2026, 4, 10)):
        services.accept_project(project.pk, actor=actors.pm, accepted_on=D(2026, 4, 10))
    settlement = LedgerEntry.objects.get(project=project, kind="settlement")
    return {"project": project, "confirmation": confirmation, "settlement": settlement}


def _figures(statement):
    return (
        statement.opening_outstanding,
        statement.earned,
        statement.paid,
        statement.closing_outstanding,
    )


def test_it_carries_the_outstanding_from_month_to_month(actors, history):
    confirmation = history["confirmation"]
    january = build_statement(actors.alpha, 2026, 1)
    # Opening 0.00 + earned 24,000.00 − paid 0.00 = closing 24,000.00.
    assert _figures(january) == (
        Decimal("0.00"),
        Decimal("24000.00"),
        Decimal("0.00"),
        Decimal("24000.00"),
    )
    assert [e.pk for e in january.entries] == [confirmation.pk]
    assert "引荐确认金 C = 8% × 300,000.00 = 24,000.00" in january.entries[0].explanation
    assert january.chain_head == confirmation.hash
    assert (january.chain_head_entry_id, january.chain_length) == (confirmation.pk, 1)

    february = build_statement(actors.alpha, 2026, 2)
    # Opening 24,000.00 + 0.00 − paid 24,000.00 = closing 0.00.
    assert _figures(february) == (
        Decimal("24000.00"),
        Decimal("0.00"),
        Decimal("24000.00"),
        Decimal("0.00"),
    )
    assert [(p.bank_reference, p.total, p.entry_ids) for p in february.payouts] == [
        ("BANK-0210", Decimal("24000.00"), [confirmation.pk])
    ]
    assert february.chain_head == confirmation.hash  # nothing earned since

    april = build_statement(actors.alpha, 2026, 4)
    # Opening 0.00 + 31,000.00 (55,000 − 24,000 at acceptance) = closing 31,000.00.
    assert _figures(april) == (
        Decimal("0.00"),
        Decimal("31000.00"),
        Decimal("0.00"),
        Decimal("31000.00"),
    )
    assert april.chain_head == history["settlement"].hash
    assert april.chain_length == 2


def test_a_month_before_any_entry_shows_the_genesis_head(actors, history):
    december = build_statement(actors.alpha, 2025, 12)
    assert _figures(december) == (Decimal("0.00"),) * 4
    assert (december.chain_head, december.chain_length) == (GENESIS, 0)


def test_an_adjustment_counts_once_finance_and_admin_approve_it(actors, history):
    adjustment = ledger.propose_adjustment(
        actors.alpha, actor=actors.finance, reason="重复计费更正", amount=Decimal("-100.00")
    )
    june = build_statement(actors.alpha, 2026, 6)
    # Pending: not counted; opening 31,000.00 (April), closing 31,000.00.
    assert _figures(june) == (
        Decimal("31000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("31000.00"),
    )
    assert june.chain_head == adjustment.hash  # the head covers the whole chain up to June
    ledger.approve_entry(adjustment.pk, actor=actors.finance)
    ledger.approve_entry(adjustment.pk, actor=actors.admin)
    june = build_statement(actors.alpha, 2026, 6)
    # 31,000.00 − 100.00 = 30,900.00.
    assert _figures(june) == (
        Decimal("31000.00"),
        Decimal("-100.00"),
        Decimal("0.00"),
        Decimal("30900.00"),
    )


def _pdf_text(data: bytes) -> str:
    """The PDF's text: pdftotext when installed, else the inflated content streams."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        return out.stdout.decode()
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = stream.strip()
        try:
            if raw.endswith(b"~>"):  # ReportLab's ASCII85 wrapping of the deflated stream
                raw = base64.a85decode(raw, adobe=True)
            chunks.append(zlib.decompress(raw).decode("latin-1"))
        except (ValueError, zlib.error):
            chunks.append(stream.decode("latin-1"))
    return "\n".join(chunks)


def test_the_pdf_ends_with_the_chain_head(actors, history):
    statement = build_statement(actors.alpha, 2026, 1)
    data = render_pdf(statement)
    assert data.startswith(b"%PDF")
    assert b"STSong-Light" in data
    text = _pdf_text(data)
    assert statement.chain_head in text
    if shutil.which("pdftotext"):  # CID-font text is only readable through its CMap
        assert "佣金月度对账单" in text
        assert "24000.00" in text


def test_the_excel_holds_the_amounts_as_numbers(actors, history):
    statement = build_statement(actors.alpha, 2026, 2)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(statement)))
    sheet = book.active
    cells = {row[0].value: row[1] for row in sheet.iter_rows() if row[0].value is not None}
    assert Decimal(str(cells["期初未付 Opening outstanding"].value)) == Decimal("24000.00")
    assert Decimal(str(cells["本月付款 Paid this month"].value)) == Decimal("24000.00")
    assert Decimal(str(cells["期末未付 Closing outstanding"].value)) == Decimal("0.00")
    assert cells["期初未付 Opening outstanding"].number_format == "0.00"
    assert cells["链头 Chain head"].value == statement.chain_head
    payout_row = next(r for r in sheet.iter_rows() if r[1].value == "BANK-0210")
    assert Decimal(str(payout_row[3].value)) == Decimal("24000.00")

    january = build_statement(actors.alpha, 2026, 1)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(january))).active
    entry_row = next(r for r in sheet.iter_rows() if r[0].value == history["confirmation"].pk)
    assert Decimal(str(entry_row[6].value)) == Decimal("24000.00")
    assert entry_row[6].number_format == "0.00"


def test_the_api_answers_json_pdf_and_excel(actors, history, api_client):
    code = actors.alpha.code
    client = api_client.as_(actors.alice)
    status, body = client.get(f"partners/{code}/statements/2026-02")
    assert status == 200, body
    assert {
        k: body[k] for k in ("month", "opening_outstanding", "paid", "closing_outstanding")
    } == {
        "month": "2026-02",
        "opening_outstanding": "24000.00",
        "paid": "24000.00",
        "closing_outstanding": "0.00",
    }
    assert body["payouts"][0]["fee"] == "0.00"
    assert body["chain_head"] == history["confirmation"].hash
    status, same = client.get(f"partners/{code}/statements?month=2026-02")
    assert status == 200 and same["chain_head"] == body["chain_head"]

    response = client.client.get(
        f"/api/v1/partners/{code}/statements/2026-01.pdf", headers=client._headers()
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"statement-{code}-2026-01.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    response = client.client.get(
        f"/api/v1/partners/{code}/statements/2026-01.xlsx", headers=client._headers()
    )
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    response = client.client.get(
        f"/api/v1/partners/{code}/statements/2026-01?format=pdf", headers=client._headers()
    )
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("finance", 200), ("admin", 200), ("bob", 404), ("officer", 403), ("pm", 403)],
)
def test_only_finance_admin_and_the_partner_itself_read_it(
    actors, history, api_client, who, status
):
    client = api_client.as_(getattr(actors, who))
    for path in ("2026-01", "2026-01.pdf", "2026-01.xlsx"):
        got, _ = client.get(f"partners/{actors.alpha.code}/statements/{path}")
        assert got == status, (who, path)


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-07", "26-01", "2026-1"])
def test_a_bad_or_future_month_is_a_field_error(actors, api_client, month):
    status, body = api_client.as_(actors.alice).get(
        f"partners/{actors.alpha.code}/statements?month={month}"
    )
    assert status == 422, body
    assert " / " in body["detail"]["month"]


def test_the_command_writes_a_statement(actors, history, tmp_path, capsys):
    target = tmp_path / "s.pdf"
    code = actors.alpha.code
    assert huoban(["statement", code, "2026-01", "--format", "pdf", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF")
    assert history["confirmation"].hash in capsys.readouterr().out
    assert huoban(["statement", code, "2026-02"]) == 0
    assert '"closing_outstanding": "0.00"' in capsys.readouterr().out
    assert huoban(["statement", code, "2026-13"]) == 2
