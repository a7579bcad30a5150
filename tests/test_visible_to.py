"""``visible_to`` on every model people list (issue #11): staff see all rows, a partner user only
its own partner's, the signed-out nothing (R-VIS-1); commission figures follow R-VIS-2."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from huoban import clock
from huoban.customers.consent import grant_consent
from huoban.scoping import ScopedQuerySet
from huoban.standing.tier_services import apply_for_strategic
from tests.projects.helpers import TODAY, full_example, pay, sign

# Models without visible_to, each for a reason.
UNSCOPED = {
    "accounts.User": "below the scoping layer; users are listed by the services that manage them",
    "accounts.ApiToken": "a user's own credentials, never listed",
    "accounts.UserSession": "a user's own sessions, listed by accounts.web_sessions for it only",
    "accounts.PasswordLink": "one-time credentials: only their hash is kept, never listed",
    "accounts.LoginFailure": "sign-in throttle internals",
    "accounts.LoginLockout": "sign-in throttle internals",
    "accounts.RateCount": "rate-limit internals",
    "audit.AuditEvent": "below the policy layer; the back office shows it to finance and admin",
    "audit.ChainHead": "hash-chain internals",
    "core.Holiday": "the public holiday calendar",
    "notifications.Notification": "a person's own messages, listed by notifications.services.inbox",
    "notifications.Webhook": "company integration settings: admins only (require_role)",
    "notifications.Delivery": "the outbox (webhooks, e-mail, robots): admins only (require_role)",
    "notifications.OutboxEvent": "events waiting for the worker: read by the worker only",
    "notifications.OptOut": "a person's own notification settings: read and written for themselves",
    "notifications.Reminder": "which reminders tick raised: read by tick only, shown to nobody",
    "notifications.Robot": "a team chat's robot: admins only (require_role)",
    "notifications.DeliveryAttempt": "a delivery's log: admins only (require_role)",
}


def huoban_models():
    return [m for m in apps.get_models() if m.__module__.startswith("huoban.")]


def test_every_model_has_visible_to_or_a_reason():
    missing = {
        m._meta.label
        for m in huoban_models()
        if not hasattr(m.objects, "visible_to") and m._meta.label not in UNSCOPED
    }
    assert not missing, missing
    stale = {label for label in UNSCOPED if hasattr(apps.get_model(label).objects, "visible_to")}
    assert not stale, stale


@pytest.mark.django_db
def test_a_partner_user_sees_only_its_partners_rows_and_staff_see_all(actors):
    with clock.frozen(TODAY):
        project = full_example(actors)  # alpha's project, payments, acceptance, milestones
        beta = sign(actors.officer, actors.beta, name="云岭茶业股份有限公司")
        pay(actors.finance, beta, "100000.00", dt.date(2026, 2, 2), "B-1")
        apply_for_strategic(actor=actors.alice, resources="集团资源", plan="三年计划")
        grant_consent(
            project.customer,
            partner=actors.alpha,
            grantee_role="pm",
            expires_at=clock.now() + dt.timedelta(days=30),
            actor=actors.alice,
        )
    checked = []
    for model in huoban_models():
        qs = model.objects.all()
        if not isinstance(qs, ScopedQuerySet):
            continue
        path = qs.partner_path
        total = qs.count()
        assert model.objects.visible_to(actors.officer).count() == total, model
        assert model.objects.visible_to(AnonymousUser()).count() == 0, model
        alice_sees = model.objects.visible_to(actors.alice)
        if path is None:
            assert alice_sees.count() == 0, model  # staff only
        elif path == "*":
            assert alice_sees.count() == total, model  # published to all
        else:
            own = qs.filter(**{path: actors.alpha.pk}).count()
            assert alice_sees.count() == own, model
            assert not alice_sees.exclude(**{path: actors.alpha.pk}).exists(), model
            if total:
                checked.append(model._meta.label)
    # The world has rows of both partners in these, so the filters were really exercised.
    assert {"projects.CustomerPayment", "projects.Milestone", "customers.Attribution"} <= set(
        checked
    ), checked
