"""A partner's data breach (SPEC §10.8, R-CRIS-3; issue #16): data exchange stops — its API
tokens are revoked and its exports blocked — legal is told, the affected customers are listed
and a claim is opened; closing the case lets exchange resume."""

from __future__ import annotations

import datetime as dt

import pytest

from huoban import clock
from huoban.accounts.models import ApiToken
from huoban.accounts.services import issue_token
from huoban.agreements.services import approve_agreement, draft_agreement, review_agreement
from huoban.audit.models import AuditEvent
from huoban.errors import Forbidden
from huoban.notifications.models import OutboxEvent
from huoban.partners.models import Partner
from huoban.performance.cases import close_case, record_data_breach
from huoban.performance.models import Case
from tests.customers.helpers import owned_customer
from tests.portal.helpers import client_for

pytestmark = pytest.mark.django_db

DECEMBER = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
URL = "/api/v1/partners/{code}/data-breaches"


def _agreement(actors, damages):
    agreement = draft_agreement(
        actors.alpha.code, kind="co_delivery", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31), actor=actors.officer, data_breach_damages=damages,
    )  # fmt: skip
    review_agreement(agreement.pk, note="无异议", actor=actors.legal)
    return approve_agreement(agreement.pk, actor=actors.gm)


def test_a_breach_stops_exchange_tells_legal_lists_customers_and_opens_the_claim(
    actors, api_client
):
    owned_customer(actors.alpha, "晋城华东机械制造有限公司")
    owned_customer(actors.alpha, "山西孝义焦化有限公司")
    owned_customer(actors.beta, "太原重工股份有限公司")  # beta's: not alpha's to leak
    agreement = _agreement(actors, "500000.00")
    partner_client = api_client.as_(actors.alice)  # a token alpha's user holds already
    assert partner_client.get(f"/api/v1/partners/{actors.alpha.code}/statements/2026-11")[0] == 200
    with clock.frozen(DECEMBER):
        status, answer = api_client.as_(actors.officer).post(
            URL.format(code=actors.alpha.code),
            {"detected_on": "2026-12-06", "description": "客户联系人清单被发布到公开网盘"},
        )
    assert status == 201, answer
    assert (answer["trigger"], answer["status"]) == ("data_breach", "open")
    details = answer["details"]
    assert [c["name"] for c in details["customers"]] == [
        "山西孝义焦化有限公司", "晋城华东机械制造有限公司",
    ]  # fmt: skip
    assert details["claim"] == {"amount": "500000.00", "agreement": agreement.number}
    assert details["tokens_revoked"] == 1
    assert answer["steps"][0]["done_on"] == "2026-12-07"  # revoked at once
    assert "500,000.00" in answer["reason"]
    # Data exchange stops: the token is revoked, no new one is issued, the statement is refused.
    assert not ApiToken.objects.filter(user=actors.alice, revoked_at__isnull=True).exists()
    status, _ = api_client.as_(actors.alice).get(
        f"/api/v1/partners/{actors.alpha.code}/statements/2026-11"
    )
    assert status == 401
    with pytest.raises(Forbidden):
        issue_token(actors.alice, "again")
    portal = client_for(actors.alice)
    download = portal.get("/portal/statements/2026-11.xlsx")
    assert download.status_code == 403 and "数据交换已暂停" in download.content.decode()
    assert 'id="data-blocked"' in portal.get("/portal/statements/2026-11/").content.decode()
    # beta exchanges data as before; finance still reads alpha's statement.
    assert client_for(actors.bob).get("/portal/statements/2026-11.xlsx").status_code == 200
    finance = api_client.as_(actors.finance)
    assert finance.get(f"/api/v1/partners/{actors.alpha.code}/statements/2026-11.xlsx")[0] == 200
    # Legal is told with the officers; one audit event carries what was found.
    event = OutboxEvent.objects.get(event="case.opened")
    assert {actors.legal.pk, actors.officer2.pk} <= set(event.recipients)
    assert event.message["data"]["trigger"] == "data_breach"
    audit = AuditEvent.objects.get(action="case.open", object_id=str(answer["id"]))
    assert audit.after["details"]["tokens_revoked"] == 1
    # Closing the case lets exchange resume: new tokens only, the old one stays revoked.
    close_case(answer["id"], outcome="已整改并签署补充保密协议", actor=actors.officer)
    assert Partner.objects.get(pk=actors.alpha.pk).data_blocked_since is None
    assert client_for(actors.alice).get("/portal/statements/2026-11.xlsx").status_code == 200
    assert issue_token(actors.alice, "after")


def test_without_breach_damages_legal_assesses_the_claim(actors):
    with clock.frozen(DECEMBER):
        case = record_data_breach(
            actors.alpha.code, detected_on=dt.date(2026, 12, 1), description="泄露",
            actor=actors.officer,
        )  # fmt: skip
    assert case.details["claim"] == {"amount": None, "agreement": None}
    assert case.details["customers"] == [] and case.details["tokens_revoked"] == 0
    assert "法务评估" in case.reason
    assert Partner.objects.get(pk=actors.alpha.pk).data_blocked_since == dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"detected_on": "2026-12-08", "description": "泄露"}, {"detected_on"}),
        ({"detected_on": "2026-12-06", "description": "  "}, {"description"}),
    ],
)
def test_bad_input_or_the_wrong_role_changes_nothing(actors, api_client, body, fields):
    token = issue_token(actors.alice, "kept")
    with clock.frozen(DECEMBER):
        status, answer = api_client.as_(actors.officer).post(
            URL.format(code=actors.alpha.code), body
        )
        assert status == 422 and set(answer["detail"]) == fields
        good = {"detected_on": "2026-12-06", "description": "泄露"}
        for who in (actors.finance, actors.legal, actors.pm):
            assert api_client.as_(who).post(URL.format(code=actors.alpha.code), good)[0] == 403
        assert api_client.as_(actors.alice).post(URL.format(code=actors.alpha.code), good)[0] in (
            403,
            404,
        )
    assert not Case.objects.exists()
    assert Partner.objects.get(pk=actors.alpha.pk).data_blocked_since is None
    assert ApiToken.objects.filter(revoked_at__isnull=True, user=actors.alice).count() == 2
    assert token


def test_the_same_breach_twice_is_refused_and_the_console_records_one(actors):
    page = client_for(actors.officer)
    with clock.frozen(DECEMBER):
        url = f"/console/partners/{actors.alpha.code}/cases/data-breach/"
        first = page.post(url, {"detected_on": "2026-12-05", "description": "泄露"})
        assert first.status_code == 302
        again = page.post(url, {"detected_on": "2026-12-05", "description": "泄露"})
        assert again.status_code == 409
        bad = page.post(url, {"detected_on": "", "description": ""})
        assert bad.status_code == 422 and "is-invalid" in bad.content.decode()
        owner = page.post(
            f"/console/partners/{actors.alpha.code}/cases/ownership/", {"new_owner": ""}
        ).content.decode()
        assert 'id="ownership_new_owner"' in owner and "is-invalid" in owner
        shown = page.get(f"/console/partners/{actors.alpha.code}/cases/").content.decode()
    assert 'id="data-blocked"' in shown and "数据泄露" in shown
    assert Case.objects.filter(trigger="data_breach").count() == 1
