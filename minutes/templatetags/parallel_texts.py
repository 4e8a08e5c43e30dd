"""A communiqué's title in the reader's language (consult/parallel.py): the current
translation when there is one, else the authoritative title. No query: the translations
are columns of the communiqué's own row."""

from django import template
from django.utils import translation

from consult import parallel
from minutes.models import Communique
from minutes.models.communiques import COMMUNIQUE_PARALLEL
from minutes.selectors.publication import PublishedWording, published_wording

register = template.Library()


@register.filter
def reading_title(communique: Communique) -> str:
    version = parallel.version_for(communique, COMMUNIQUE_PARALLEL, translation.get_language())
    return published_words(communique, version).title


@register.simple_tag
def published_words(communique: Communique, version: parallel.Version) -> PublishedWording:
    """The title as published, the preamble and the attribution beside ``version``: a
    chair's statement's title says so, in the version's language."""
    return published_wording(communique, version.language, str(version["title"]))


@register.filter
def reading_language(communique: Communique) -> str:
    return parallel.version_for(
        communique, COMMUNIQUE_PARALLEL, translation.get_language()
    ).language
