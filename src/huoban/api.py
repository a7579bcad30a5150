"""The HTTP API v1 (ARCHITECTURE §6): one NinjaAPI, bearer-token auth, one error format.

Errors: 401 unauthenticated; 404 unknown or not visible (R-VIS-4); 409 conflict; 422 bad input
as ``{"detail": {"field.path": "中文 / English"}}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from huoban.accounts.api import router as auth_router
from huoban.accounts.models import User
from huoban.accounts.services import user_for_token
from huoban.agreements.api import router as agreements_router
from huoban.analytics.api import router as analytics_router
from huoban.commissions.api import router as commissions_router
from huoban.credit.api import router as credit_router
from huoban.customers.api import router as customers_router
from huoban.errors import DomainError, ValidationFailed
from huoban.leads.api import router as leads_router
from huoban.notifications.api import router as notifications_router
from huoban.notifications.webhook_api import router as webhooks_router
from huoban.partners.api import applications_router, company_violations_router
from huoban.partners.api import router as partners_router
from huoban.performance.api import router as performance_router
from huoban.profiles.api import router as profiles_router
from huoban.projects.api import router as projects_router
from huoban.selection.api import router as selection_router
from huoban.sharing.api import router as sharing_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Huoban API",
    version="1",
    description="伙伴 PRM — partners, leads, attribution, commissions.",
    auth=BearerToken(),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

# Bilingual messages for the validation errors pydantic raises.
_PYDANTIC_MESSAGES = {
    "missing": "必填 / This field is required.",
    "string_too_short": "不能为空 / Must not be empty.",
    "string_too_long": "过长 / Too long.",
    "decimal_parsing": "应为金额 / Must be an amount.",
    "decimal_type": "应为金额 / Must be an amount.",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD.",
    "date_parsing": "应为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD.",
    "date_type": "应为日期 YYYY-MM-DD / Must be a date YYYY-MM-DD.",
    "enum": "取值无效 / Not one of the allowed values.",
    "literal_error": "取值无效 / Not one of the allowed values.",
    "bool_parsing": "应为 true 或 false / Must be true or false.",
    "bool_type": "应为 true 或 false / Must be true or false.",
    "int_parsing": "应为整数 / Must be an integer.",
    "int_type": "应为整数 / Must be an integer.",
    "string_type": "应为文本 / Must be text.",
    "model_attributes_type": "应为对象 / Must be an object.",
    "dict_type": "应为对象 / Must be an object.",
    "list_type": "应为列表 / Must be a list.",
    "json_invalid": "JSON 格式错误 / Invalid JSON.",
    "greater_than": "必须大于 0 / Must be greater than 0.",
    "decimal_max_places": "最多两位小数 / At most two decimal places.",
    "decimal_max_digits": "数值过大 / Too many digits.",
    "extra_forbidden": "未知字段 / Unknown field.",
}


def _field_path(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail: dict[str, str] = {}
    for err in exc.errors:
        key = _field_path(list(err.get("loc", [])))
        msg = _PYDANTIC_MESSAGES.get(err.get("type", ""))
        if msg is None:
            ctx_msg = str(err.get("msg", "invalid"))
            msg = f"输入无效 / {ctx_msg}"
        detail.setdefault(key, msg)
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(ValidationFailed)
def on_domain_validation(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "未登录或令牌无效 / Not authenticated."}, status=401
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers() -> None:

    api.add_router("/auth", auth_router)
    api.add_router("/partners", partners_router)
    api.add_router("/applications", applications_router)
    api.add_router("/leads", leads_router)
    api.add_router("/customers", customers_router)
    api.add_router("/projects", projects_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/webhooks", webhooks_router)
    # Full paths (/partners/{code}/ledger, /ledger/verify): kept out of the partners router.
    api.add_router("/", commissions_router)
    api.add_router("/", profiles_router)
    api.add_router("/", agreements_router)
    api.add_router("/", sharing_router)
    api.add_router("/", selection_router)
    api.add_router("/", performance_router)
    api.add_router("/", credit_router)
    api.add_router("/", analytics_router)
    # Full paths (/company-violations/{id}/…): a report is not under one partner's URL.
    api.add_router("/", company_violations_router)


_register_routers()
