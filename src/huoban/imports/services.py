"""Importing a spreadsheet (SPEC §14, R-IMP-1…3, R-IMP-6): every row checked by the very
service the forms call, in one transaction — a dry run, or a file with any bad row, is rolled
back whole and writes nothing but its line in the history; a clean file is applied all or
nothing. Rows already recorded with the same content count as unchanged (R-IMP-2), so the
same file twice changes nothing (D-IMP-1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from huoban import clock
from huoban.access import require_role
from huoban.accounts.models import User
from huoban.audit.services import record
from huoban.core.files import read_upload
from huoban.errors import Conflict, Forbidden, NotFound, ValidationFailed
from huoban.policy import may_import

from .cells import CellError
from .kinds import KINDS, GroupRefused, Kind, Rows
from .models import ImportRun
from .reading import SPREADSHEET_WORDS, SPREADSHEETS, Table, read_table

#: Errors kept in the history (the command line and the page get them all).
MAX_KEPT_ERRORS = 200
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it (the header is row 1); 0 is the whole file
    column: str  # the header as written in the file ("" for the whole row or file)
    message: str

    def line(self) -> str:
        if self.row == 0:
            return f"file: {self.message}"
        return f"row {self.row}, column {self.column or '-'}: {self.message}"


@dataclass
class Result:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    run_id: int | None = None

    def summary(self) -> str:
        return f"created {self.created}, unchanged {self.unchanged}, failed {self.failed}"


def _columns(kind: Kind, headers: list[str], result: Result) -> dict[int, str]:
    """The file's columns (by position) → fields; a header error is a row-1 error."""
    names = {}
    for column in kind.columns:
        names[column.field.lower()] = column.field
        names[column.label] = column.field
    by_position: dict[int, str] = {}
    seen: set[str] = set()
    for position, header in enumerate(headers):
        if not header:
            continue
        found = names.get(header) or names.get(header.lower())
        if found is None:
            result.errors.append(RowError(1, header, "未知的列 / Unknown column."))
        elif found in seen:
            result.errors.append(RowError(1, header, "列重复 / This column appears twice."))
        else:
            seen.add(found)
            by_position[position] = found
    for column in kind.columns:
        if column.required and column.field not in seen:
            result.errors.append(
                RowError(1, column.label, f"缺少此列（{column.field}）/ Missing column.")
            )
    return by_position


