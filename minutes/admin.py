"""Read-mostly admin for the secretariat's oversight.

Workflow changes (circulation, approval, positions, publication) go through
the pages and services, which check who may do them and keep revisions;
the admin therefore shows the record without letting it be edited around
those rules.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from consult.admin import ReadOnlyAdmin
from minutes.models import (
    ActionPoint,
    Amendment,
    Attendance,
    Communique,
    CommuniqueVersion,
    Minutes,
    MinutesRevision,
    Position,
    SilenceBreak,
    Statement,
)

if TYPE_CHECKING:  # generic to the type checker only, not at run time
    TabularInline = admin.TabularInline[Any, Any]
else:
    TabularInline = admin.TabularInline


class AttendanceInline(TabularInline):
    model = Attendance
    fields = ["party", "arrived_at", "left_at"]
    readonly_fields = ["party", "arrived_at", "left_at"]
    extra = 0
    can_delete = False


class RevisionInline(TabularInline):
    model = MinutesRevision
    fields = ["number", "reason", "created_by", "created_at"]
    readonly_fields = ["number", "reason", "created_by", "created_at"]
    extra = 0
    can_delete = False


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["session", "status", "revision", "circulated_at", "approved_at"]
    list_filter = ["status"]
    search_fields = ["session__number"]
    inlines = [AttendanceInline, RevisionInline]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "item", "order", "kind", "party", "distribution", "created_at"]
    list_filter = ["kind", "distribution", "item__chatham_house"]
    search_fields = ["summary", "minutes__session__number"]
    list_select_related = ["minutes__session", "item__session", "party"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "party", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["minutes__session", "party"]


@admin.register(ActionPoint)
class ActionPointAdmin(ReadOnlyAdmin):
    list_display = ["description", "minutes", "owner", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["description"]
    list_select_related = ["minutes__session", "owner"]


class VersionInline(TabularInline):
    model = CommuniqueVersion
    fields = ["number", "note", "created_by", "created_at"]
    readonly_fields = ["number", "note", "created_by", "created_at"]
    extra = 0
    can_delete = False


@admin.register(Communique)
class CommuniqueAdmin(ReadOnlyAdmin):
    list_display = ["title", "session", "kind", "status", "deadline", "published_at"]
    list_filter = ["status", "kind", "silence_procedure"]
    search_fields = ["title", "session__number"]
    inlines = [VersionInline]


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["version", "party", "stance", "updated_at"]
    list_filter = ["stance"]
    list_select_related = ["version__communique", "party"]


@admin.register(SilenceBreak)
class SilenceBreakAdmin(ReadOnlyAdmin):
    list_display = ["version", "party", "created_at"]
    list_select_related = ["version__communique", "party"]
