"""Running calls at the same moment from several database connections (PostgreSQL tests)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from huoban import clock


def run_together(*calls: Callable[[], Any], at: dt.date | dt.datetime | None = None) -> list[Any]:
    """Run each call in its own thread (so its own connection), released together by a barrier.

    Returns what each call returned, or the exception it raised. The clock is frozen at `at`
    inside each thread when given (a frozen clock does not cross into new threads).
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            if at is None:
                results[i] = call()
            else:
                with clock.frozen(at):
                    results[i] = call()
        except Exception as exc:  # the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results
