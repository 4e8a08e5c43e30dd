"""``{% crises_touching session as touching %}``: the crisis dossiers a session's page
shows, for the session and for each of its items (``touching|of_item:item``).
``{{ svg|svg_image }}``: a chart of ``crises.charts`` as the page shows it.

The agenda's template loads it (``{% load crises %}``), so agenda's Python never
imports crises, the app above it. One query for the whole page, through
``crises.selectors.crises.crises_touching``.
"""

from __future__ import annotations

import base64
import re
from html import unescape
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agenda.models import AgendaItem, Session
from crises.models import Crisis
from crises.selectors.crises import CrisesTouching, crises_touching

register = template.Library()


@register.simple_tag(takes_context=True, name="crises_touching")
def crises_touching_tag(context: template.Context, session: Session) -> CrisesTouching | None:
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return crises_touching(user=user, session=session)


@register.filter
def of_item(touching: CrisesTouching | None, item: AgendaItem) -> list[Crisis]:
    return touching.of_item(item) if touching is not None else []


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.DOTALL)


@register.filter
def svg_image(svg: str) -> SafeString | str:
    """The chart as an image of itself (a ``data:`` URL), its ``<title>`` as the text
    alternative. Drawn SVG styles its marks with ``style`` attributes and a ``<style>``
    element, which the pages' Content-Security-Policy refuses inline (styles need the
    nonce); inside an image they are the image's own. The same SVG goes inline into the
    briefing pack and out at the API's chart URLs."""
    if not svg:
        return ""
    title = _TITLE.search(svg)
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return format_html(
        '<img class="chart__image" src="data:image/svg+xml;base64,{}" alt="{}">',
        encoded,
        unescape(title[1]) if title else _("Chart"),
    )
