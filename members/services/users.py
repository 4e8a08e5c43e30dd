"""Accounts and the two role groups (secretariat, analysts)."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from consult.access import ANALYST_GROUP, SECRETARIAT_GROUP, forget_readings, is_analyst
from consult.errors import ApplicationError
from consult.validation import check_visible
from members.models import AnalystAffiliation, Delegation

ROLE_SECRETARIAT = "secretariat"
ROLE_ANALYST = "analyst"
ROLES = (ROLE_SECRETARIAT, ROLE_ANALYST)

# The secretariat administers the platform's own records in the admin; object
# permissions (attend_session, ...) stay with delegation groups.
SECRETARIAT_APPS = ("members", "agenda", "minutes", "analytics", "briefings", "crises")
MODEL_ACTIONS = ("add", "change", "delete", "view")


@transaction.atomic
def role_groups_ensure() -> tuple[Group, Group]:
    """The secretariat and analysts groups; the secretariat holds the admin's model permissions."""
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    analysts, _ = Group.objects.get_or_create(name=ANALYST_GROUP)
    wanted = set(
        Permission.objects.filter(content_type__app_label__in=SECRETARIAT_APPS)
        .filter(codename__regex=rf"^({'|'.join(MODEL_ACTIONS)})_")
        .values_list("pk", flat=True)
    )
    wanted |= set(
        Permission.objects.filter(
            content_type__app_label="auth", codename__in=["view_user", "view_group"]
        ).values_list("pk", flat=True)
    )
    held = set(secretariat.permissions.values_list("pk", flat=True))
    if missing := wanted - held:
        secretariat.permissions.add(*missing)
    return secretariat, analysts


@transaction.atomic
def user_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str | None = None,
    roles: Collection[str] = (),
) -> User:
    """An account; ``roles`` makes it secretariat staff and/or an analyst. Delegates get
    their access from a delegation membership instead."""
    if unknown := sorted(set(roles) - set(ROLES)):
        raise ApplicationError(
            gettext("Unknown role %(role)s; choose secretariat or analyst.")
            % {"role": repr(unknown[0])},
            fields={"roles": [gettext("Unknown role.")]},
        )
    username = check_visible(username.strip(), field="username", label=gettext("The username"))
    if not username:
        raise ApplicationError(
            gettext("Give a username."), fields={"username": [gettext("Required.")]}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            gettext("The username %(username)s is taken.") % {"username": repr(username)},
            fields={"username": [gettext("Taken.")]},
        )
    user = User(
        username=username,
        first_name=check_visible(
            first_name.strip(), field="first_name", label=gettext("The first name")
        ),
        last_name=check_visible(
            last_name.strip(), field="last_name", label=gettext("The last name")
        ),
        email=email.strip(),
        is_staff=ROLE_SECRETARIAT in roles,
    )
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ApplicationError(
                " ".join(error.messages), fields={"password": list(error.messages)}
            ) from error
        user.set_password(password)
    user.save()
    secretariat, analysts = role_groups_ensure()
    if ROLE_SECRETARIAT in roles:
        user.groups.add(secretariat)
    if ROLE_ANALYST in roles:
        user.groups.add(analysts)
    return user


@transaction.atomic
def analyst_affiliation_set(*, user: User, delegation: Delegation | None) -> AnalystAffiliation:
    """Make an analyst read for ``delegation``, or for the secretariat (None).

    The analyst reads, read-only, what they read; it never acts for them.
    """
    if not is_analyst(user):
        raise ApplicationError(
            gettext("%(username)s is not an analyst; give the account the analyst role first.")
            % {"username": user.username},
            fields={"user": [gettext("Not an analyst.")]},
        )
    affiliation, _ = AnalystAffiliation.objects.update_or_create(
        user=user, defaults={"delegation": delegation}
    )
    forget_readings()
    return affiliation
