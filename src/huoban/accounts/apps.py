from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "huoban.accounts"
    label = "accounts"
    verbose_name = _("账户")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from .web_sessions import signed_in, signed_out

        user_logged_in.connect(_stamp_sign_in, dispatch_uid="huoban_stamp_sign_in")
        user_logged_in.connect(signed_in, dispatch_uid="huoban_remember_session")
        user_logged_out.connect(signed_out, dispatch_uid="huoban_forget_session")


def _stamp_sign_in(sender: object, request: object, user: object, **kwargs: object) -> None:
    """Start the session's absolute and idle clocks at sign-in (huoban.accounts.sessions)."""
    from huoban import clock

    from .sessions import stamp_sign_in

    session = getattr(request, "session", None)
    if session is not None:
        stamp_sign_in(session, clock.now().timestamp())
