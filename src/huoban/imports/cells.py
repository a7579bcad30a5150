"""Spreadsheet cells as values (R-IMP-1): numbers as Excel stores them (floats, integers) and
as people type them (thousands separators, full-width digits, a currency sign), dates as Excel
stores them (a date, a serial number) and as people type them (2026-11-05, 2026/11/5,
2026年11月5日, 20261105). Each parser returns the value or raises :class:`CellError` with the
message, in Chinese and English, that the import shows beside the row and column."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

#: Excel's day 0 (its 1900 calendar, after the leap-year bug of 1900-02-29).
EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONEY_SIGNS = ("¥", "￥", "RMB", "CNY", "元")


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the message for the row."""


def text(value: object) -> str:
    """A cell as text: a float that is a whole number without its ".0" (Excel stores a typed
    reference 20261105 as 20261105.0), full-width letters and digits made ASCII."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def amount(value: object) -> Decimal:
    """An amount in yuan with at most two decimal places (R-POL-3). A float from Excel is read
    as the shortest text that gives it back (1234.5 → 1234.50); 1,234.50, ¥1234.5 and
    full-width digits are taken; 万 is refused, never guessed."""
    if isinstance(value, bool):
        raise CellError("不是金额 / Not an amount.")
    if isinstance(value, int | float | Decimal):
        raw = repr(value) if isinstance(value, float) else str(value)
    else:
        raw = text(value)
        if not raw:
            raise CellError("金额不能为空 / The amount is missing.")
        if "万" in raw or "亿" in raw:
            raise CellError(
                "请填写完整金额，不要用“万”“亿” / Write the full amount in yuan, not in 万 or 亿."
            )
        for sign in _MONEY_SIGNS:
            raw = raw.replace(sign, "")
        raw = raw.replace(",", "").replace(" ", "").strip()
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"不是金额：{text(value)} / Not an amount: {text(value)}.") from None
    if not number.is_finite():
        raise CellError(f"不是金额：{text(value)} / Not an amount: {text(value)}.")
    if number != number.quantize(Decimal("0.01")):
        raise CellError("金额最多两位小数 / An amount has at most two decimal places.")
    return number.quantize(Decimal("0.01"))


def date(value: object) -> dt.date:
    """A date as Excel stores it or as people type it."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():  # Excel's serial, to 9999-12-31
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(f"不是日期：{value} / Not a date: {value}.")
    raw = text(value)
    if not raw:
        raise CellError("日期不能为空 / The date is missing.")
    if re.match(r"^\S+\s+\d{1,2}:\d{2}", raw):  # a time after the date: 20261105 10:31:02
        raw = raw.split()[0]
    match = _DATE.match(raw) or _COMPACT.match(raw)
    if match is None:
        raise CellError(f"日期格式应为 2026-11-05 / A date is written 2026-11-05 (not {raw}).")
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise CellError(f"没有这一天：{raw} / No such day: {raw}.") from None


def whole_number(value: object) -> int:
    """A positive whole number (an id): 12, 12.0, "12" or "12.0"."""
    if isinstance(value, bool):
        raise CellError("应为正整数 / A whole number above 0.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = text(value)
    whole = re.sub(r"\.0+$", "", raw)
    if not whole.isdigit() or int(whole) < 1:
        raise CellError(f"应为正整数：{raw} / A whole number above 0: {raw}.")
    return int(whole)


_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def month(value: object) -> str:
    """A month, ``YYYY-MM``: 2026-11, 2026/11, 2026年11月, or a date Excel made of it."""
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    raw = text(value)
    match = _MONTH.match(raw)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise CellError(f"月份格式应为 2026-11 / A month is written 2026-11 (not {raw}).")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def measure(value: object) -> Decimal:
    """A measurement (a KPI's actual): a number as stored or typed, 19.2% read as 19.2."""
    if isinstance(value, bool):
        raise CellError("应为数字 / A number.")
    if isinstance(value, int | float | Decimal):
        raw = repr(value) if isinstance(value, float) else str(value)
    else:
        raw = text(value).replace(",", "").rstrip("%").strip()
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"应为数字：{text(value)} / Not a number: {text(value)}.") from None
    if not number.is_finite():
        raise CellError(f"应为数字：{text(value)} / Not a number: {text(value)}.")
    return number
