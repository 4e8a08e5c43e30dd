"""A published text's own words (its title as published, its preamble and its attribution),
in any working language.

Publication writes them in the text's authoritative language and the signature
covers them (minutes/services/signing.py): ``published_wording`` gives those
stored words for that language. A reader served a translation gets the same
words written again in the translation's language from what they say (the
procedure, the session, the chair), never signed, as the translation itself
is not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from agenda.models import Session
from minutes.models import Communique


@dataclass(frozen=True, slots=True)
class PublishedWording:
    language: str
    title: str
    preamble: str
    attribution: str


def compose_wording(
    *, procedure: Communique.Procedure, session: Session, title: str, language: str
) -> PublishedWording:
    """The words a text published under ``procedure`` carries, in ``language``."""
    number = session.number
    with translation.override(language):
        if procedure == Communique.Procedure.CHAIR:
            chair = session.chair.name if session.chair else ""
            return PublishedWording(
                language=language,
                title=_("Chair's statement: %(title)s") % {"title": title},
                preamble=_(
                    "The Chair of session %(session)s of the Crisis Consultation Body issues "
                    "the following statement under the Chair's own responsibility. It does not "
                    "reflect the agreement of all participants."
                )
                % {"session": number},
                attribution=(
                    _("Issued by the Chair (%(chair)s)") % {"chair": chair}
                    if chair
                    else _("Issued by the Chair")
                ),
            )
        if procedure == Communique.Procedure.SILENCE:
            preamble = _(
                "The participants in session %(session)s of the Crisis Consultation Body "
                "adopted the following non-binding communiqué under the silence procedure: no "
                "seat-holder broke silence before the deadline."
            )
        else:
            preamble = _(
                "The participants in session %(session)s of the Crisis Consultation Body "
                "agreed on the following non-binding communiqué."
            )
        return PublishedWording(
            language=language,
            title=title,
            preamble=preamble % {"session": number},
            attribution=_("Issued by the participants in session %(session)s")
            % {"session": number},
        )


def published_wording(communique: Communique, language: str, title: str) -> PublishedWording:
    """The published words to show beside the version served in ``language``, whose title
    is ``title`` (a translation translates the title as published): the stored, signed ones
    in the authoritative language, written again in another."""
    procedure = communique.procedure
    if language == communique.language:
        return PublishedWording(
            language=language,
            title=communique.reading_title,
            preamble=communique.published_preamble,
            attribution=communique.published_attribution,
        )
    if procedure is None:  # not published: no words of its own yet
        return PublishedWording(language=language, title=title, preamble="", attribution="")
    words = compose_wording(
        procedure=procedure, session=communique.session, title=title, language=language
    )
    # A translation translates the title as published (a chair's statement's says so).
    return PublishedWording(language, title, words.preamble, words.attribution)
