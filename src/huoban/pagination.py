"""Pagination for every list endpoint: ``?page=&page_size=`` → ``{"items": [...], "count": N}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

from huoban.errors import ValidationFailed

T = TypeVar("T")
MAX_PAGE_SIZE = 200


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


def paginate(
    queryset: QuerySet[Any], params: PageParams, render: Callable[[Any], T]
) -> dict[str, Any]:
    if params.page_size > MAX_PAGE_SIZE:
        raise ValidationFailed({"page_size": f"最大 {MAX_PAGE_SIZE} / At most {MAX_PAGE_SIZE}."})
    start = (params.page - 1) * params.page_size
    items = [render(obj) for obj in queryset[start : start + params.page_size]]
    return {"items": items, "count": queryset.count()}
