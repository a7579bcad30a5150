"""The holiday table (R-CAL-2), kept by an admin: one day at a time, or a whole year pasted
from the State Council's notice, so due dates in a year ``chinese-calendar`` does not know yet
stop being estimates.

Above the policy module (who may: ``policy.may_manage_reference_data``), beside
:mod:`huoban.staff`; :mod:`huoban.calendar` reads the table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction

from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.core.models import Holiday
from huoban.errors import Forbidden, NotFound, ValidationFailed
from huoban.policy import may_manage_reference_data

OFF_WORDS = {"休", "放假", "假", "off", "holiday"}
WORK_WORDS = {"班", "上班", "调休上班", "work", "workday"}
SEPARATORS = re.compile(r"[\s,，;；|]+")
MAX_LINES = 400


@dataclass(frozen=True)
class HolidayLine:
    date: dt.date
    is_workday: bool
    name: str


def _require(actor: User) -> None:
    if not may_manage_reference_data(actor):
        raise Forbidden("节假日表由管理员维护 / the holiday table is kept by admins")


def parse_line(line: str) -> HolidayLine:
    """``2027-01-01 元旦 休`` / ``2027-02-07,春节调休,班``: a date, a name, 休 or 班 (in any
    order after the date; the name may be left out). Raises ValueError with a bilingual reason."""
    parts = [p for p in SEPARATORS.split(line.strip()) if p]
    if not parts:
        raise ValueError("空行 / empty line")
    try:
        day = dt.date.fromisoformat(parts[0].replace("/", "-"))
    except ValueError:
        raise ValueError(
            f"日期应为 YYYY-MM-DD：{parts[0]} / a date is YYYY-MM-DD: {parts[0]}"
        ) from None
    kinds = [p for p in parts[1:] if p.lower() in OFF_WORDS | WORK_WORDS]
    if len(kinds) != 1:
        raise ValueError("请注明“休”或“班” / say 休 (day off) or 班 (working day)")
    name = " ".join(p for p in parts[1:] if p not in kinds)
    if len(name) > 100:
        raise ValueError("名称不超过100字 / a name has at most 100 characters")
    return HolidayLine(day, kinds[0].lower() in WORK_WORDS, name)


def parse_table(text: str, year: int | None = None) -> list[HolidayLine]:
    """Every non-empty line of a pasted table, or ValidationFailed naming each bad line."""
    lines = [(n, raw) for n, raw in enumerate(text.splitlines(), start=1) if raw.strip()]
    if not lines:
        raise ValidationFailed({"text": "请粘贴至少一行 / paste at least one line"})
    if len(lines) > MAX_LINES:
        raise ValidationFailed({"text": f"最多 {MAX_LINES} 行 / at most {MAX_LINES} lines"})
    problems: list[tuple[str, str]] = []  # (中文, English)
    parsed: list[HolidayLine] = []
    seen: dict[dt.date, int] = {}
    for number, raw in lines:
        try:
            item = parse_line(raw)
        except ValueError as e:
            zh, _sep, en = str(e).partition(" / ")
            problems.append((f"第{number}行：{zh}", f"line {number}: {en or zh}"))
            continue
        if year is not None and item.date.year != year:
            problems.append((f"第{number}行：不在 {year} 年", f"line {number}: not in {year}"))
        elif item.date in seen:
            first = seen[item.date]
            problems.append(
                (
                    f"第{number}行：与第{first}行日期重复",
                    f"line {number}: same date as line {first}",
                )
            )
        seen.setdefault(item.date, number)
        parsed.append(item)
    if problems:
        chinese = "；".join(zh for zh, _en in problems)
        english = "; ".join(en for _zh, en in problems)
        raise ValidationFailed({"text": f"{chinese} / {english}"})
    return parsed


def _row(holiday: Holiday) -> dict[str, object]:
    return {
        "date": holiday.date.isoformat(),
        "is_workday": holiday.is_workday,
        "name": holiday.name,
    }


@transaction.atomic(durable=True)
def set_holiday(day: dt.date, *, is_workday: bool, name: str = "", actor: User) -> Holiday:
    """Enter or correct one day of the table."""
    _require(actor)
    if len(name.strip()) > 100:
        raise ValidationFailed({"name": "名称不超过100字 / at most 100 characters"})
    holiday = Holiday.objects.select_for_update().filter(date=day).first()
    before = _row(holiday) if holiday else None
    if holiday is None:
        holiday = Holiday(date=day)
    holiday.is_workday = is_workday
    holiday.name = name.strip()
    holiday.save()
    record(actor, "holiday.set", holiday, before=before, after=_row(holiday))
    return holiday


@transaction.atomic(durable=True)
def delete_holiday(day: dt.date, *, actor: User) -> None:
    """Take a day out of the table (``chinese-calendar`` or weekends decide it again)."""
    _require(actor)
    holiday = Holiday.objects.filter(date=day).first()
    if holiday is None:
        raise NotFound("节假日表中没有这一天 / that day is not in the table")
    before = _row(holiday)
    record(actor, "holiday.delete", holiday, before=before)
    holiday.delete()


@transaction.atomic(durable=True)
def import_holidays(text: str, *, actor: User, year: int | None = None) -> int:
    """Enter every line of a pasted table at once, or none if any line is wrong; answers the
    number of days entered (new or changed)."""
    _require(actor)
    items = parse_table(text, year)
    existing = {h.date: h for h in Holiday.objects.filter(date__in=[i.date for i in items])}
    changed = 0
    for item in items:
        holiday = existing.get(item.date)
        if holiday and (holiday.is_workday, holiday.name) == (item.is_workday, item.name):
            continue
        if holiday is None:
            holiday = Holiday(date=item.date)
        holiday.is_workday, holiday.name = item.is_workday, item.name
        holiday.save()
        changed += 1
    record(
        actor,
        "holiday.import",
        None,
        object_type="core.holiday",
        object_id=str(year or ""),
        after={"lines": len(items), "changed": changed},
    )
    return changed
