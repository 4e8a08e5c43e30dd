"""``{% invitation_answers invitation %}``: the answer forms of one invitation.

Built in Python: the invitations page has fifty rows of them, and rendered
through a template they cost the page more than reading its rows.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agenda.models import Invitation
from consult.links import path_to

register = template.Library()

FORM = (
    '<form method="post" action="{}" class="inline">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    '<input type="hidden" name="next" value="{}"><button type="submit">{}</button></form>'
)


@register.simple_tag(takes_context=True)
def invitation_answers(context: template.Context, invitation: Invitation) -> SafeString:
    """Accept (unless accepted), decline (unless declined) and, for the secretariat,
    revoke; nothing once revoked. Each form comes back to the page it was sent from."""
    if invitation.status == Invitation.Status.REVOKED:
        return SafeString("")
    answers = []
    if invitation.status != Invitation.Status.ACCEPTED:
        answers.append(("agenda:invitation_accept", _("Accept")))
    if invitation.status != Invitation.Status.DECLINED:
        answers.append(("agenda:invitation_decline", _("Decline")))
    if context.get("is_secretariat"):
        answers.append(("agenda:invitation_revoke", _("Revoke")))
    request: Any = context["request"]
    token = str(context.get("csrf_token", ""))
    back = request.get_full_path()
    return format_html_join(
        "\n",
        FORM,
        ((path_to(name, invitation.public_id), token, back, label) for name, label in answers),
    )
