from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"

    def ready(self) -> None:
        # A login stamps its session's clocks and reads the second-factor rule
        # once, so pages after it do not write the session row again.
        from consult import mfa, sessions  # noqa: F401
        from members import receivers  # noqa: F401
