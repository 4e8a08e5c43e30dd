from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        # Logins are recorded from Django's auth signals, so every login door
        # (pages, admin, token endpoint, any later one) is covered alike.
        from audit import receivers  # noqa: F401
