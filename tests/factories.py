"""Plain ``make_*`` factories and an API client that speaks bearer tokens (STYLE §12)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client

from huoban.accounts.models import Role, User
from huoban.accounts.services import create_user, issue_token
from huoban.partners.models import Partner

PASSWORD = "correct-horse-9"


def make_partner(name: str = "阿尔法咨询", **kwargs: Any) -> Partner:
    from huoban.partners.services import register_partner

    kwargs.setdefault("kind", "organization")
    return register_partner(name=name, actor=None, **kwargs)


def make_user(username: str, role: str, partner: Partner | None = None) -> User:
    return create_user(
        username,
        PASSWORD,
        role,
        partner=partner,
        display_name=username,
    )


@dataclass
class Actors:
    alpha: Partner
    beta: Partner
    alice: User  # alpha's partner user
    bob: User  # beta's partner user
    officer: User
    presales: User
    pm: User
    finance: User
    admin: User
    officer2: User
    gm: User
    legal: User

    def staff(self) -> list[User]:
        return [
            self.officer,
            self.presales,
            self.pm,
            self.finance,
            self.gm,
            self.legal,
            self.admin,
        ]


def make_actors() -> Actors:
    alpha = make_partner("阿尔法咨询有限公司", region="北京")
    beta = make_partner("贝塔系统集成有限公司", region="山西")
    return Actors(
        alpha=alpha,
        beta=beta,
        alice=make_user("alice", Role.PARTNER, alpha),
        bob=make_user("bob", Role.PARTNER, beta),
        officer=make_user("olivia", Role.OFFICER),
        presales=make_user("peter", Role.PRESALES),
        pm=make_user("mia", Role.PM),
        finance=make_user("fiona", Role.FINANCE),
        admin=make_user("adam", Role.ADMIN),
        officer2=make_user("oscar", Role.OFFICER),
        gm=make_user("grace", Role.GM),
        legal=make_user("leo", Role.LEGAL),
    )


class ApiClient:
    """A thin wrapper: ``client.as_(user).post(path, body)`` returns (status, json)."""

    def __init__(self) -> None:
        self.client = Client()
        self._tokens: dict[int, str] = {}
        self._user: User | None = None

    def as_(self, user: User | None) -> ApiClient:
        """Act as `user` (None: anonymous). Its token is issued here, before any counting."""
        self._user = user
        if user is not None and user.pk not in self._tokens:
            self._tokens[user.pk] = issue_token(user, "test")
        return self

    def _headers(self) -> dict[str, str]:
        if self._user is None:
            return {}
        if self._user.pk not in self._tokens:
            self._tokens[self._user.pk] = issue_token(self._user, "test")
        return {"Authorization": f"Bearer {self._tokens[self._user.pk]}"}

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs: dict[str, Any] = {"headers": self._headers()}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method.lower())(url, **kwargs)
        try:
            data = response.json()
        except ValueError:
            data = response.content
        return response.status_code, data

    def get(self, path: str) -> tuple[int, Any]:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None) -> tuple[int, Any]:
        return self.request("POST", path, body if body is not None else {})

    def put(self, path: str, body: Any = None) -> tuple[int, Any]:
        return self.request("PUT", path, body if body is not None else {})
