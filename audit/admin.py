from django.contrib import admin

from audit.models import AuditAnchor, AuditEntry
from consult.admin import ReadOnlyAdmin


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
