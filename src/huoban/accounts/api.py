"""POST /api/v1/auth/token: exchange a username and password for a bearer token."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from huoban.errors import DomainError

from .models import ApiToken, hash_token
from .services import login_for_token, revoke_token, token_expires_at

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime | None = Field(
        description="When the token stops working (HUOBAN_API_TOKEN_DAYS); null: never"
    )


class ErrorOut(Schema):
    detail: str


class BadCredentials(DomainError):
    status = 401


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def obtain_token(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    """Exchange a username and password for a bearer token.

    After 5 failed attempts for one username, or 20 from one address, within 15 minutes, that
    username or address is refused for 15 minutes (429) without its password being checked."""
    token = login_for_token(payload.username, payload.password, request)
    if token is None:
        raise BadCredentials("用户名或密码错误 / Wrong username or password.")
    issued = ApiToken.objects.get(key_hash=hash_token(token))
    return {"token": token, "expires_at": token_expires_at(issued)}


class RevokedOut(Schema):
    revoked: bool


@router.delete("/token", response=RevokedOut, summary="Revoke the token of this request (log out)")
def revoke_own_token(request: HttpRequest) -> dict[str, bool]:
    """Revoke the bearer token that authenticated this request; it answers 401 from now on."""

    raw = request.headers.get("Authorization", "").partition(" ")[2].strip()
    token = ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True).first()
    if token is not None:
        revoke_token(token, actor=token.user)
    return {"revoked": token is not None}
