from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditAnchor, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable in the admin, never added, changed or deleted there, superusers included."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "kind", "outcome", "username", "object_type", "object_id", "ip"]
    list_filter = ["kind", "outcome"]
    search_fields = ["username", "object_id", "summary"]
    actions = None


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyAdmin):
    list_display = ["seq", "hash", "pruned_at"]
    actions = None
