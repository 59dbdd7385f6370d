from django.contrib import admin

from vaora.venues.models import Organisation, OrganisationGroup, Sector, Venue


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "registry_code", "commune"]
    list_filter = ["kind", "province_code"]
    search_fields = ["name", "registry_code"]
    raw_id_fields = ["commune"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "commune", "sensitive"]
    list_filter = ["kind", "sensitive", "province_code"]
    search_fields = ["name"]
    raw_id_fields = ["organisation", "commune"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "kinds", "territory"]
    search_fields = ["code", "name_vi", "name_en"]
    raw_id_fields = ["territory"]
    filter_horizontal = ["groups"]


@admin.register(OrganisationGroup)
class OrganisationGroupAdmin(admin.ModelAdmin):
    """Members are kept by the group's board on its page (with an audit trail), not here."""

    list_display = ["code", "name", "category", "territory"]
    search_fields = ["code", "name"]
    raw_id_fields = ["territory"]
