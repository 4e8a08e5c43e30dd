"""Every list filter shown on a page has a label a person can read (and translate): none is
django-filter's "[invalid name]" for a field the model cannot name."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from consult.filters import ApiFilterSet


def _filtersets() -> Iterator[type[ApiFilterSet]]:
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.filters")
        except ModuleNotFoundError:
            continue

    def below(cls: type[ApiFilterSet]) -> Iterator[type[ApiFilterSet]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    yield from (cls for cls in below(ApiFilterSet) if cls._meta.model is not None)


def test_every_filter_has_a_readable_label() -> None:
    unnamed = {}
    checked = 0
    for filterset in set(_filtersets()):
        form = filterset(
            data={},
            queryset=filterset._meta.model.objects.none(),
            request=SimpleNamespace(user=AnonymousUser()),
        ).form
        checked += 1
        bad = [name for name, field in form.fields.items() if "[invalid name]" in str(field.label)]
        if bad:
            unnamed[filterset.__qualname__] = bad
    assert checked >= 20
    assert unnamed == {}


@pytest.mark.parametrize(("language", "label"), [("en", "Text contains"), ("ru", "Текст содержит")])
def test_labels_follow_the_language(language: str, label: str) -> None:
    from django.utils import translation

    from agenda.filters import SessionFilter
    from agenda.models import Session

    with translation.override(language):
        form = SessionFilter(data={}, queryset=Session.objects.none()).form
        assert str(form.fields["q"].label) == label
