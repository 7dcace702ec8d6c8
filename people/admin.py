from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Article, Byline
from newsroom.autocomplete import AutocompleteAdminMixin

from . import admin_accounts  # noqa: F401  (replaces Django's user admin)
from .models import Country, Organisation, Person, Role


class KeptByStoriesMixin:
    """The delete pages refuse, listing the stories, while `Article.objects.keeping()`
    finds any (articles/models.py holds the rule)."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        stories = [
            self._refusal(obj, story) for obj in objs for story in Article.objects.keeping(obj)
        ]
        # Django lists the bylines that protect a person by the person's own
        # name; the stories above say which they are.
        bylines = set()
        if self.model is Person:
            bylines = {f"Byline: {b}" for b in Byline.objects.filter(person__in=objs)}
        protected = [*stories, *(entry for entry in protected if entry not in bylines)]
        return deleted, counts, perms_needed, protected

    def _refusal(self, obj, story):
        bylined = isinstance(obj, Person) and story.bylines.filter(person=obj).exists()
        return format_html(
            '<a href="{}">{}</a> ({}): {} {}',
            reverse("admin:articles_article_change", args=[story.pk]),
            story.headline,
            story.state.label.lower(),
            "byline of" if bylined else "about",
            obj,
        )


class RoleInline(AutocompleteAdminMixin, admin.TabularInline):
    model = Role
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["title", "organisation", "start", "end"]


class OrganisationRoleInline(RoleInline):
    fk_name = "organisation"
    autocomplete_fields = ["person"]
    fields = ["person", "title", "start", "end"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code", "aliases"]
    readonly_fields = ["code", "name"]
    fields = ["code", "name", "description", "aliases", "same_as"]

    def has_add_permission(self, request):
        # Countries come from ISO 3166 (django-countries), loaded by a migration.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(AutocompleteAdminMixin, KeptByStoriesMixin, admin.ModelAdmin):
    list_display = ["name", "description", "country", "user"]
    list_filter = ["country"]
    list_select_related = ["country", "user"]
    search_fields = ["name", "aliases", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "user"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "country", "photo", "biography"]}),
        ("Finding mentions", {"fields": ["aliases", "same_as"]}),
        ("Staff", {"fields": ["user"], "classes": ["collapse"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Linking a person to a staff account is for those who manage accounts.
        if not request.user.has_perm("auth.view_user"):
            fields.append("user")
        return fields


@admin.register(Organisation)
class OrganisationAdmin(AutocompleteAdminMixin, KeptByStoriesMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "is_partner", "partner_order"]
    list_filter = ["kind", "is_partner", "country"]
    list_select_related = ["country"]
    list_editable = ["partner_order"]
    search_fields = ["name", "short_name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "parent"]
    inlines = [OrganisationRoleInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "short_name",
                    "slug",
                    "kind",
                    "country",
                    "parent",
                    "description",
                    "logo",
                    "website",
                ]
            },
        ),
        ("Finding mentions", {"fields": ["aliases", "same_as"]}),
        ("Our partners", {"fields": ["is_partner", "partner_order"]}),
    ]
