"""A person's own choices: the working language of their pages, e-mails and notices."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from consult.errors import ApplicationError
from members.models import Language, Profile


def _check_language(language: str) -> str:
    if language not in Language.values:
        raise ApplicationError(
            _("Choose one of the working languages: English, Russian or French."),
            fields={"language": [_("Unknown language.")]},
        )
    return language


@transaction.atomic
def profile_language_first(*, user: User, offered: str) -> str:
    """The user's preferred language, made from ``offered`` (the browser's) the first time.

    ``offered`` outside the working languages makes English the first choice.
    """
    profile, _created = Profile.objects.get_or_create(
        user=user,
        defaults={"language": offered if offered in Language.values else Language.EN},
    )
    return profile.language


@transaction.atomic
def profile_language_set(*, user: User, language: str) -> Profile:
    """Make ``language`` the user's preferred one; refuses a language not worked in.

    A personal preference, not a change of anyone's rights: no audit entry."""
    _check_language(language)
    profile, _created = Profile.objects.select_for_update().get_or_create(
        user=user, defaults={"language": language}
    )
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
    return profile
