"""The agenda's list pages read through these: each list selector narrowed by the
FilterSet the API applies to it (``agenda.filters``), bound to the page's query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agenda.filters import DocumentFilter, InvitationFilter, SessionFilter
from agenda.models import Session
from agenda.selectors.documents import document_list, document_readable_context
from agenda.selectors.invitations import invitation_list
from agenda.selectors.sessions import session_list
from consult.actors import Actor


def invitation_filter(*, user: Actor, params: Mapping[str, Any]) -> InvitationFilter:
    """Invitations ``user`` may read, latest session first, filtered as the API does."""
    invitations = invitation_list(user=user).order_by("-session__starts_at", "party__code", "pk")
    return InvitationFilter(params, queryset=invitations)


def session_filter(*, user: Actor, params: Mapping[str, Any]) -> SessionFilter:
    """Sessions ``user`` may read, latest first, filtered as the API does."""
    return SessionFilter(params, queryset=session_list(user=user).order_by("-starts_at", "pk"))


def document_filter(*, user: Actor, session: Session, params: Mapping[str, Any]) -> DocumentFilter:
    """The papers of ``session`` that ``user`` may read, by item and symbol, filtered as the
    API does; each says whether its session's and item's pages are readable."""
    documents = document_readable_context(document_list(user=user, session=session), user=user)
    return DocumentFilter(params, queryset=documents.order_by("item__order", "symbol", "pk"))
