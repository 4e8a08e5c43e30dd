"""A communiqué's title in the reader's language (consult/parallel.py): the current
translation when there is one, else the authoritative title. No query: the translations
are columns of the communiqué's own row."""

from django import template
from django.utils import translation

from consult import parallel
from minutes.models import Communique
from minutes.models.communiques import COMMUNIQUE_PARALLEL

register = template.Library()


@register.filter
def reading_title(communique: Communique) -> str:
    version = parallel.version_for(communique, COMMUNIQUE_PARALLEL, translation.get_language())
    return str(version["title"])


@register.filter
def reading_language(communique: Communique) -> str:
    return parallel.version_for(
        communique, COMMUNIQUE_PARALLEL, translation.get_language()
    ).language
