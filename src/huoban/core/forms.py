"""How forms render: Django 5's form templates with Huoban's one field partial (D-FRAME-21)."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """``{{ field.as_field_group }}`` and ``{{ form }}`` render each field with ``_field.html``
    (label with its * when required, the widget, help text, errors), the partial the console's
    inline forms also include with a ``wrap`` of layout classes."""

    field_template_name = "_field.html"
