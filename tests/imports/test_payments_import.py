"""Importing payments (SPEC §14, R-IMP-1…3, R-IMP-6; ARCHITECTURE §5; issue #21): a dry run
checks every row with the service the forms call and writes nothing; a file with a bad row
names each bad row and column and writes nothing; a clean file applies all or nothing, its
ledger entries exactly those of the same payments recorded by hand; the same file again
changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from huoban.audit.models import AuditEvent
from huoban.commissions.models import LedgerEntry
from huoban.errors import Forbidden
from huoban.imports.models import ImportRun
from huoban.imports.services import run_import
from huoban.projects.models import CustomerPayment
from tests.projects.helpers import pay, sign

pytestmark = pytest.mark.django_db


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def entries(project) -> list[tuple[str, str, str]]:
    return sorted(
        (e.kind, str(e.amount), e.status)
        for e in LedgerEntry.objects.filter(project=project, effective=True)
    )


def test_a_clean_file_dry_run_then_applied_then_again(actors, tmp_path):
    project = sign(actors.officer, actors.alpha, "300000.00")
    rows = [
        ["项目编号", "金额", "到账日", "流水号"],
        [project.pk, "24000.00", "2026-02-10", "BANK-001"],
        [project.pk, '"126,000.00"', "2026/3/15", "BANK-002"],
    ]
    data = csv_bytes(rows)
    checked = run_import("payments", file_name="回款.csv", data=data, actor=actors.finance,
                         dry_run=True)  # fmt: skip
    assert (checked.created, checked.unchanged, checked.failed, checked.errors) == (2, 0, 0, [])
    # a dry run writes nothing but its line in the history
    assert not CustomerPayment.objects.exists() and not LedgerEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="import.apply").exists()
    run = ImportRun.objects.get()
    assert (run.dry_run, run.applied, run.created, run.actor) == (True, False, 2, actors.finance)

    applied = run_import("payments", file_name="回款.csv", data=data, actor=actors.finance,
                         dry_run=False)  # fmt: skip
    assert (applied.created, applied.unchanged, applied.failed, applied.applied) == (2, 0, 0, True)
    assert sorted(CustomerPayment.objects.values_list("reference", "amount")) == [
        ("BANK-001", Decimal("24000.00")),
        ("BANK-002", Decimal("126000.00")),
    ]
    event = AuditEvent.objects.get(action="import.apply")
    assert event.after["created"] == 2 and event.after["sha256"] == run.sha256
    # R-IMP-3: the same entries as the same payments recorded by hand on a twin project
    twin = sign(actors.officer, actors.alpha, "300000.00", name="晋城华东机械二厂有限公司")
    pay(actors.finance, twin, "24000.00", dt.date(2026, 2, 10), "BANK-001")
    pay(actors.finance, twin, "126000.00", dt.date(2026, 3, 15), "BANK-002")
    assert entries(project) == entries(twin) and entries(project)

    # R-IMP-2: the same file again changes nothing and says so
    before = (CustomerPayment.objects.count(), LedgerEntry.objects.count())
    again = run_import("payments", file_name="回款.csv", data=data, actor=actors.finance,
                       dry_run=False)  # fmt: skip
    assert (again.created, again.unchanged, again.failed) == (0, 2, 0)
    assert (CustomerPayment.objects.count(), LedgerEntry.objects.count()) == before


def test_bad_rows_are_each_named_and_nothing_is_written(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")
    data = xlsx_bytes(
        [
            ["project_id", "amount", "received_on", "reference", "kind", "refund_of"],
            [project.pk, 1000, dt.date(2026, 2, 1), "OK-1", None, None],  # good
            [project.pk, "12万", "2026-02-02", "BAD-1", None, None],  # row 3
            [project.pk, "100.005", "2026-13-01", "BAD-2", None, None],  # row 4: two cells
            [99999, "100.00", "2026-02-03", "BAD-3", None, None],  # row 5: no such project
            [project.pk, "100.00", "2025-12-31", "BAD-4", None, None],  # row 6: before signing
            [project.pk, "50.00", "2026-02-04", "BAD-5", "退款", "NO-SUCH"],  # row 7
            [project.pk, "100.00", "2026-02-05", None, "赠款", None],  # row 8: two cells
        ]
    )
    result = run_import("payments", file_name="bad.xlsx", data=data, actor=actors.finance,
                        dry_run=False)  # fmt: skip
    found = [(e.row, e.column) for e in result.errors]
    assert found == [
        (3, "amount"), (4, "amount"), (4, "received_on"), (5, "project_id"),
        (6, "received_on"), (7, "refund_of"), (8, "reference"), (8, "kind"),
    ]  # fmt: skip
    assert "万" in result.errors[0].message
    assert (result.created, result.failed, result.applied) == (1, 6, False)
    # all or nothing: the good row is not written either
    assert not CustomerPayment.objects.exists() and not LedgerEntry.objects.exists()
    assert ImportRun.objects.get().failed == 6


def test_header_errors_stop_before_any_row(actors):
    data = csv_bytes([["项目编号", "金额", "备注"], [1, "100.00", "x"]])
    result = run_import("payments", file_name="x.csv", data=data, actor=actors.finance,
                        dry_run=True)  # fmt: skip
    assert [(e.row, e.column) for e in result.errors] == [(1, "备注"), (1, "到账日"), (1, "流水号")]
    assert result.rows == 0


def test_gb18030_and_excel_numbers(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")
    amount = "￥１２，０００．５０"  # full-width, with a currency sign
    rows = [["项目编号", "金额", "到账日", "流水号", "类型"],
            [f"{project.pk}.0", amount, "2026年2月10日", "银行-甲", "回款"]]  # fmt: skip
    result = run_import("payments", file_name="gbk.csv", data=csv_bytes(rows, "gb18030"),
                        actor=actors.finance, dry_run=False)  # fmt: skip
    assert result.errors == [] and result.created == 1
    payment = CustomerPayment.objects.get()
    assert (payment.amount, payment.received_on) == (Decimal("12000.50"), dt.date(2026, 2, 10))
    # Excel's own: a float amount, a float id, a serial date (46063 = 2026-02-10)
    data = xlsx_bytes([["项目编号", "金额", "到账日", "流水号"],
                       [float(project.pk), 7000.5, 46063, 20260210001.0]])  # fmt: skip
    result = run_import("payments", file_name="x.xlsx", data=data, actor=actors.finance,
                        dry_run=False)  # fmt: skip
    assert result.errors == []
    second = CustomerPayment.objects.get(reference="20260210001")
    assert (second.amount, second.received_on) == (Decimal("7000.50"), dt.date(2026, 2, 10))


def test_only_finance_imports_payments(actors):
    data = csv_bytes([["项目编号", "金额", "到账日", "流水号"]])
    for user in (actors.officer, actors.pm, actors.alice):
        with pytest.raises(Forbidden):
            run_import("payments", file_name="x.csv", data=data, actor=user, dry_run=True)
    assert not ImportRun.objects.exists()


def test_the_command_line(actors, tmp_path):
    project = sign(actors.officer, actors.alpha, "300000.00")
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([["project_id", "amount", "received_on", "reference"],
                                [project.pk, "1000.00", "2026-02-01", "CLI-1"]]))  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["project_id", "amount", "received_on", "reference"],
                               [project.pk, "1万", "2026-02-01", "CLI-2"]]))  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    call_command("import_rows", "payments", str(bad), stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("row 2, column amount: 请填写完整金额")
    assert lines[-1] == "created 0, unchanged 0, failed 1"
    out = io.StringIO()
    call_command("import_rows", "payments", str(good), dry_run=True, stdout=out)
    assert out.getvalue().splitlines()[-1] == "created 1, unchanged 0, failed 0"
    assert not CustomerPayment.objects.exists()
    out = io.StringIO()
    call_command("import_rows", "payments", str(good), username="fiona", stdout=out)
    assert out.getvalue().strip() == "created 1, unchanged 0, failed 0"
    assert CustomerPayment.objects.get().recorded_by == actors.finance


def test_a_payment_found_by_its_projects_contract_number(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")
    project.contract_no = "HT-2026-009"
    project.save(update_fields=["contract_no"])
    data = csv_bytes([["合同编号", "金额", "到账日", "流水号"],
                      ["HT-2026-009", "24000.00", "2026-02-10", "B-9"],
                      ["HT-NONE", "100.00", "2026-02-10", "B-10"]])  # fmt: skip
    result = run_import("payments", file_name="x.csv", data=data, actor=actors.finance,
                        dry_run=True)  # fmt: skip
    assert [(e.row, e.column) for e in result.errors] == [(3, "合同编号")] and result.created == 1
