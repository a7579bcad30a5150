"""Sending over HTTP for every outgoing channel (webhooks and group robots): the address check
of R-HOOK-1, one shared client and the 10-second timeout."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings

TIMEOUT_SECONDS = 10.0  # R-HOOK-1: a 2xx within 10 s is success
EXCERPT = 500


def _private(host: str) -> bool:
    """Whether `host` is, or resolves to, an address that is not public."""
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError:
            return False  # unresolvable now: refused at send time if it resolves privately
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return any(not a.is_global for a in addresses)


def check_url(url: str) -> str | None:
    """Why `url` cannot receive our messages, or None (R-HOOK-1)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "只接受 http(s) 地址 / Only http(s) URLs are accepted."
    if not settings.HUOBAN["WEBHOOK_ALLOW_PRIVATE"] and _private(parts.hostname):
        return (
            "内网地址不可用（可设置 HUOBAN_WEBHOOK_ALLOW_PRIVATE=true）/ A private address is "
            "refused unless HUOBAN_WEBHOOK_ALLOW_PRIVATE=true."
        )
    return None


@dataclass(frozen=True)
class Answer:
    """What the other side said: its HTTP status (None when it could not be reached) and the
    start of its body, kept in the attempt log."""

    status_code: int | None
    excerpt: str
    # Whether the receiver took it, when the status alone does not say (a robot answers 200 with
    # an error code in its body); None: a 2xx status is success.
    accepted: bool | None = None

    @property
    def ok(self) -> bool:
        if self.accepted is not None:
            return self.accepted
        return self.status_code is not None and 200 <= self.status_code < 300


Post = Callable[[str, bytes, dict[str, str]], Answer]

_client: httpx.Client | None = None


def _http() -> httpx.Client:
    """One client per process: its connections are kept alive between deliveries to the same
    receiver, and its TLS context is built once, not for every delivery."""
    global _client
    if _client is None:
        _client = httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)
    return _client


def http_post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST with the 10-second timeout; a network error is an answer without a status."""
    problem = check_url(url)  # again at send time: the name may resolve elsewhere now
    if problem:
        return Answer(None, problem)
    try:
        response = _http().post(url, content=body, headers=headers)
    except httpx.HTTPError as e:
        return Answer(None, f"{type(e).__name__}: {e}"[:EXCERPT])
    return Answer(response.status_code, response.text[:EXCERPT])
