"""Customer endpoints (R-ATT-2, R-ATT-5): filled in by the customers work."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["customers"])
