"""Links to one record by its public id, each route reversed once (per script prefix and
URLconf): a page or an API list linking every row joins three strings instead of resolving
the route again for each."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any, ClassVar

from django.urls import get_script_prefix, get_urlconf, reverse

_ID_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


@cache
def route_parts(view_name: str, prefix: str, urlconf: Any) -> tuple[str, str]:
    """The route's path before and after the id. ``prefix`` keys the cache: ``reverse``
    reads the current script prefix itself."""
    path = reverse(view_name, args=[_ID_PLACEHOLDER], urlconf=urlconf)
    head, _placeholder, tail = path.partition(_ID_PLACEHOLDER)
    return head, tail


def path_to(view_name: str, public_id: Any) -> str:
    """The path of ``view_name`` (a route taking one id) for ``public_id``."""
    head, tail = route_parts(view_name, get_script_prefix(), get_urlconf())
    return f"{head}{public_id}{tail}"


class DetailPageMixin:
    """A model with a page of its own: ``detail_route`` names it (a route taking the
    record's ``public_id``)."""

    detail_route: ClassVar[str]
    public_id: uuid.UUID

    def get_absolute_url(self) -> str:
        return path_to(self.detail_route, self.public_id)
