"""Spreadsheet cells (R-IMP-1; D-IMP-1): numbers as Excel stores them and as people type them,
万 refused rather than guessed; dates as Excel stores them and as people type them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huoban.imports.cells import CellError, amount, date, text, whole_number

D = Decimal


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1234.5, D("1234.50")),  # an Excel float
        (120000, D("120000.00")),
        ("1,234.50", D("1234.50")),
        ("¥1234.5", D("1234.50")),
        ("￥１２，３４５．６７", D("12345.67")),  # full-width
        (" 88 元", D("88.00")),
        (D("0.10"), D("0.10")),
    ],
)
def test_amounts_as_stored_and_as_typed(cell, expected):
    assert amount(cell) == expected


@pytest.mark.parametrize(
    ("cell", "word"),
    [("12万", "万"), ("1.2亿", "亿"), ("100.005", "两位小数"), ("", "不能为空"), (None, "不能为空"),
     ("abc", "不是金额"), (True, "不是金额"), ("NaN", "不是金额")],
)  # fmt: skip
def test_amounts_refused(cell, word):
    with pytest.raises(CellError, match=word):
        amount(cell)


@given(st.decimals(min_value=0, max_value=D("999999999999.99"), places=2))
def test_an_amount_reads_back_however_it_is_written(value):
    assert amount(f"{value:,}") == value  # with thousands separators
    assert amount(str(value)) == value
    assert amount(float(value)) == value  # Excel's float of a two-place amount


@pytest.mark.parametrize(
    "cell",
    ["2026-11-05", "2026/11/5", "2026.11.05", "2026年11月5日", "20261105", "2026-11-05 00:00:00",
     46331, 46331.0, dt.date(2026, 11, 5), dt.datetime(2026, 11, 5, 9, 30)],
)  # fmt: skip
def test_dates_as_stored_and_as_typed(cell):
    assert date(cell) == dt.date(2026, 11, 5)


@pytest.mark.parametrize(
    ("cell", "word"),
    [("2026-13-01", "没有这一天"), ("2026-02-30", "没有这一天"), ("11/05/2026", "2026-11-05"),
     ("", "不能为空"), (46331.5, "不是日期")],
)  # fmt: skip
def test_dates_refused(cell, word):
    with pytest.raises(CellError, match=word):
        date(cell)


def test_ids_and_text():
    assert whole_number(12.0) == whole_number("12") == whole_number("12.0") == 12
    for bad in ("0", "-3", "12.5", "abc", True):
        with pytest.raises(CellError):
            whole_number(bad)
    assert text(20261105.0) == "20261105" and text("ＡＢＣ１２３") == "ABC123" and text(None) == ""
