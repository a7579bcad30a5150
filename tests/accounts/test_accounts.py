"""Users, Argon2 passwords and API tokens (hashed at rest, revocable)."""

from __future__ import annotations

import pytest

from huoban.accounts.models import ApiToken, hash_token
from huoban.accounts.services import create_user, issue_token, revoke_token
from huoban.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_passwords_are_argon2_in_production_settings():
    from huoban import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    from django.contrib.auth.hashers import Argon2PasswordHasher

    assert Argon2PasswordHasher().encode("x", Argon2PasswordHasher().salt()).startswith("argon2")


def test_tokens_are_stored_hashed_and_can_be_revoked(actors, api_client):
    raw = issue_token(actors.officer)
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    assert raw not in {token.key_hash, token.prefix} and len(token.key_hash) == 64
    headers = {"Authorization": f"Bearer {raw}"}
    assert api_client.client.get("/api/v1/leads", headers=headers).status_code == 200
    revoke_token(token, actor=actors.admin)
    assert api_client.client.get("/api/v1/leads", headers=headers).status_code == 401


def test_login_returns_a_token(actors, api_client):
    status, body = api_client.as_(None).post(
        "auth/token", {"username": "alice", "password": "correct-horse-9"}
    )
    assert status == 200 and body["token"].startswith("hb_")
    status, body = api_client.post("auth/token", {"username": "alice", "password": "wrong"})
    assert status == 401


def test_a_partner_user_needs_a_partner_and_staff_none(actors):
    with pytest.raises(ValidationFailed) as exc:
        create_user("nobody", "long-enough-1", "partner")
    assert "partner" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        create_user("staffer", "long-enough-1", "finance", partner=actors.alpha)
    assert "partner" in exc.value.errors


def test_the_cli_creates_users_and_tokens(actors, capsys):
    from huoban.cli import main

    assert (
        main(
            [
                "createuser",
                "carol",
                "--password",
                "long-enough-1",
                "--role",
                "partner",
                "--partner",
                actors.beta.code,
            ]
        )
        == 0
    )
    assert main(["token", "carol"]) == 0
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiToken.objects.filter(key_hash=hash_token(raw), user__username="carol").exists()
    assert main(["createuser", "dave", "--password", "short", "--role", "pm"]) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["gm", "legal"])
def test_createuser_makes_the_two_roles_of_spec_10(role):
    # ARCHITECTURE §5: `huoban createuser … --role gm` / `--role legal`.
    from huoban.accounts.models import User
    from huoban.cli import main

    assert main(["createuser", f"the-{role}", "--password", "long-enough-1", "--role", role]) == 0
    user = User.objects.get(username=f"the-{role}")
    assert user.role == role and user.is_staff_user and user.partner_id is None


def test_every_staff_role_reads_the_admin_back_office_but_cannot_change_it(actors):
    from django.test import Client

    for user in (actors.officer, actors.presales, actors.pm, actors.finance):
        client = Client()
        client.force_login(user)
        assert client.get("/admin/leads/lead/").status_code == 200
        assert client.get("/admin/customers/customer/").status_code == 200
        assert client.get("/admin/core/holiday/add/").status_code == 403
    partner = Client()
    partner.force_login(actors.alice)
    assert partner.get("/admin/leads/lead/").status_code == 302  # to the admin login


def test_a_client_revokes_its_own_token(actors, api_client):
    status, body = api_client.as_(actors.bob).request("DELETE", "auth/token")
    assert status == 200 and body == {"revoked": True}
    assert api_client.get("leads")[0] == 401
