from django.contrib import admin

from vaora.venues.models import Organisation, Venue


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