def _read_row(
    kind: Kind, cells: list[Any], columns: dict[int, str], headers: list[str], number: int
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors = []
    for position, name in columns.items():
        column = kind.column(name)
        raw = cells[position] if position < len(cells) else None
        try:
            values[name] = column.read(raw)
        except CellError as exc:
            if column.required or raw not in (None, ""):
                errors.append(RowError(number, headers[position], str(exc)))
    return values, errors


def _refusal(
    kind: Kind, exc: Exception, number: int, headers_by_field: dict[str, str]
) -> list[RowError]:
    if isinstance(exc, ValidationFailed):
        return [
            RowError(number, headers_by_field.get(kind.fields.get(name, name), ""), message)
            for name, message in exc.errors.items()
        ]
    name = kind.conflict_column if isinstance(exc, Conflict) else kind.not_found_column
    return [RowError(number, headers_by_field.get(name, ""), str(exc))]


def run_import(
    kind_name: str,
    *,
    file_name: str,
    data: bytes,
    actor: User,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
    keep: bool = False,
    stored: str = "",
    max_rows: int | None = None,
) -> Result:
    """Check (``dry_run``) or apply a file of ``kind_name`` rows as ``actor``. ``keep`` stores
    the file with the run (the console's check, to be confirmed); ``stored`` names a file kept
    before (the confirmed import of that check)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        raise ValidationFailed(
            {"kind": f"未知的导入类型 / Unknown kind: one of {', '.join(KINDS)}."}
        )
    require_role(actor, *kind.roles)
    started = clock.now()
    result = Result(kind=kind.name, dry_run=dry_run)
    try:
        table = read_table(file_name, data)
    except CellError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        _history(result, file_name, data, actor, started, keep, stored)
        return result
    columns = _columns(kind, table.headers, result)
    if result.errors:
        _history(result, file_name, data, actor, started, keep, stored)
        return result
    headers_by_field = {name: table.headers[position] for position, name in columns.items()}
    if max_rows is not None:
        table = Table(table.headers, _at_most(table, max_rows, result))
    with transaction.atomic(durable=True):
        if kind.group is None:
            _by_row(kind, table, columns, headers_by_field, actor, result, progress)
        else:
            _by_group(kind, table, columns, headers_by_field, actor, result, progress)
        if not result.rows:
            result.errors.append(RowError(0, "", "文件没有数据行 / The file has no rows."))
        if dry_run or result.errors:
            transaction.set_rollback(True)
        else:
            result.applied = True
            run = _history(result, file_name, data, actor, started, keep, stored)
            record(
                actor,
                "import.apply",
                run,
                after={
                    "kind": kind.name,
                    "file": file_name,
                    "sha256": run.sha256,
                    "rows": result.rows,
                    "created": result.created,
                    "unchanged": result.unchanged,
                },
            )
            return result
    _history(result, file_name, data, actor, started, keep, stored)
    return result


def _at_most(table: Table, limit: int, result: Result) -> Any:
    """The table's rows, stopping with a file error after ``limit`` (the console's bound)."""
    for n, row in enumerate(table.rows, 1):
        if n > limit:
            result.errors.append(
                RowError(
                    0,
                    "",
                    f"网页导入每个文件最多 {limit} 行，更大的文件请用命令行 huoban import / "
                    f"The console imports at most {limit} rows a file: use huoban import.",
                )
            )
            return
        yield row


def _by_row(
    kind: Kind,
    table: Table,
    columns: dict[int, str],
    headers_by_field: dict[str, str],
    actor: User,
    result: Result,
    progress: Callable[[int], None] | None,
) -> None:
    """Each row recorded in its own savepoint."""
    assert kind.apply is not None
    for number, cells in table.rows:
        result.rows += 1
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows)
        values, errors = _read_row(kind, cells, columns, table.headers, number)
        if not errors:
            try:
                with transaction.atomic():
                    created = kind.apply(values, actor)
            except (ValidationFailed, Conflict, NotFound) as exc:
                errors = _refusal(kind, exc, number, headers_by_field)
            else:
                result.created += created
                result.unchanged += not created
        if errors:
            result.failed += 1
            result.errors.extend(errors)


def _by_group(
    kind: Kind,
    table: Table,
    columns: dict[int, str],
    headers_by_field: dict[str, str],
    actor: User,
    result: Result,
    progress: Callable[[int], None] | None,
) -> None:
    """The rows read first and gathered by the kind's key (a partner's month), then each group
    recorded in its own savepoint; the counts are rows, the errors in row order."""
    assert kind.group is not None and kind.apply_group is not None
    groups: dict[tuple[Any, ...], Rows] = {}
    for number, cells in table.rows:
        result.rows += 1
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows)
        values, errors = _read_row(kind, cells, columns, table.headers, number)
        if errors:
            result.failed += 1
            result.errors.extend(errors)
        else:
            groups.setdefault(kind.group(values), []).append((number, values))
    for rows in groups.values():
        try:
            with transaction.atomic():
                created = kind.apply_group(rows, actor)
        except GroupRefused as exc:
            result.errors.extend(
                RowError(n, headers_by_field.get(f, ""), m) for n, f, m in exc.problems
            )
            result.failed += len({n for n, _f, _m in exc.problems})
        except (ValidationFailed, Conflict, NotFound) as exc:
            result.errors.extend(_refusal(kind, exc, rows[0][0], headers_by_field))
            result.failed += 1
        else:
            result.created += len(rows) if created else 0
            result.unchanged += 0 if created else len(rows)
    result.errors.sort(key=lambda e: e.row)


def _history(
    result: Result,
    file_name: str,
    data: bytes,
    actor: User,
    started: dt.datetime,
    keep: bool,
    stored: str,
) -> ImportRun:
    """The run's line in the history (inside the import's transaction when it applies)."""
    run = ImportRun(
        kind=result.kind,
        file_name=file_name[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=result.dry_run,
        applied=result.applied,
        rows=result.rows,
        created=result.created,
        unchanged=result.unchanged,
        failed=result.failed,
        errors=[e.__dict__ for e in result.errors[:MAX_KEPT_ERRORS]],
        actor=actor,
        started_at=started,
        finished_at=clock.now(),
    )
    if keep:
        ext = file_name.rsplit(".", 1)[-1].lower()
        run.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
    elif stored:
        run.file.name = stored
    run.save()
    result.run_id = run.pk
    return run


@transaction.atomic(durable=True)
def _claim(run_id: int, actor: User) -> ImportRun:
    run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        raise NotFound("没有这次导入 / No such import.")
    if not may_import(actor, run.kind):
        raise Forbidden("无权导入此类数据 / Your role may not import this kind.")
    if not run.dry_run or run.failed or run.errors or not run.file:
        raise Conflict(
            "只有检查通过的文件可以导入 / Only a file that passed its check is imported."
        )
    if ImportRun.objects.filter(
        kind=run.kind, sha256=run.sha256, applied=True, started_at__gte=run.started_at
    ).exists():
        raise Conflict("这个文件已经导入 / This file has been imported already.")
    return run


def apply_checked(run_id: int, *, actor: User) -> Result:
    """The console's confirmation (R-IMP-1): import the file a clean dry run kept, as it was
    checked. The file is checked again as it is applied — the data may have changed since —
    so a row that has become bad stops the whole import, as it would on the command line."""
    run = _claim(run_id, actor)
    with run.file.open("rb") as kept:
        data = kept.read()
    return run_import(
        run.kind,
        file_name=run.file_name,
        data=data,
        actor=actor,
        dry_run=False,
        stored=run.file.name,
        max_rows=CONSOLE_MAX_ROWS,
    )


#: Rows a file imported in the console may have: a request is answered within the server's
#: 30 s, and a row takes ~10 ms (bench/imports.py); larger files go through `huoban import`.
CONSOLE_MAX_ROWS = 2000
#: An import's file at most (100,000 payment rows are ~4 MB as .xlsx, ~6 MB as .csv).
IMPORT_MAX_BYTES = 30 * 1024 * 1024


def check_upload(kind_name: str, upload: Any, *, actor: User) -> Result:
    """The console's first step (R-IMP-1): check an uploaded file of ``kind_name`` row by row,
    write nothing, and keep the file for the confirmation."""
    checked = read_upload(upload, SPREADSHEETS, SPREADSHEET_WORDS, max_bytes=IMPORT_MAX_BYTES)
    if isinstance(checked, str):
        raise ValidationFailed({"file": checked})
    _ext, content = checked
    name = str(getattr(upload, "name", "") or "import")[:200]
    return run_import(
        kind_name,
        file_name=name,
        data=content,
        actor=actor,
        dry_run=True,
        keep=True,
        max_rows=CONSOLE_MAX_ROWS,
    )
