from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from consult.models import CreatedAtModel, PublicIdModel


class ApiToken(PublicIdModel, CreatedAtModel):
    """A personal API token; only the SHA-256 of its key is stored.

    A key reads ``cc_<prefix>_<secret>``: the prefix is public (shown on the
    token page, used to find the row), the secret carries 256 random bits, so
    an unsalted hash is as safe as a password hash and checks in one lookup.
    """

    class Source(models.TextChoices):
        PAGE = "page", _("Token page")
        LOGIN = "login", _("Username and password (POST /api/v1/auth/token/)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text="What the token is for, e.g. 'notebook'.")
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    read_only = models.BooleanField(
        default=True, help_text="Refuses every write; always set for analysts."
    )
    source = models.CharField(max_length=5, choices=Source.choices, default=Source.PAGE)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="unique_live_token_name_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class SearchEntry(models.Model):
    """One searchable text (a statement, a paper, an item...), copied from its source.

    The copy holds text only: who may read a hit is decided at query time by the
    source's own selector, so a stale entry can never open anything. On
    PostgreSQL ``vector`` is the stored tsvector (title weighted A, body B, in
    the configurations named by ``config``) behind a GIN index; the embedded
    SQLite set-up leaves it empty and matches words in ``title`` and ``body``.

    A text whose language is recorded (a paper) is indexed in its language's
    configuration (``LANGUAGE_CONFIGS``). One whose language is not recorded
    may be in any working language and is indexed in ``UNRECORDED``: PostgreSQL's
    "russian" configuration stems Cyrillic words with the Russian Snowball
    stemmer and ASCII words with the English one; "french" adds the French
    stems, accented words included, which "russian" leaves as they are.
    """

    LANGUAGE_CONFIGS = {"en": "english", "ru": "russian", "fr": "french"}
    UNRECORDED = "russian french"

    class Kind(models.TextChoices):
        STATEMENT = "statement", "Statement"
        DOCUMENT = "document", "Document"
        ACTION_POINT = "action_point", "Action point"
        COMMUNIQUE = "communique", "Communiqué"
        AGENDA_ITEM = "agenda_item", "Agenda item"
        CRISIS = "crisis", "Crisis"
        THREAT = "threat", "Threat"
        OFF_RAMP = "off_ramp", "Off-ramp"
        NORM = "norm", "Norm of behaviour"
        INCIDENT = "incident", "Incident"
        EXERCISE = "exercise", "Tabletop exercise"
        AAR = "aar", "After-action report"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    object_id = models.BigIntegerField()
    public_id = models.UUIDField()
    # Null for a threat outside any crisis: the shared list's, of no one session.
    session = models.ForeignKey(
        "agenda.Session",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        null=True,
        blank=True,
    )
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    config = models.CharField(
        max_length=32,
        help_text="PostgreSQL text search configurations, space-separated, the first one first.",
    )
    vector = SearchVectorField(null=True, editable=False)
    source_updated_at = models.DateTimeField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry"),
        ]
        indexes = [
            models.Index(fields=["kind", "source_updated_at"]),
            models.Index(fields=["session", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"
