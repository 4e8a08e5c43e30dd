"""The API's default policy: reads for authenticated users (querysets apply the
access rule), writes for the secretariat, and for delegations only where a
viewset lists the action in ``delegate_write_actions``. Analyst tokens are
read-only."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from consult.access import current_memberships, is_analyst, is_secretariat


class AccessPolicy(BasePermission):
    message = _("Only the secretariat may change this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        if is_analyst(user) and not is_secretariat(user):
            return False
        if is_secretariat(user):
            return True
        action = getattr(view, "action", None)
        return action in getattr(view, "delegate_write_actions", ()) and (
            current_memberships(user).exists()
        )
