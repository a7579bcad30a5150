"""Customer credit in the console (R-CRED, R-UI-1; issue #16): finance records a review on the
customer's credit page, the gm approves a large limit there, the signing page refuses a
project over the limit with the figures and signs it cash-only; finance sets a billing plan
line by line; bad input changes nothing."""

from __future__ import annotations

import pytest

from huoban.credit.models import CreditReview, Instalment
from huoban.projects.models import Project
from tests.portal.helpers import client_for
from tests.projects.helpers import ensure_policy_v1, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(actors, today):
    ensure_policy_v1()
    return make_customer(actors.alpha)


def _sign(client, customer, amount, **extra):
    body = {"title": "生产数据平台", "kind": "new", "contract_amount": amount,
            "signed_on": "2026-06-01", "action": "sign", **extra}  # fmt: skip
    return client.post(f"/console/customers/{customer.pk}/sign/", body)


def test_finance_reviews_and_the_signing_page_holds_the_limit(actors, customer):
    url = f"/console/customers/{customer.pk}/credit/"
    finance = client_for(actors.finance)
    bad = finance.post(url, {"rating": "B", "risk": "medium", "credit_limit": "两万"})
    assert bad.status_code == 422 and not CreditReview.objects.exists()
    assert "credit_limit" in bad.content.decode() or "额度" in bad.content.decode()
    body = {"rating": "B", "risk": "medium", "credit_limit": "200000.00",
            "sources": "国家企业信用信息公示系统\n中国执行信息公开网"}  # fmt: skip
    assert finance.post(url, body).status_code == 302
    review = CreditReview.objects.get()
    assert review.sources == ["国家企业信用信息公示系统", "中国执行信息公开网"]
    officer = client_for(actors.officer)
    page = officer.get(url).content.decode()
    assert "200,000.00" in page and 'id="new-review"' not in page  # officers read only
    assert officer.post(url, body).status_code == 403
    assert "中风险" in officer.get(f"/console/customers/{customer.pk}/").content.decode()
    sign_page = officer.get(f"/console/customers/{customer.pk}/sign/").content.decode()
    assert "信用额度 ¥200,000.00，当前敞口 ¥0.00" in sign_page
    assert _sign(officer, customer, "150000.00").status_code == 302
    refused = _sign(officer, customer, "100000.00")
    assert refused.status_code == 409
    assert "250,000.00" in refused.content.decode()
    assert Project.objects.count() == 1
    assert _sign(officer, customer, "100000.00", cash_only="on").status_code == 302
    assert Project.objects.filter(cash_only=True).count() == 1
    assert client_for(actors.alice).get(url).status_code == 404


def test_the_gm_approves_a_large_limit_and_finance_an_excess(actors, customer):
    url = f"/console/customers/{customer.pk}/credit/"
    finance = client_for(actors.finance)
    finance.post(url, {"rating": "A", "risk": "medium", "credit_limit": "1500000.00"})
    review = CreditReview.objects.get()
    assert review.status == "pending"
    gm = client_for(actors.gm)
    page = gm.get(url).content.decode()
    assert f'action="/console/customers/{customer.pk}/credit/{review.pk}/decide/"' in page
    decide = f"{url}{review.pk}/decide/"
    assert finance.post(decide, {"approve": "yes"}).status_code == 403
    assert gm.post(decide, {"approve": "no", "note": ""}).status_code == 422
    assert gm.post(decide, {"approve": "yes", "note": "同意"}).status_code == 302
    review.refresh_from_db()
    assert review.status == "in_force"
    excess = f"{url}excess/"
    assert finance.post(excess, {"amount": "", "note": ""}).status_code == 422
    assert client_for(actors.officer).post(excess, {"amount": "1", "note": "x"}).status_code == (
        403
    )
    assert finance.post(excess, {"amount": "300000.00", "note": "战略客户"}).status_code == 302
    assert "战略客户" in gm.get(url).content.decode()


def test_finance_sets_a_billing_plan(actors, customer):
    officer = client_for(actors.officer)
    assert _sign(officer, customer, "200000.00").status_code == 302
    project = Project.objects.get()
    url = f"/console/projects/{project.pk}/billing-plan/"
    finance = client_for(actors.finance)
    bad = finance.post(url, {"lines": "100000.00，2026-03-01\n50000.00，三月"})
    assert bad.status_code == 422 and not Instalment.objects.exists()
    assert "第 2 行" in bad.content.decode()
    good = finance.post(url, {"lines": "100000.00，2026-03-01\n100000.00, 2026-09-01"})
    assert good.status_code == 302
    page = officer.get(url).content.decode()
    assert "逾期 121 天" in page and "未到期" in page
    assert officer.post(url, {"lines": "200000.00，2026-03-01"}).status_code == 403
    project_page = officer.get(f"/console/projects/{project.pk}/").content.decode()
    assert 'id="billing-plan-link"' in project_page
