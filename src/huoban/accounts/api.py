"""POST /api/v1/auth/token: exchange a username and password for a bearer token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from huoban.errors import DomainError

from .services import login_for_token

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    token: str


class BadCredentials(DomainError):
    status = 401


@router.post("/token", auth=None, response=TokenOut)
def obtain_token(request: HttpRequest, payload: TokenIn) -> dict[str, str]:
    token = login_for_token(payload.username, payload.password)
    if token is None:
        raise BadCredentials("用户名或密码错误 / Wrong username or password.")
    return {"token": token}
