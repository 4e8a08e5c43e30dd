"""Settings of the platform, one module configured by environment variables.

Defaults are the embedded, single-machine set-up (SQLite file, tasks run
in-process, console e-mail); production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, DEBUG=false and ALLOWED_HOSTS.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(environ.Env().str("CONSULT_DATA_DIR", default=str(BASE_DIR / "var")))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)

DEBUG = env("DEBUG")
SECRET_KEY = env(
    "SECRET_KEY",
    # The django-insecure- prefix makes `check --deploy` refuse this key in production.
    default="django-insecure-embedded-default-only-for-the-local-run-command-0123456789",
)
if not SECRET_KEY:
    # An empty variable (e.g. docker-compose's ${SECRET_KEY:-}) must stop every
    # process at start, not fail the first request that signs something.
    raise ImproperlyConfigured("SECRET_KEY is empty: set it to a long random value.")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Parallel texts' columns per working language (consult/parallel.py); before the admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # allauth's list of signed-in sessions ("3 minutes ago") uses its filters.
    "django.contrib.humanize",
    # Text search fields and functions (analytics); inert on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_prose_editor",
    "audit",
    # Logins, the second factor (TOTP, passkeys, recovery codes), reauthentication
    # before sensitive steps and each user's list of signed-in sessions.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Failed logins per account and per source, on every door.
    "axes",
    "members",
    "notices",
    "agenda",
    "minutes",
    "crises",
    "analytics",
    "briefings",
]

MIDDLEWARE = [
    # First, so that every error under /api/ leaves as JSON, whichever layer answered it.
    "consult.api_errors.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Serves collected static files under gunicorn; no separate web server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A write that still finds the embedded SQLite database locked answers 503.
    "consult.unavailable.DatabaseBusyMiddleware",
    # The client's address (behind NUM_PROXIES trusted proxies) for audit entries.
    "audit.context.AuditContextMiddleware",
    # Django's, answering 503 when the session row meets SQLite's lock.
    "consult.unavailable.SessionMiddleware",
    # The language of the answer: the signed-in user's preference (kept in the session at
    # login), else the language cookie or Accept-Language; after the session, before common.
    "consult.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Ends sessions idle or old past their limits, before anything reads the user.
    "consult.sessions.SessionLifetimeMiddleware",
    "consult.access.ReadOncePerRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Users who must have a second factor reach nothing else until they gave it.
    "consult.mfa.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the session and auth middleware, so it sees who made the request.
    "consult.headers.PrivateResponseMiddleware",
    # Last, so that it turns a locked login into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "consult.urls"
WSGI_APPLICATION = "consult.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                # The crisis alert banner on every page.
                "crises.context_processors.unacknowledged_alerts",
            ],
            "libraries": {"editor": "consult.editor"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'consult.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves threads that write at once. IMMEDIATE takes
    # the write lock when a transaction begins, so a writer waits its turn
    # (up to the busy timeout) instead of failing when it upgrades from a read;
    # WAL lets reads go on while one transaction writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.float("SQLITE_BUSY_TIMEOUT", default=20.0),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses every login of a locked account or source before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Grants go to delegation groups only; guardian's anonymous user is not used.
ANONYMOUS_USER_NAME = None
GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# The number of proxies in front of the web process (the TLS proxy counts one).
# X-Forwarded-For is read only that far from its right end, by the API's
# throttles, the login lockout and the session list alike; 0 (the default)
# trusts no header and takes the connection's address.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# Logins (django-allauth): accounts are made by the secretariat, never signed up for.
ACCOUNT_ADAPTER = "consult.logins.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_REDIRECT_URL = "login"
ACCOUNT_SESSION_REMEMBER = False
# Seconds a second factor given again stays good for the next sensitive step.
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("REAUTHENTICATION_SECONDS", default=300)
# The lockout below counts password failures; allauth's own limits stay wider,
# so that the lock the secretariat can lift is the one that bites first, and
# still bound the guesses of one-time codes per user.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,20/15m/key"}
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
# A code of the period before or after is accepted too (clocks drift); each still only once.
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Crisis Consultation Platform")
# Passkeys need a secure origin; the embedded run serves plain HTTP on loopback.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=DEBUG)

# Failed logins (django-axes): past AXES_FAILURE_LIMIT failures an account, and
# separately a source address, is locked for LOGIN_LOCK_MINUTES; the
# secretariat lifts a lock earlier in the admin (Access attempts, or the users'
# "Lift login locks" action).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCK_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "consult.logins.client_ip"
AXES_LOCKOUT_CALLABLE = "consult.logins.lockout_response"
# Usernames match case-insensitively at the login form: one account, one count.
AXES_USERNAME_CALLABLE = "consult.logins.login_username"

# Sessions end after SESSION_IDLE_MINUTES without a request and, however busy,
# SESSION_MAX_HOURS after the login (consult/sessions.py).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_MAX_HOURS", default=12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS

LANGUAGE_CODE = "en"
# The working languages, each named in itself (consult/i18n.py; catalogs in locale/).
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Parallel texts (consult/parallel.py): one translated column per working language.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ru", "fr")
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Uploaded papers: PDF, DOCX and ODT, checked by content.
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# A DOCX or ODT whose entries would expand past this, or one entry compressed more
# than the ratio (past 1 MiB), is refused from its ZIP directory, never extracted.
DOCUMENT_MAX_EXPANDED_BYTES = env.int("DOCUMENT_MAX_EXPANDED_BYTES", default=200 * 1024 * 1024)
DOCUMENT_MAX_COMPRESSION_RATIO = env.int("DOCUMENT_MAX_COMPRESSION_RATIO", default=200)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Days seat-holders have to object to a circulated provisional agenda.
AGENDA_OBJECTION_WINDOW_DAYS = env.int("AGENDA_OBJECTION_WINDOW_DAYS", default=10)

# Mail is printed to the console unless EMAIL_URL names a server, e.g.
# smtp+tls://user:password@smtp.example.org:587 (percent-encode @ in the user),
# or a folder: filemail:// writes one file per message under the data
# folder's mail/ (bin/run does, so that mail does not bury its banner).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_SMTP_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for key, option in _SMTP_OPTIONS.items()
            if _email.get(key) is not None
        },
    }
}
if _email["EMAIL_BACKEND"].endswith(".filebased.EmailBackend"):
    MAILERS["default"]["OPTIONS"]["file_path"] = str(
        Path("/", _email["EMAIL_FILE_PATH"]) if _email["EMAIL_FILE_PATH"] else DATA_DIR / "mail"
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="secretariat@consult.invalid")

# Security: production sets DEBUG=false and serves over HTTPS behind a proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Every response carries a strict Content-Security-Policy: scripts and styles come
# from the platform's own static files or carry the request's nonce, nothing
# inline runs, nothing loads from elsewhere, no page can be framed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # ReDoc searches the schema in a worker it starts from a blob.
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Celery: JSON only, bounded tasks, redelivery of tasks whose worker died.
REDIS_URL = env.str("REDIS_URL", default="")
# Throttle counters and other shared short-lived state: Redis when configured, so
# every web process counts the same quota.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Throttles fall back to counting in-process when Redis is down
            # (analytics/throttling.py); an unreachable host must not hold requests.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The broker: Redis when configured; bin/run sets one that needs no server
# ("filesystem://", message files under the data folder); with neither, tasks
# run in-process (tests, a manage.py command run by hand).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://")
)
CELERY_TASK_EAGER_PROPAGATES = True
# Deployments (and test runs) sharing one Redis keep their tasks apart by queue.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=150)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000)
# A late-acked task of a dead worker (and a task with an eta that worker held)
# is handed out again after the visibility timeout. It must exceed the hard time
# limit, or a task still running on a live worker would be given to a second one;
# a minute more covers the moment between delivery and start. Longer would only
# delay the other tasks of a dead worker: briefing packs do not wait for it (a
# sweep re-queues them once their lease lapses, see PACK_LEASE_SECONDS). A task
# whose eta lies further ahead is delivered again meanwhile; every task is
# idempotent, so the second delivery changes nothing.
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 60
)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT ({CELERY_VISIBILITY_TIMEOUT}) must exceed "
        f"CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT}): a running task would run twice."
    )
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # One folder both ways: web, worker and beat all read and write the same queues.
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(DATA_DIR / "broker" / "messages"),
        "data_folder_out": str(DATA_DIR / "broker" / "messages"),
        "control_folder": str(DATA_DIR / "broker" / "control"),
    }
# Publishing while Redis is down gives up within about a second instead of
# holding the request for twenty (the publish itself, and the result
# subscription Celery opens at publish time); consult/queue.py logs it and the
# periodic sweeps send the work once Redis answers.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.25,
    "interval_max": 0.5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat's own loop writes a heartbeat file (consult/beat.py); the beat health
# check is healthy only while it is younger than BEAT_HEARTBEAT_STALE_SECONDS.
CELERY_BEAT_SCHEDULER = "consult.beat.HeartbeatScheduler"
BEAT_HEARTBEAT_FILE = Path(
    env.str("BEAT_HEARTBEAT_FILE", default=str(DATA_DIR / "celerybeat-heartbeat"))
)
BEAT_HEARTBEAT_SECONDS = env.float("BEAT_HEARTBEAT_SECONDS", default=15.0)
BEAT_HEARTBEAT_STALE_SECONDS = env.float(
    "BEAT_HEARTBEAT_STALE_SECONDS", default=BEAT_HEARTBEAT_SECONDS * 4
)
# The exercises' live channel (crises/views/exercises.py): how long one server-sent
# event stream stays open before the browser reconnects, and how often it looks for news.
EXERCISE_LIVE_SECONDS = env.float("EXERCISE_LIVE_SECONDS", default=25.0)
EXERCISE_LIVE_POLL_SECONDS = env.float("EXERCISE_LIVE_POLL_SECONDS", default=0.5)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The search copy: what changed each minute, everything (and orphans dropped) nightly.
    "refresh-search-index": {
        "task": "analytics.tasks.search_index_refresh_task",
        "schedule": crontab(minute="*"),
    },
    "rebuild-search-index": {
        "task": "analytics.tasks.search_index_refresh_task",
        "schedule": crontab(minute=40, hour=3),
        "kwargs": {"full": True},
    },
    # Before the session planner below, which reads the chair from the rotation.
    "plan-rotation-ahead": {
        "task": "members.tasks.rotation_plan_ahead_task",
        "schedule": crontab(minute=5, hour="*/6"),
    },
    "plan-regular-sessions": {
        "task": "agenda.tasks.sessions_plan_ahead_task",
        "schedule": crontab(minute=15, hour="*/6"),
    },
    "send-session-reminders": {
        "task": "agenda.tasks.session_reminders_send_task",
        "schedule": crontab(minute=0, hour="*"),
    },
    # Delegations that have not scored an open threat round, 3 days and 1 day before it closes.
    "send-threat-round-reminders": {
        "task": "crises.tasks.round_reminders_send_task",
        "schedule": crontab(minute=30, hour="*"),
    },
    # Crisis alerts: deliveries a lost task left unsent, and the 5- and 15-minute reminders.
    "sweep-crisis-alerts": {
        "task": "crises.tasks.alerts_sweep_task",
        "schedule": crontab(minute="*"),
    },
    # Tabletop exercises: injects scheduled some minutes after the start.
    "release-due-injects": {
        "task": "crises.tasks.injects_release_due_task",
        "schedule": crontab(minute="*"),
    },
    # Notices whose delivery task was never sent (Redis was down when they were made).
    "deliver-pending-notices": {
        "task": "notices.tasks.notifications_deliver_pending_task",
        "schedule": crontab(minute=0, hour="*"),
    },
    # Each silence procedure has its own task at its deadline; this catches any lost one.
    "conclude-silence-procedures": {
        "task": "minutes.tasks.communique_silence_sweep_task",
        "schedule": crontab(minute="*/5"),
    },
    # Each publication queues its signing; this signs what a lost task left unsigned.
    "communiques-sign-pending": {
        "task": "minutes.tasks.communiques_sign_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    # Rebuilds briefing packs whose agenda, papers or record changed (debounced).
    "detect-pack-changes": {
        "task": "briefings.tasks.packs_detect_changes_task",
        "schedule": crontab(minute="*"),
    },
    # Drops audit entries older than AUDIT_RETENTION_DAYS, re-anchoring the chain.
    "prune-audit-trail": {
        "task": "audit.tasks.audit_prune_task",
        "schedule": crontab(minute=20, hour=4),
    },
    # Re-queues the renders and deliveries of a worker that died (lease lapsed).
    "recover-lapsed-packs": {
        "task": "briefings.tasks.packs_recover_lapsed_task",
        "schedule": timedelta(seconds=env.int("PACK_SWEEP_SECONDS", default=30)),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "analytics.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Per-token quotas (analytics/throttling.py); browser sessions are not counted.
    "DEFAULT_THROTTLE_CLASSES": [
        "analytics.throttling.TokenBurstRateThrottle",
        "analytics.throttling.TokenSustainedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token_burst": env.str("API_TOKEN_BURST_RATE", default="120/minute"),
        "token_sustained": env.str("API_TOKEN_SUSTAINED_RATE", default="20000/day"),
        "login": env.str("API_LOGIN_RATE", default="20/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "consult.permissions.AccessPolicy",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_PAGINATION_CLASS": "consult.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "consult.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "consult.errors.exception_handler",
    # orjson: the same JSON as DRF's renderer, written several times faster.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # orjson refuses JSON nested past 1024 levels with a parse error (400); the
    # standard library's parser recursed until the interpreter gave up (500).
    # Bodies are JSON (a form cannot say null, nor tell an empty value from
    # none); papers' uploads add multipart on their own views.
    "DEFAULT_PARSER_CLASSES": ["drf_orjson_renderer.parsers.ORJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Crisis Consultation Platform API",
    "DESCRIPTION": (
        "Read access to sessions, agendas, documents, minutes and communiqués of the "
        "consultation body, filtered by the confidentiality rule. Writes are reserved "
        "to the secretariat (and delegations for their own papers)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets sharing a field name ("kind", "status", "distribution") get
    # stable names instead of hash suffixes (drf_spectacular.W001 otherwise).
    "ENUM_NAME_OVERRIDES": {
        # Parallel texts (consult/parallel.py): languages served and versions' states.
        "WorkingLanguageEnum": "consult.parallel.LANGUAGE_CODES",
        "ParallelVersionStateEnum": "consult.parallel.VERSION_STATES",
        "ServedVersionStateEnum": "consult.parallel.SERVED_STATES",
        "DocumentLanguageEnum": "agenda.models.Document.Language",
        "DistributionEnum": "consult.access.Distribution",
        "SessionDistributionEnum": "agenda.filters.SESSION_LEVELS",
        "PartyKindEnum": "members.models.Party.Kind",
        "SessionKindEnum": "agenda.models.Session.Kind",
        "SessionStatusEnum": "agenda.models.Session.Status",
        "AgendaItemKindEnum": "agenda.models.AgendaItem.Kind",
        "InvitationKindEnum": "agenda.models.Invitation.Kind",
        "InvitationReasonCodeEnum": "agenda.models.Invitation.ReasonCode",
        "ActionPointStatusEnum": "minutes.models.ActionPoint.Status",
        "PackBuildReasonEnum": "briefings.models.BuildReason",
        "CrisisStatusEnum": "crises.models.Crisis.Status",
        "CrisisTransitionReasonCodeEnum": "crises.models.CrisisTransition.ReasonCode",
        "OffRampStatusEnum": "crises.models.OffRamp.Status",
        "ExerciseStatusEnum": "crises.models.Exercise.Status",
        "VerdictEnum": "crises.api.serializers.VERDICTS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "consult.api_base.add_error_responses",
        "consult.api_base.document_empty_query_values",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Page-by-page progress of PDF renders and font subsetting chatter.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Briefing packs: limits of one render (a forked child), and the quiet period
# after the last change before packs are rebuilt.
PACK_RENDER_SECONDS = env.float("PACK_RENDER_SECONDS", default=90.0)
PACK_RENDER_MEMORY_BYTES = env.int("PACK_RENDER_MEMORY_BYTES", default=1024 * 1024 * 1024)
PACK_REBUILD_QUIET_SECONDS = env.int("PACK_REBUILD_QUIET_SECONDS", default=120)
# A worker building a render or stamping its copies holds a lease on it, renewed
# every third of this while it works; once a lease lapses (its worker died), the
# sweep re-queues the work. Short, so a killed worker's packs move on within a
# minute; long enough that a busy worker always renews in time.
PACK_LEASE_SECONDS = env.int("PACK_LEASE_SECONDS", default=30)

# The audit trail keeps entries this many days; the nightly prune removes older
# ones and re-anchors the hash chain on the last one removed.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)

# Demo accounts of the embedded run; never used when DEBUG is off in production.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="consult-demo-2026")
# The second factor of the demo accounts (seed_demo only; real accounts enrol their
# own): a base32 TOTP secret, 30-second codes of 6 digits (`manage.py demo_code`).
DEMO_TOTP_SECRET = env.str("DEMO_TOTP_SECRET", default="DEMOCONSULTQQQQ2KEYONLYFORDEMOS4")

# Signed communiqués (docs/architecture.md, "minutes"). Each key or certificate is a
# file path or the PEM text itself (an environment variable holding the PEM), never a
# database row. TEXT: the Ed25519 key (and its certificate) signing the canonical JSON
# of a published text; PDF: the key and certificate of the PAdES signature. Retired
# certificates (either kind) keep older signatures verifiable after a rotation. The
# embedded default reads the demo keys `seed_demo` writes under var/signing/.
_signing_dir = DATA_DIR / "signing"
COMMUNIQUE_TEXT_KEY = env.str("COMMUNIQUE_TEXT_KEY", default=str(_signing_dir / "text-key.pem"))
COMMUNIQUE_TEXT_CERT = env.str("COMMUNIQUE_TEXT_CERT", default=str(_signing_dir / "text-cert.pem"))
COMMUNIQUE_PDF_KEY = env.str("COMMUNIQUE_PDF_KEY", default=str(_signing_dir / "pdf-key.pem"))
COMMUNIQUE_PDF_CERT = env.str("COMMUNIQUE_PDF_CERT", default=str(_signing_dir / "pdf-cert.pem"))
COMMUNIQUE_RETIRED_CERTS = env.list("COMMUNIQUE_RETIRED_CERTS", default=[])
COMMUNIQUE_DEMO_KEYS_DIR = str(_signing_dir)
# An RFC 3161 time-stamping authority for the PDF signatures; off when empty.
COMMUNIQUE_TSA_URL = env.str("COMMUNIQUE_TSA_URL", default="")
