"""Form widgets the apps share.

``PlainSelect`` is Django's drop-down with its markup built in Python. Django
renders every ``<option>`` through a template include of its own, which on a
list page offering ten years of sessions and quarters took more time than the
query of the rows; the HTML is the same (tested against Django's), so labels,
``selected`` and every attribute behave as before.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class PlainSelect(forms.Select):
    """A ``<select>`` (single or ``allow_multiple_selected``) rendered without templates.

    The options are read straight from ``choices``: Django's ``optgroups`` builds a
    dictionary and copies the widget's attributes for every option, which on a list of
    a hundred options cost as much as the rest of the filter form.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        # The select's own context, without the options (forms.Widget's, not ChoiceWidget's).
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        selected = set(self.format_value(value))
        found = False

        def option(option_value: Any, label: Any) -> tuple[str, str, Any]:
            nonlocal found
            text = "" if option_value is None else str(option_value)
            chosen = (not found or self.allow_multiple_selected) and text in selected
            found = found or chosen
            return text, " selected" if chosen else "", label

        groups = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                rendered = format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (option(sub_value, sub_label) for sub_value, sub_label in group_label),
                )
                groups.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group_value, rendered)
                )
            else:
                groups.append(
                    format_html(
                        '<option value="{}"{}>{}</option>', *option(group_value, group_label)
                    )
                )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            SafeString("".join(groups)),
        )
