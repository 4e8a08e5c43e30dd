from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consult.models import CreatedAtModel, PublicIdModel

quarter_validator = RegexValidator(r"^\d{4}Q[1-4]$", "Write a quarter as 2027Q1.")


# Django's fields take no type arguments at run time; django-stubs' do.
if TYPE_CHECKING:
    _TextField = models.CharField[str, str]
else:
    _TextField = models.CharField


class QuarterField(_TextField):
    """A quarter stored as ``2027Q1``: sorts and filters as text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("validators", [quarter_validator])
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if kwargs.get("max_length") == 6:
            kwargs.pop("max_length")
        return name, path, args, kwargs


# The languages a party's name is recorded in (reference data: name_en, name_fr, name_ru).
PARTY_NAME_LANGUAGES = ("en", "fr", "ru")


class Party(PublicIdModel, CreatedAtModel):
    class Kind(models.TextChoices):
        STATE = "state", pgettext_lazy("kind of party", "State")
        ORGANISATION = "organisation", _("Organisation")

    code = models.CharField(
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,8}$", "Codes are 2 to 8 capital letters.")],
        help_text="ISO 3166-1 alpha-3 code, or the organisation's acronym.",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name_en = models.CharField("name (English)", max_length=120)
    name_fr = models.CharField("name (French)", max_length=120, blank=True)
    name_ru = models.CharField("name (Russian)", max_length=120, blank=True)
    organisations = models.ManyToManyField(
        "self",
        through="PartyMembership",
        through_fields=("member", "organisation"),
        symmetrical=False,
        related_name="members",
        blank=True,
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return f"{self.name_en} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name people are shown: in the active language, or in English where that
        language's name is not recorded. ``name_en`` stays the key to sort and search by,
        the name in audit summaries and in the API (whose fields are never translated)."""
        return self.name_in(translation.get_language())

    def name_in(self, language: str | None) -> str:
        """The name in ``language`` (a working language's code), else the English one."""
        code = (language or "").split("-")[0].lower()
        if code not in PARTY_NAME_LANGUAGES:
            return self.name_en
        return str(getattr(self, f"name_{code}") or self.name_en)


class PartyMembership(models.Model):
    """A state's membership of an organisation (NATO, the EU, the CSTO)."""

    member = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="member_links")
    since_year = models.PositiveSmallIntegerField()
    until_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organisation"], name="unique_party_membership"
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("organisation")), name="membership_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.code} in {self.organisation.code} since {self.since_year}"


class Seat(PublicIdModel, CreatedAtModel):
    """A standing place at the table; who fills it each quarter depends on its arrangement."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=120)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="seats")
    is_observer = models.BooleanField(
        default=False, help_text="An observer seat has no position on texts and no chair turn."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name people are shown. A seat named as the party it belongs to (the United
        States' seat, NATO's) is that party's name in the active language
        (``Party.display_name``); a seat with a name of its own keeps it. ``name`` stays
        the name in the API, audit summaries and sorting."""
        if self.name == self.party.name_en:
            return self.party.display_name
        return self.name


class SeatArrangement(CreatedAtModel):
    """How a seat is held from a quarter on; a later arrangement supersedes an earlier one."""

    class Mode(models.TextChoices):
        OWN = "own", _("Held by the party itself")
        INSTITUTION = "institution", _("Held by the organisation as an institution")
        ROTATING = "rotating", _("Held by member states on rotation")

    class Order(models.TextChoices):
        ENGLISH = "en", _("Alphabetical by English short name")
        FRENCH = "fr", _("Alphabetical by French short name")
        RUSSIAN = "ru", _("Alphabetical by Russian short name")

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="arrangements")
    mode = models.CharField(max_length=12, choices=Mode.choices)
    holders_per_term = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    rotation_order = models.CharField(max_length=2, choices=Order.choices, default=Order.ENGLISH)
    effective_from = QuarterField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["seat", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "effective_from"], name="unique_arrangement_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(holders_per_term__gte=1) & Q(holders_per_term__lte=2),
                name="arrangement_one_or_two_holders",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["own", "institution", "rotating"]),
                name="arrangement_known_mode",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat.code} {self.get_mode_display()} from {self.effective_from}"


