"""``get_FOO_display()`` through ``consult.models.ChoiceLabelsModel``: the label in the
active language, the stored value when it is no choice, as Django's own gives them."""

from django.utils import translation

from agenda.models import Invitation


def test_the_label_follows_the_active_language():
    invitation = Invitation(status=Invitation.Status.ACCEPTED)
    shown = {}
    for language in ("en", "fr", "ru", "en"):
        with translation.override(language):
            shown[language] = invitation.get_status_display()
    assert shown == {"en": "Accepted", "fr": "Acceptée", "ru": "Принято"}


def test_a_value_that_is_no_choice_is_shown_as_stored():
    assert Invitation(status="mislaid").get_status_display() == "mislaid"
