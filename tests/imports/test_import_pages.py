"""Imports in the console (R-IMP-1, R-UI-1; issue #21): finance uploads a payment file, sees it
checked with nothing written, confirms it and it is applied; a bad file shows each bad row and
column and can't be confirmed; the templates download; other roles are refused."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huoban.imports.models import ImportRun
from huoban.performance.models import Scorecard
from huoban.performance.services import set_scorecard_template
from huoban.projects.models import CustomerPayment
from tests.portal.helpers import client_for
from tests.projects.helpers import sign

pytestmark = pytest.mark.django_db


def upload(client, name: str, text: str):
    file = SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")
    return client.post("/console/imports/", {"kind": "payments", "file": file})


def test_finance_checks_then_confirms(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")
    fiona = client_for(actors.finance)
    text = f"项目编号,金额,到账日,流水号\n{project.pk},24000.00,2026-02-10,B-1\n"
    response = upload(fiona, "回款.csv", text)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/imports/{run.pk}/"
    assert not CustomerPayment.objects.exists() and run.file  # checked, kept, nothing written
    page = fiona.get(response["Location"]).content.decode()
    assert "检查通过，尚未导入" in page and 'id="confirm-import"' in page
    applied = fiona.post(f"/console/imports/{run.pk}/apply/")
    assert applied.status_code == 302
    assert CustomerPayment.objects.get().reference == "B-1"
    done = ImportRun.objects.get(applied=True)
    assert applied["Location"] == f"/console/imports/{done.pk}/" and done.file.name == run.file.name
    # the check cannot be confirmed twice
    again = fiona.post(f"/console/imports/{run.pk}/apply/")
    assert again.status_code == 302 and CustomerPayment.objects.count() == 1
    page = fiona.get(f"/console/imports/{run.pk}/").content.decode()
    assert 'id="confirm-import"' not in page and "此文件已导入" in page
    history = fiona.get("/console/imports/").content.decode()
    assert "回款.csv" in history and "已导入" in history


def test_a_bad_file_lists_its_rows_and_cannot_be_confirmed(actors):
    project = sign(actors.officer, actors.alpha, "300000.00")
    fiona = client_for(actors.finance)
    response = upload(fiona, "bad.csv",
                      f"项目编号,金额,到账日,流水号\n{project.pk},3万,2026-02-10,B-1\n"
                      f"{project.pk},100.00,2026-02-30,B-2\n")  # fmt: skip
    run = ImportRun.objects.get()
    page = fiona.get(response["Location"]).content.decode()
    errors = page[page.index('id="import-errors"') :]
    assert "万" in errors and "没有这一天" in errors and ">2<" in errors and ">3<" in errors
    assert 'id="confirm-import"' not in page
    refused = fiona.post(f"/console/imports/{run.pk}/apply/")
    assert refused.status_code == 302 and not CustomerPayment.objects.exists()


def test_a_file_that_is_not_a_spreadsheet(actors):
    fiona = client_for(actors.finance)
    file = SimpleUploadedFile("回款.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = fiona.post("/console/imports/", {"kind": "payments", "file": file})
    assert response.status_code == 422 and ".xlsx" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_templates(actors):
    fiona = client_for(actors.finance)
    xlsx = fiona.get("/console/imports/template/payments.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert [c.value for c in book.worksheets[0][1]] == [
        "项目编号", "金额", "到账日", "流水号", "类型", "原流水号", "合同编号",
    ]  # fmt: skip
    assert book.worksheets[1].title == "说明"
    csv = fiona.get("/console/imports/template/payments.csv").content
    assert csv.startswith(b"\xef\xbb\xbf") and "项目编号,金额" in csv.decode("utf-8-sig")
    assert fiona.get("/console/imports/template/nothing.xlsx").status_code == 404


def test_other_roles_are_refused(actors):
    for user in (actors.gm, actors.legal):
        client = client_for(user)
        assert client.get("/console/imports/").status_code == 403
        assert "数据导入" not in client.get("/console/home/").content.decode()
    assert client_for(actors.alice).get("/console/imports/").status_code == 404  # no console


def test_officers_import_a_months_actuals_and_see_only_their_kinds(actors):
    set_scorecard_template(
        actors.alpha.code,
        kpis=[{"name": "签约量", "direction": "higher", "target": 500}],
        actor=actors.officer,
    )
    olivia = client_for(actors.officer)
    page = olivia.get("/console/imports/").content.decode()
    assert 'value="kpis"' in page and 'value="payments"' not in page
    file = SimpleUploadedFile(
        "kpi.csv", f"伙伴编号,月份,指标,实际值\n{actors.alpha.code},2026-11,签约量,580\n".encode()
    )
    checked = olivia.post("/console/imports/", {"kind": "kpis", "file": file})
    run = ImportRun.objects.get()
    olivia.post(f"/console/imports/{run.pk}/apply/")
    assert str(Scorecard.objects.get().total) == "116.0"  # 580 ÷ 500 × 100
    assert checked.status_code == 302
    # finance's payment runs are not the officers' to read
    upload(client_for(actors.finance), "回款.csv", "项目编号,金额,到账日,流水号\n")
    payments = ImportRun.objects.get(kind="payments")
    assert olivia.get(f"/console/imports/{payments.pk}/").status_code == 404
    assert "回款.csv" not in olivia.get("/console/imports/").content.decode()


def test_the_console_bounds_a_files_rows(actors, monkeypatch):
    """A request must answer within the server's timeout: past the bound, the command line."""
    monkeypatch.setattr("huoban.imports.services.CONSOLE_MAX_ROWS", 2)
    project = sign(actors.officer, actors.alpha, "300000.00")
    lines = "".join(f"{project.pk},100.00,2026-02-10,B-{n}\n" for n in range(3))
    response = upload(
        client_for(actors.finance), "回款.csv", "项目编号,金额,到账日,流水号\n" + lines
    )
    run = ImportRun.objects.get()
    assert run.errors[-1]["row"] == 0 and "huoban import" in run.errors[-1]["message"]
    assert response.status_code == 302 and not CustomerPayment.objects.exists()
