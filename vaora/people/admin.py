from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from vaora.people.models import Account, Person


@admin.register(Account)
class AccountAdmin(UserAdmin):
    list_display = ["username", "role", "display_name", "jurisdiction", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name"]
    ordering = ["username"]
    raw_id_fields = ["person", "jurisdiction", "organisation"]
    fieldsets = [
        (None, {"fields": ["username", "password", "display_name", "is_active"]}),
        ("Role and scope", {"fields": ["role", "jurisdiction", "organisation", "person"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2", "role", "jurisdiction",
                           "organisation"]}),
    ]  # fmt: skip
    filter_horizontal: list[str] = []


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Persons are listed by id only: names are encrypted and not searchable by design."""

    list_display = ["id", "birth_year", "home_commune", "guardian", "created_at"]
    raw_id_fields = ["home_commune", "guardian"]
    exclude = ["phone_index", "cccd_index"]
