"""Partner registry: codes, kinds, USCC, recruitment links without self or cycles."""

from __future__ import annotations

import pytest

from huoban.audit.models import AuditEvent
from huoban.errors import ValidationFailed
from huoban.partners.models import Partner, TierChange
from huoban.partners.services import register_partner, set_referrer

pytestmark = pytest.mark.django_db


def test_it_registers_at_light_with_sequential_codes(actors):
    p = register_partner(
        name="慧策管理咨询有限公司",
        kind="organization",
        actor=actors.officer,
        uscc="91310000631696382C",
        types=["channel"],
    )
    assert p.code == "P00003"  # alpha P00001 and beta P00002 came first
    assert p.tier == "light"
    assert TierChange.objects.get(partner=p).to_tier == "light"


def test_it_refuses_a_bad_uscc_and_a_uscc_for_an_individual(actors):
    before = (Partner.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        register_partner(
            name="坏代码公司", kind="organization", actor=None, uscc="91310000631696382D"
        )
    assert "uscc" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        register_partner(name="张伟", kind="individual", actor=None, uscc="91310000631696382C")
    assert "uscc" in exc.value.errors
    assert (Partner.objects.count(), AuditEvent.objects.count()) == before


def test_it_refuses_self_recruitment_and_cycles(actors):
    c = register_partner(
        name="张伟", kind="individual", actor=None, referrer_code=actors.alpha.code
    )
    with pytest.raises(ValidationFailed):
        set_referrer(actors.alpha, actors.alpha.code, actor=actors.officer)
    with pytest.raises(ValidationFailed):  # alpha recruited c; c recruiting alpha closes a cycle
        set_referrer(actors.alpha, c.code, actor=actors.officer)
    set_referrer(actors.beta, c.code, actor=actors.officer)  # a chain is fine
    assert Partner.objects.get(pk=actors.beta.pk).referrer == c


def test_api_creates_a_partner_and_refuses_partners_doing_it(actors, api_client):
    status, body = api_client.as_(actors.officer).post(
        "partners",
        {
            "name": "晋联信息系统集成有限公司",
            "kind": "organization",
            "region": "山西",
            "referrer_code": actors.alpha.code,
        },
    )
    assert status == 201 and body["tier"] == "light" and body["referrer_code"] == actors.alpha.code
    status, _ = api_client.as_(actors.alice).post("partners", {"name": "x", "kind": "individual"})
    assert status == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "kind": "individual"}, "name"),
        ({"name": "x", "kind": "company"}, "kind"),
        ({"name": "x", "kind": "organization", "uscc": "123"}, "uscc"),
        ({"name": "x", "kind": "individual", "referrer_code": "P99999"}, "referrer_code"),
        ({"name": "x", "kind": "individual", "types": ["reseller"]}, "types.0"),
    ],
)
def test_api_bad_input_changes_nothing(actors, api_client, body, field):
    client = api_client.as_(actors.officer)
    before = (Partner.objects.count(), AuditEvent.objects.count())
    status, answer = client.post("partners", body)
    assert status == 422 and field in answer["detail"], answer
    assert (Partner.objects.count(), AuditEvent.objects.count()) == before


def test_a_partner_reads_itself_but_not_another(actors, api_client):
    assert api_client.as_(actors.alice).get(f"partners/{actors.alpha.code}")[0] == 200
    assert api_client.as_(actors.alice).get(f"partners/{actors.beta.code}")[0] == 404
    assert api_client.as_(actors.pm).get(f"partners/{actors.beta.code}")[0] == 200


def test_only_officers_and_admins_register_partners_and_set_recruiters(actors):
    """The services enforce the role themselves (issue #11), not only the router; a refusal
    writes nothing."""
    from huoban.access import Forbidden

    before = (Partner.objects.count(), AuditEvent.objects.count())
    for who in (actors.alice, actors.pm, actors.presales, actors.finance):
        with pytest.raises(Forbidden):
            register_partner(name="伽马科技有限公司", kind="organization", actor=who)
        with pytest.raises(Forbidden):
            set_referrer(actors.beta, actors.alpha.code, actor=who)
    assert (Partner.objects.count(), AuditEvent.objects.count()) == before
    assert actors.beta.referrer_id is None
    made = register_partner(name="伽马科技有限公司", kind="organization", actor=actors.admin)
    assert made.code and Partner.objects.count() == before[0] + 1
