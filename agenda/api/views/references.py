"""What a request names by id or code, resolved for the caller; an unknown or unreadable one
answers 400 on the field that named it."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import serializers

from agenda.models import AgendaItem, Session
from agenda.selectors.agendas import agenda_item_list
from consult import access
from consult.actors import Actor
from members.models import Party


def visible_session(user: Actor, public_id: Any) -> Session:
    """A session the caller takes part in or sees; an unknown id reads like a refused one."""
    try:
        return access.get_visible_or_404(
            Session.objects.all(),
            user,
            fields={"distribution": None, "session": "pk", "session_view": True},
            public_id=public_id,
        )
    except Http404:
        raise serializers.ValidationError({"session": [_("No such session.")]}) from None


def visible_item(user: Actor, public_id: Any) -> AgendaItem:
    item = agenda_item_list(user=user).filter(public_id=public_id).first()
    if item is None:
        raise serializers.ValidationError({"item": [_("No such agenda item.")]})
    return item


def party_by_code(code: str | None, *, field: str) -> Party | None:
    if not code:
        return None
    party = Party.objects.filter(code=code.upper()).first()
    if party is None:
        raise serializers.ValidationError(
            {field: [_("No party has the code %(code)r.") % {"code": code}]}
        )
    return party
