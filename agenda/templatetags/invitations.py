"""``{% invitation_row invitation %}``: one row of the invitations page, with
``{% invitation_answers invitation %}``, its answer forms.

Built in Python: the page has fifty rows, and rendered through a template they
cost the page more than reading its rows.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agenda.models import Invitation
from agenda.models.agendas import AGENDA_ITEM_PARALLEL
from agenda.services.invitations import invitation_closed_reason
from consult import parallel
from consult.links import path_to
from consult.times import format_in_zone

register = template.Library()

FORM = (
    '<form method="post" action="{}" class="inline">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
    '<input type="hidden" name="next" value="{}"><button type="submit">{}</button></form>'
)


@register.simple_tag(takes_context=True)
def invitation_answers(context: template.Context, invitation: Invitation) -> SafeString:
    """The answers the reader may give, each a form that comes back to the page it was
    sent from: accept (unless accepted) and decline (unless declined) while the invitation
    can be answered, for the invited party's delegation (``answering_parties``) and the
    secretariat; revoke, for the secretariat, until revoked. An analyst only reads."""
    secretariat = bool(context.get("is_secretariat"))
    answers = []
    if (
        secretariat or invitation.party_id in (context.get("answering_parties") or ())
    ) and invitation_closed_reason(invitation) is None:
        if invitation.status != Invitation.Status.ACCEPTED:
            answers.append(("agenda:invitation_accept", _("Accept")))
        if invitation.status != Invitation.Status.DECLINED:
            answers.append(("agenda:invitation_decline", _("Decline")))
    if secretariat and invitation.status != Invitation.Status.REVOKED:
        answers.append(("agenda:invitation_revoke", _("Revoke")))
    if not answers:
        return SafeString("")
    request: Any = context["request"]
    token = str(context.get("csrf_token", ""))
    back = request.get_full_path()
    return format_html_join(
        "\n",
        FORM,
        ((path_to(name, invitation.public_id), token, back, label) for name, label in answers),
    )


ROW = (
    '<tr id="invitation-{}"><td>{}</td><td>{} ({})</td><td>{}{}{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td></tr>"
)


@register.simple_tag(takes_context=True)
def invitation_row(context: template.Context, invitation: Invitation) -> SafeString:
    """Session (linked when the reader may read it: ``readable_sessions``), party,
    what the party is invited as and why, status, validity (UTC) and the answer forms."""
    session = invitation.session
    number = session.number
    if invitation.session_id in (context.get("readable_sessions") or ()):
        number = format_html('<a href="{}">{}</a>', session.get_absolute_url(), number)
    item = ""
    if invitation.item is not None:
        item = ", " + _("item %(order)s: %(title)s") % {
            "order": invitation.item.order,
            "title": parallel.served_title(invitation.item, AGENDA_ITEM_PARALLEL),
        }
    reason = invitation.display_reason
    if reason:
        reason = format_html('<br><span class="meta">{}</span>', reason)
    valid_until = "\N{EN DASH}"
    if invitation.valid_until:
        valid_until = format_in_zone(invitation.valid_until, "UTC", "j M Y, H:i") + " UTC"
    return format_html(
        ROW,
        invitation.public_id,
        number,
        invitation.party.display_name,
        invitation.party.code,
        invitation.get_kind_display(),
        item,
        reason,
        invitation.get_status_display(),
        valid_until,
        invitation_answers(context, invitation),
    )
