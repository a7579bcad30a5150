from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from huoban.accounts import views as account_views
from huoban.accounts.forms import AdminLoginForm, LoginForm
from huoban.api import api
from huoban.core.views import home
from huoban.notifications import views as notification_views
from huoban.partners import views as partner_views
from huoban.web import root

admin.site.site_header = _("伙伴 Huoban 管理后台")
admin.site.site_title = _("伙伴 Huoban")
admin.site.index_title = _("后台管理")
admin.site.login_form = AdminLoginForm  # the same login throttle as /login/ and the API


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.password_change, name="password_change"),
    path("sessions/", account_views.sessions, name="sessions"),
    path("password/<str:token>/", account_views.password_link, name="password_link"),
    path("notifications/", notification_views.inbox, name="notifications"),
    path("notifications/badge/", notification_views.badge, name="notification_badge"),
    path(
        "notifications/settings/",
        notification_views.settings_page,
        name="notification_settings",
    ),
    path("notifications/read-all/", notification_views.read_all, name="notification_read_all"),
    path(
        "notifications/<int:notification_id>/open/",
        notification_views.open_one,
        name="notification_open",
    ),
    path("apply/", partner_views.apply, name="apply"),
    path("apply/thanks/", partner_views.apply_thanks, name="apply_thanks"),
    path("portal/", include("huoban.portal.urls")),
    path("console/", include("huoban.console.urls")),
    path("about/", home, name="home"),
    path("", root, name="root"),
]
