"""The Python-rendered drop-down gives the same HTML as Django's template-rendered one."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from consult.widgets import PlainSelect

CHOICES = [("", "any"), ("a<b", 'A & "B"'), ("2", "two"), (3, "three")]
GROUPED = [
    ("", "any"),
    ("Regular", [("r1", "Q1"), ("r2", "Q2")]),
    ("Extraordinary", [("x1", "<X1>")]),
]


@pytest.mark.parametrize(
    ("multiple", "choices", "value", "attrs"),
    [
        (False, CHOICES, "a<b", {"id": "id_party", "class": "wide", "required": True}),
        (False, CHOICES, None, {"disabled": False, "aria-describedby": "help"}),
        (False, CHOICES, 3, None),
        (False, GROUPED, "x1", {"id": "id_session"}),
        (True, CHOICES, ["2", "a<b"], {"id": "id_many"}),
    ],
)
def test_same_html_as_django(multiple, choices, value, attrs):
    django_widget = (forms.SelectMultiple if multiple else forms.Select)(choices=choices)
    plain = PlainSelect(choices=choices)
    plain.allow_multiple_selected = multiple
    expected = django_widget.render("field", value, attrs=attrs)
    rendered = plain.render("field", value, attrs=attrs)
    assert parse_html(rendered) == parse_html(expected)
    assert "selected" in rendered or value is None


def test_labels_and_values_are_escaped():
    rendered = PlainSelect(choices=[("<v>", "<script>alert(1)</script>")]).render("f", "<v>")
    assert "<script>" not in rendered
    assert (
        '<option value="&lt;v&gt;" selected>&lt;script&gt;alert(1)&lt;/script&gt;</option>'
        in rendered
    )
