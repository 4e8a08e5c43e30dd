"""``{% crises_touching session as touching %}``: the crisis dossiers a session's page
shows, for the session and for each of its items (``touching|of_item:item``).

The agenda's template loads it (``{% load crises %}``), so agenda's Python never
imports crises, the app above it. One query for the whole page, through
``crises.selectors.crises.crises_touching``.
"""

from __future__ import annotations

from typing import Any

from django import template

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
