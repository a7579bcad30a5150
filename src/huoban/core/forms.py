"""How forms render: Django 5's form templates with Huoban's one field partial (D-FRAME-21)."""

from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .files import OFFICE_ACCEPT


class FormRenderer(TemplatesSetting):
    """``{{ field.as_field_group }}`` and ``{{ form }}`` render each field with ``_field.html``
    (label with its * when required, the widget, help text, errors), the partial the console's
    inline forms also include with a ``wrap`` of layout classes."""

    field_template_name = "_field.html"


class FileFields(forms.Form):
    """A file kept with a record (`core.files.StoredFile`): its title, blank for the file's
    own name, and the file; the service checks the content (`core.files.take_upload`)."""

    title = forms.CharField(
        label=_("文件名称"),
        max_length=200,
        required=False,
        help_text=_("留空则用原文件名"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    file = forms.FileField(
        label=_("文件（PDF/Word/Excel/图片，≤10 MB）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": OFFICE_ACCEPT}),
    )
