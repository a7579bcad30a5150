"""What a browser shows to whom: staff without the owner's consent see contacts masked (R-VIS-3);
a partner cannot open another partner's pages, which do not exist for it (R-VIS-4: 404)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from huoban import clock
from tests.leads.helpers import judge, submit
from tests.projects.helpers import sign

pytestmark = pytest.mark.browser


def test_presales_without_consent_sees_the_owners_contact_masked(actors, open_as):
    # alpha owns 东义集团: alice's lead on it (contact 李明, 13812345678) was judged valid.
    lead = judge(actors.officer, submit(actors.alice, "东义集团"))
    assert lead.status == "valid"

    # peter (presales) holds no consent from alpha. On the customer's page and on the lead's,
    # the phone is 138****5678, and the full number is nowhere in the page, visible or not.
    peter = open_as("peter")
    for url in (f"/console/customers/{lead.customer_id}/", f"/console/leads/{lead.pk}/"):
        peter.goto(url)
        contacts = peter.locator("table", has=peter.get_by_role("columnheader", name="电话"))
        expect(contacts.locator("tbody tr", has_text="李明")).to_contain_text("138****5678")
        expect(peter.get_by_text("联系方式已")).to_be_visible()  # …已遮蔽 / …已脱敏
        assert "13812345678" not in peter.content(), url
    # Nor does the page offer to reveal it: there is no consent to reveal under.
    peter.goto(f"/console/customers/{lead.customer_id}/")
    expect(peter.get_by_role("button", name=re.compile("查看完整联系方式"))).to_have_count(0)


def test_bob_cannot_open_alices_pages(actors, open_as):
    # alice (alpha) has a lead, and a customer with a signed project; bob works for beta.
    lead = submit(actors.alice, "东义集团")
    project = sign(actors.officer, actors.alpha, signed_on=clock.today())
    alices = {
        f"/portal/leads/{lead.pk}/": "东义集团",
        f"/portal/customers/{project.customer_id}/": "晋城华东机械制造有限公司",
        f"/portal/projects/{project.pk}/": "生产数据平台",
    }
    bob = open_as("bob", phone=True)
    expect(bob).to_have_url(re.compile(r"/portal/$"))

    for url, name in alices.items():
        response = bob.goto(url)
        assert response is not None and response.status == 404, url
        assert name not in bob.content(), url

    # Nor are they in his lists; alice, on her own phone, does open them.
    bob.goto("/portal/leads/")
    expect(bob.locator("main")).not_to_contain_text("东义集团")
    alice = open_as("alice", phone=True)
    for url, name in alices.items():
        response = alice.goto(url)
        assert response is not None and response.status == 200, url
        expect(alice.locator("main")).to_contain_text(name)


def test_a_role_consent_needs_its_document_and_a_second_officer(
    actors, open_as, tmp_path, settings
):
    """R-ATT-7 on the console (issue #10 finding 3): olivia records alpha's written consent for
    the PM role with the signed PDF; it waits until oscar, a second officer, approves it; then
    mia (PM) may reveal the contact, and that reveal is audited."""
    import datetime as dt

    from huoban.audit.models import AuditEvent

    settings.MEDIA_ROOT = tmp_path
    lead = judge(actors.officer, submit(actors.alice, "东义集团"))
    page = f"/console/customers/{lead.customer_id}/"
    pdf = tmp_path / "consent.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% alpha's signed consent\n")
    expires = (clock.now() + dt.timedelta(days=30)).astimezone(clock.local_tz())

    olivia = open_as("olivia")
    olivia.goto(page)
    olivia.select_option("#id_grantee_role", "pm")
    olivia.fill("#id_expires_at", expires.strftime("%Y-%m-%dT%H:%M"))
    olivia.set_input_files("#id_document", str(pdf))
    olivia.get_by_role("button", name="登记授权").click()
    expect(olivia.locator(".alert")).to_contain_text("须由另一位伙伴关系官或管理员批准")
    expect(olivia.locator("#consents tbody")).to_contain_text("待批准")
    # olivia is offered no approval of her own grant
    expect(olivia.locator("#consents").get_by_role("button", name="批准")).to_have_count(0)

    mia = open_as("mia")
    mia.goto(page)
    expect(mia.get_by_role("button", name=re.compile("查看完整联系方式"))).to_have_count(0)

    oscar = open_as("oscar")
    oscar.goto(page)
    oscar.locator("#consents").get_by_role("button", name="批准").click()
    expect(oscar.locator("#consents tbody")).to_contain_text("生效")

    mia.goto(page)
    mia.get_by_role("button", name=re.compile("查看完整联系方式")).click()
    expect(mia.locator("main")).to_contain_text("13812345678")
    assert AuditEvent.objects.filter(action="contact.reveal", actor_name="mia").exists()
