"""The parallel texts tests' shared moves (consult/parallel.py): a text reloaded and its
translation columns as stored, a client in a reader's language, a page's queries, a
translations page's address and an API client."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from consult import parallel
from members.services.profiles import profile_language_set


def reload[M: Model](subject: M) -> Any:
    """``subject`` as stored, its per-language columns (added by modeltranslation) too."""
    return type(subject)._default_manager.get(pk=subject.pk)


def columns(subject: Model, spec: parallel.ParallelFields, *names: str) -> dict[str, Any]:
    """``subject``'s translation columns of ``spec`` as stored, and its ``names`` (the
    authoritative text, its language) beside them."""
    fresh = reload(subject)
    return {name: getattr(fresh, name) for name in [*names, *parallel.translation_columns(spec)]}


def client_for(user: Any, language: str | None = None) -> Client:
    """A client signed in as ``user`` (anonymous for None), reading in ``language``."""
    client = Client()
    if user is not None:
        if language:
            profile_language_set(user=user, language=language)
        client.force_login(user)
    return client


def page_queries(client: Client, url: str, **headers: Any) -> int:
    """The queries of ``url``'s page once warm (its second reading), which must answer."""
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


def translations_url(route: str, public_id: Any, *, confirm: bool = False) -> str:
    """The translations page of ``route`` (``crises:exercise``), or its confirm step."""
    step = "translation_confirm" if confirm else "translations"
    return reverse(f"{route}_{step}", kwargs={"public_id": public_id})


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
