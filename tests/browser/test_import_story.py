"""fiona (finance) imports a week of receipts from the bank's spreadsheet (issue #21, R-IMP-1):
she downloads the template, uploads a file with one amount written in 万 — the check names its
row and column and nothing is written — corrects it, sees the clean check, confirms, and the
payment is on the project with its commission; the history lists both files."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from huoban.projects.models import CustomerPayment
from tests.projects.helpers import sign

pytestmark = pytest.mark.browser


def workbook(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def test_finance_imports_payments_after_a_clean_check(actors, open_as, tmp_path):
    project = sign(actors.officer, actors.alpha, "300000.00")
    header = ["项目编号", "金额", "到账日", "流水号"]
    fiona = open_as("fiona")
    fiona.goto("/console/home/")
    fiona.get_by_role("link", name="数据导入").click()
    with fiona.expect_download() as download:
        fiona.locator("#templates").get_by_role("link", name="Excel").click()
    template = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert [c.value for c in template.active[1]][:4] == header

    form = fiona.locator("#import-form")
    form.get_by_label("导入什么").select_option("payments")
    bad = workbook(
        tmp_path / "十一月回款.xlsx", [header, [project.pk, "2.4万", "2026-11-05", "B-1"]]
    )
    form.get_by_label("文件（.xlsx 或 .csv，≤30 MB）").set_input_files(bad)
    form.get_by_role("button", name="检查文件").click()
    errors = fiona.locator("#import-errors")
    expect(errors).to_contain_text("万")
    expect(errors.locator("tr", has_text="金额")).to_contain_text("2")
    expect(fiona.locator("#confirm-import")).to_have_count(0)
    fiona.screenshot(path=str(tmp_path / "import-errors.png"), full_page=True)
    assert not CustomerPayment.objects.exists()

    fiona.get_by_role("link", name="数据导入").first.click()
    good = workbook(
        tmp_path / "十一月回款-改.xlsx", [header, [project.pk, 24000, "2026-11-05", "B-1"]]
    )
    form.get_by_label("文件（.xlsx 或 .csv，≤30 MB）").set_input_files(good)
    form.get_by_role("button", name="检查文件").click()
    expect(fiona.locator("#import-counts")).to_contain_text("新增 1")
    fiona.get_by_role("button", name="确认导入（新增 1 条）").click()
    expect(fiona.locator("#summary")).to_contain_text("已导入")
    fiona.screenshot(path=str(tmp_path / "import-done.png"), full_page=True)
    assert CustomerPayment.objects.get().amount == 24000

    fiona.get_by_role("link", name="数据导入").first.click()
    history = fiona.locator("#import-history")
    expect(history).to_contain_text("十一月回款.xlsx")
    expect(history).to_contain_text("十一月回款-改.xlsx")
    fiona.screenshot(path=str(tmp_path / "import-history.png"), full_page=True)


def test_an_officer_imports_the_customer_list_in_english(actors, open_as, tmp_path):
    """olivia, reading in English, imports two customers: one owned by alpha from before
    Huoban, one new company with no owner; the registry shows them, the owner's source said."""
    olivia = open_as("olivia")
    olivia.get_by_role("button", name="English").click()
    olivia.goto("/console/imports/")
    expect(olivia.locator("#template-customers")).to_contain_text("Customer")
    rows = [["name", "aliases", "owner"],
            ["晋城华东机械制造有限公司", "华东机械", actors.alpha.code],
            ["太原智能电网科技有限公司", "", ""]]  # fmt: skip
    form = olivia.locator("#import-form")
    form.get_by_label("What to import").select_option("customers")
    form.get_by_label("File (.xlsx or .csv, ≤ 30 MB)").set_input_files(
        workbook(tmp_path / "customers.xlsx", rows)
    )
    form.get_by_role("button", name="Check the file").click()
    expect(olivia.locator("#import-counts")).to_contain_text("2 new")
    olivia.get_by_role("button", name="Confirm the import (2 new)").click()
    expect(olivia.locator("#summary")).to_contain_text("Applied")
    olivia.goto("/console/customers/registry/")
    table = olivia.locator("#customers")
    expect(table.locator("tr", has_text="晋城华东机械制造有限公司")).to_contain_text(
        "Imported existing ownership"
    )
    expect(table.locator("tr", has_text="太原智能电网科技有限公司")).to_contain_text("Unowned")
    olivia.screenshot(path=str(tmp_path / "registry-en.png"), full_page=True)


def test_finance_reconciles_a_bank_statement(actors, open_as, tmp_path):
    """fiona uploads the bank's export: the line naming the contract is matched and ticked, the
    one from an unknown payer waits; she assigns it to the project by its contract number and
    records both in one step — each a payment of the project."""
    project = sign(actors.officer, actors.alpha, "300000.00")
    project.contract_no = "HT-2026-001"
    project.save(update_fields=["contract_no"])
    rows = [["中国工商银行 账户明细"], [],
            ["交易日期", "对方单位名称", "摘要", "用途", "借方发生额", "贷方发生额", "凭证号"],
            ["2026-11-03", "某某代付公司", "货款", "HT-2026-001 首付", None, "24000.00", "V1"],
            ["2026-11-04", "不认识的公司", "货款", "", None, "6000.00", "V2"]]  # fmt: skip
    fiona = open_as("fiona")
    fiona.goto("/console/finance/")
    fiona.get_by_role("link", name="银行流水对账").click()
    fiona.get_by_label("银行流水（网银导出的 .xlsx 或 .csv）").set_input_files(
        workbook(tmp_path / "十一月流水.xlsx", rows)
    )
    fiona.get_by_role("button", name="上传并匹配").click()
    expect(fiona.locator("#line-4")).to_contain_text("摘要含合同编号 HT-2026-001")
    expect(fiona.locator("#line-5")).to_contain_text("付款人不在客户名录中")
    assign = fiona.locator("#assign-5")
    assign.get_by_role("textbox").fill("HT-2026-001")
    assign.get_by_role("button", name="指定").click()
    expect(fiona.get_by_text("已指定项目。")).to_be_visible()
    fiona.locator("#line-5").get_by_role("checkbox").check()
    fiona.get_by_role("button", name="确认入账所选").click()
    expect(fiona.get_by_text("已入账 2 笔回款。")).to_be_visible()
    expect(fiona.locator("#line-counts")).to_contain_text("已入账 2")
    expect(fiona.locator("#all-recorded")).to_be_visible()
    fiona.screenshot(path=str(tmp_path / "bank.png"), full_page=True)
    assert sorted(p.reference for p in CustomerPayment.objects.filter(project=project)) == [
        "V1", "V2",
    ]  # fmt: skip
