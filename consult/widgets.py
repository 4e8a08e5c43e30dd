"""Form widgets the apps share.

``PlainSelect`` is Django's drop-down with its markup built in Python. Django
renders every ``<option>`` through a template include of its own, which on a
list page offering ten years of sessions and quarters took more time than the
query of the rows; the HTML is the same (tested against Django's), so labels,
``selected`` and every attribute behave as before.
"""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import format_html
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

        def option(option_value: Any, label: Any) -> str:
            nonlocal found
            text = "" if option_value is None else str(option_value)
            chosen = (not found or self.allow_multiple_selected) and text in selected
            found = found or chosen
            mark = " selected" if chosen else ""
            return f'<option value="{_escaped(text)}"{mark}>{_escaped(label)}</option>'

        groups = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                options = "".join(option(*choice) for choice in group_label)
                groups.append(f'<optgroup label="{_escaped(group_value)}">{options}</optgroup>')
            else:
                groups.append(option(group_value, group_label))
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            SafeString("".join(groups)),
        )


def _escaped(value: Any) -> str:
    """``conditional_escape`` without its lazy-argument wrapper, called for every option:
    safe strings as they are, anything else escaped."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))
