"""``web.send``: the one form → service → error path of the console and the portal (issue #11)."""

from __future__ import annotations

import pytest
from django import forms

from huoban.errors import Conflict, ValidationFailed
from huoban.web import send


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def test_an_invalid_form_never_reaches_the_service():
    calls: list[dict] = []
    sent = send(NameForm({"name": ""}), calls.append)
    assert not sent.ok and sent.refusal is None and calls == []
    with pytest.raises(ValueError):
        _ = sent.value


def test_a_service_field_error_lands_on_the_mapped_field_in_the_users_language():
    def refuse(data):
        raise ValidationFailed({"customer.name": "名称无效 / Not a valid name."})

    form = NameForm({"name": "东义"})
    sent = send(form, refuse, {"customer.name": "name"})
    assert not sent.ok and sent.refusal is None
    assert form.errors == {"name": ["名称无效"]}  # Chinese is the default language


def test_a_refusal_as_a_whole_is_returned_for_the_page():
    def conflict(data):
        raise Conflict("伙伴已退出 / The partner has exited.")

    form = NameForm({"name": "东义"})
    sent = send(form, conflict)
    assert not sent.ok and isinstance(sent.refusal, Conflict)
    assert not form.errors


def test_success_carries_the_services_answer():
    sent = send(NameForm({"name": " 东义 "}), lambda data: data["name"])
    assert sent.ok and sent.value == "东义"