class RotationTerm(PublicIdModel, CreatedAtModel):
    """Who holds a seat in a quarter (position 1 or 2 when two states share it)."""

    class Source(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SWAPPED = "swapped", _("Swapped by the secretariat")
        ASSIGNED = "assigned", _("Assigned by the secretariat")

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="terms")
    quarter = QuarterField(db_index=True)
    position = models.PositiveSmallIntegerField(default=1)
    holder = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="terms")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.PLANNED)

    class Meta:
        ordering = ["quarter", "seat__order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "quarter", "position"], name="unique_term_position"
            ),
            models.UniqueConstraint(
                fields=["seat", "quarter", "holder"], name="unique_term_holder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat.code} {self.quarter}: {self.holder.code}"


class RotationSwap(CreatedAtModel):
    """A recorded change of a planned term; re-planning keeps the swapped holder.

    Seat, quarter and position are kept on the record itself so that the swap
    stays on file when a later change of arrangement removes the term.
    """

    term = models.ForeignKey(
        RotationTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="swaps"
    )
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="swaps")
    quarter = QuarterField()
    position = models.PositiveSmallIntegerField()
    previous_holder = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    new_holder = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    swapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        change = f"{self.previous_holder.code} → {self.new_holder.code}"
        return f"{self.seat.code} {self.quarter}: {change}"


class ChairTerm(PublicIdModel, CreatedAtModel):
    """The seat that chairs a quarter; previous, current and next form the troika."""

    quarter = QuarterField(unique=True)
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="chair_terms")
    source = models.CharField(
        max_length=8, choices=RotationTerm.Source.choices, default=RotationTerm.Source.PLANNED
    )

    class Meta:
        ordering = ["quarter"]

    def __str__(self) -> str:
        return f"Chair {self.quarter}: {self.seat.code}"


class Delegation(PublicIdModel, CreatedAtModel):
    """A party's delegation; object permissions are granted to its group."""

    party = models.OneToOneField(Party, on_delete=models.PROTECT, related_name="delegation")
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="delegation")
    is_standing = models.BooleanField(
        default=True,
        help_text="Delegates of a non-standing (ad hoc or observer) delegation read only "
        "while accredited.",
    )
    requires_second_factor = models.BooleanField(
        default=False,
        help_text="Its delegates must log in with a second factor (asked to enrol at their "
        "next login).",
    )

    class Meta:
        ordering = ["party__name_en"]

    def __str__(self) -> str:
        return f"Delegation of {self.party.name_en}"


class DelegationMembership(PublicIdModel, CreatedAtModel):
    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        DEPUTY = "deputy", _("Deputy head")
        ADVISER = "adviser", _("Adviser")
        EXPERT = "expert", _("Expert")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegation_memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["delegation", "role", "valid_from"]
        indexes = [models.Index(fields=["user", "valid_from", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}, {self.get_role_display()}, {self.delegation.party.code}"


class AnalystAffiliation(CreatedAtModel):
    """Whom an analyst reads for: one delegation, or the secretariat (no delegation).

    An analyst reads, read-only, what its delegation or the secretariat reads
    (``consult.access``); an analyst without an affiliation reads public data
    only. Affiliation never lets the analyst act for anyone.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analyst_affiliation"
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="analysts",
        help_text="Empty: the analyst belongs to the secretariat.",
    )

    def __str__(self) -> str:
        where = self.delegation.party.code if self.delegation else "secretariat"
        return f"{self.user}, analyst ({where})"


class Accreditation(PublicIdModel, CreatedAtModel):
    """A delegate of an ad hoc or observer party admitted for a period (on a note verbale)."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="accreditations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accreditations"
    )
    reference = models.CharField(max_length=120, help_text="The note verbale it answers.")
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accredited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["user", "delegation", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="accreditation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} accredited to {self.delegation.party.code} until {self.valid_until}"


class Language(models.TextChoices):
    """The working languages, each named in itself (as in ``settings.LANGUAGES``)."""

    EN = "en", "English"
    RU = "ru", "Русский"
    FR = "fr", "Français"


class Profile(models.Model):
    """What a person chose for themselves: the language of their pages, e-mails and notices.

    Made at the first login from the browser's ``Accept-Language`` and changed
    on the account page or with the switcher on every page (``consult/i18n.py``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.EN)

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
