from django.contrib import admin

from vaora.core.models import AuditEvent, Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "level", "scheme", "province_code"]
    list_filter = ["scheme", "level", "province_code"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for administrators."""

    list_display = ["at", "actor_label", "role", "action", "target_type", "target_id", "row_count"]
    list_filter = ["action", "role"]
    search_fields = ["actor_label", "action", "target_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
