"""Submitting a lead through the portal form: the same service as the API (R-LEAD-1)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings

from huoban.leads.models import Lead
from tests.portal.helpers import client_for, form_data

pytestmark = pytest.mark.django_db


def test_it_creates_a_pending_lead_and_shows_it(actors):
    client = client_for(actors.alice)
    response = client.post("/portal/leads/new/", form_data())
    lead = Lead.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/leads/{lead.pk}/"
    assert lead.status == "pending"
    assert lead.partner == actors.alpha
    assert lead.submitted_by == actors.alice
    assert lead.customer_name == "东义集团"
    assert lead.item == "industry_ai_model"
    assert lead.contact_is_decision_maker is True
    assert lead.budget_min == Decimal("200000.00")
    page = client.get(response["Location"]).content.decode()
    assert "东义集团" in page and "待评估" in page


def test_a_missing_field_shows_errors_keeps_the_typed_values_and_creates_nothing(actors):
    response = client_for(actors.alice).post(
        "/portal/leads/new/", form_data(customer_name="", need="", contact_title="财务总监")
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"customer_name", "need"}
    html = response.content.decode()
    assert "这个字段是必填项" in html  # Django's own Chinese message
    assert 'value="财务总监"' in html
    assert 'value="李明"' in html
    assert Lead.objects.count() == 0


def test_service_errors_land_on_the_form_fields_in_the_users_language(actors):
    data = form_data(customer_uscc="91110000600037341X", item="vi_design")  # bad check digit
    client = client_for(actors.alice)
    response = client.post("/portal/leads/new/", data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "customer_uscc" in errors
    assert "item" in errors  # vi_design is a brand item, not an AI one
    assert all(" / " not in e for e in errors["item"])
    assert "该类别下没有此项" in errors["item"][0]
    assert Lead.objects.count() == 0

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post("/portal/leads/new/", data).context["form"].errors
    assert english["item"] == ["This item is not in the chosen category."]


def test_a_budget_range_upside_down_is_refused_on_the_maximum(actors):
    response = client_for(actors.alice).post(
        "/portal/leads/new/", form_data(budget_min="500000", budget_max="100")
    )
    assert response.status_code == 422
    assert "budget_max" in response.context["form"].errors
    assert Lead.objects.count() == 0


def test_the_item_select_lists_one_categorys_items(actors):
    html = client_for(actors.alice).get("/portal/leads/new/items/?category=brand").content
    text = html.decode()
    assert "VI 视觉设计" in text
    assert "智能客服" not in text
    assert 'id="id_item"' in text


def test_without_javascript_every_item_is_offered_under_its_category(actors):
    html = client_for(actors.alice).get("/portal/leads/new/").content.decode()
    assert '<optgroup label="品牌视觉">' in html
    assert "智能客服" in html and "VI 视觉设计" in html
    assert 'hx-trigger="keyup changed delay:400ms, input changed delay:400ms"' in html


def test_after_a_bad_post_the_item_select_keeps_the_chosen_category(actors):
    response = client_for(actors.alice).post(
        "/portal/leads/new/", form_data(need="", category="brand", item="ui_ux")
    )
    html = response.content.decode()
    assert '<option value="ui_ux" selected>' in html
    assert "智能客服" not in html


def test_staff_cannot_submit_through_the_portal(actors):
    assert client_for(actors.officer).post("/portal/leads/new/", form_data()).status_code == 404
    assert Lead.objects.count() == 0


def test_every_scenario_item_has_a_translatable_label():
    from huoban.leads.models import CATEGORY_ITEMS
    from huoban.portal.forms import ITEM_LABELS

    items = {code: label for pairs in CATEGORY_ITEMS.values() for code, label in pairs}
    assert set(ITEM_LABELS) == set(items)
    assert {code: str(label) for code, label in ITEM_LABELS.items()} == items
