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


class RevokedOut(Schema):
    revoked: bool


@router.delete("/token", response=RevokedOut, summary="Revoke the token of this request (log out)")
def revoke_own_token(request: HttpRequest) -> dict[str, bool]:
    """Revoke the bearer token that authenticated this request; it answers 401 from now on."""
    from .models import ApiToken, hash_token
    from .services import revoke_token

    raw = request.headers.get("Authorization", "").partition(" ")[2].strip()
    token = ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True).first()
    if token is not None:
        revoke_token(token, actor=token.user)
    return {"revoked": token is not None}
