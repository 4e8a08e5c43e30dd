"""Read-only admin: the state of renders and copies, and the read receipts.

Packs are made and rebuilt by the services (the rebuild button on the pack
page); the admin never edits them, and it offers no download: a copy is
served to its delegate only, by the permission-checked page.
"""

from django.contrib import admin

from briefings.models import Pack, PackReceipt, PackRender, PackRequest
from consult.admin import ReadOnlyAdmin


@admin.register(PackRender)
class PackRenderAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "session", "status", "attempts", "quarantined", "page_count"]
    list_filter = ["status", "quarantined"]
    exclude = ["file", "audience", "stamp_slots"]
    list_select_related = ["session"]


@admin.register(Pack)
class PackAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "session", "user", "party", "status", "stamped_at"]
    list_filter = ["status"]
    exclude = ["file"]
    search_fields = ["public_id", "user__username"]
    list_select_related = ["session", "user", "party"]


@admin.register(PackReceipt)
class PackReceiptAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "session", "user", "party", "action", "pack"]
    list_filter = ["action"]
    list_select_related = ["session", "user", "party", "pack"]


@admin.register(PackRequest)
class PackRequestAdmin(ReadOnlyAdmin):
    list_display = ["session", "generation", "not_before", "finished_generation", "updated_at"]
    list_select_related = ["session"]
