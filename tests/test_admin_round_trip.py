"""On the demo newsroom, the admins this branch changed take their own forms back:
open the change form, post what it shows unchanged, and nothing breaks."""

import io
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.forms import CheckboxInput, MultiWidget
from django.urls import reverse
from taggit.models import Tag

from people.models import Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def form_data(form):
    """What the browser would post for `form`, as rendered."""
    data = {}
    for field in form:
        widget = getattr(field.field.widget, "widget", field.field.widget)
        value = field.value()
        if field.field.disabled:
            continue
        if isinstance(widget, MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for i, (part, subwidget) in enumerate(zip(parts, widget.widgets)):
                data[f"{field.html_name}_{i}"] = subwidget.format_value(part) or ""
        elif isinstance(widget, CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[field.html_name] = [str(v) for v in value]
        elif value is not None:
            data[field.html_name] = widget.format_value(value) or ""
    return data


def posted_back(response):
    context = response.context
    data = form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def row(model, obj):
    """The stored row, with times to the second: forms show no microseconds."""
    values = model.objects.filter(pk=obj.pk).values().get()
    return {
        name: value.replace(microsecond=0) if isinstance(value, datetime) else value
        for name, value in values.items()
    }


@pytest.mark.parametrize(
    "model",
    [Tag, get_user_model(), Person, Organisation],
    ids=["tag", "user", "person", "organisation"],
)
def test_every_demo_row_takes_its_own_change_form_back_unchanged(demo, admin_client, model):
    opts = model._meta
    for obj in model.objects.order_by("pk"):
        before = row(model, obj)
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        page = admin_client.get(url)
        assert page.status_code == 200

        response = admin_client.post(url, posted_back(page))

        assert response.status_code == 302, (obj, response.context["adminform"].form.errors)
        assert row(model, obj) == before
