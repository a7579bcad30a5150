"""One pagination for the API and the pages (issue #11, D-FRAME-17).

- The API: ``?page=&page_size=`` (:class:`PageParams`, at most :data:`MAX_PAGE_SIZE`) answers
  ``{"items": [...], "count": N}``; a page past the end is empty, a bad number is a 422.
- The pages: ``?page=`` (or ``?<param>=`` for a second list on one page), :data:`PAGE_SIZE`
  rows; a bad or out-of-range number shows the nearest page, as people expect of a web page.

Both count from 1 and slice the same way (:meth:`PageParams.window`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

T = TypeVar("T")
#: Rows a console or portal page shows.
PAGE_SIZE = 20
#: The API's default and largest page.
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.page_size

    def window(self, rows: Any) -> Any:
        """This page's slice of ``rows`` (a queryset or a list)."""
        return rows[self.offset : self.offset + self.page_size]


def paginate(
    queryset: QuerySet[Any], params: PageParams, render: Callable[[Any], T]
) -> dict[str, Any]:
    """An API list answer: this page's items, rendered, and the count of all."""
    return {"items": [render(obj) for obj in params.window(queryset)], "count": queryset.count()}


def page_of(
    request: HttpRequest, rows: Any, per_page: int = PAGE_SIZE, *, param: str = "page"
) -> Page:
    """One page of ``rows`` for a console or portal page, from ``?page=`` (or ``?<param>=``)."""
    return Paginator(rows, per_page).get_page(request.GET.get(param))


def query_without_page(request: HttpRequest, param: str = "page") -> str:
    """The current query string minus ``page`` (or ``param``), for page links that keep
    filters."""
    params = request.GET.copy()
    params.pop(param, None)
    return params.urlencode()
