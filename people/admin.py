from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from articles.images.admin import ACCEPT, thumbnail_html
from articles.images.library import store
from articles.images.models import Image
from articles.images.uploads import check_upload
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


class PictureUploadForm(forms.ModelForm):
    """A photo or logo chosen from the library, or uploaded here into the library."""

    picture_field = ""  # "photo" or "logo", set by `picture_form`
    may_upload = False  # set by `LibraryPictureAdmin.get_form`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        if not self.may_upload:
            self.fields.pop(self.upload_name, None)

    @property
    def upload_name(self):
        return f"new_{self.picture_field}"

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get(self.upload_name)
        if upload:
            try:
                self.checked = check_upload(upload)
            except ValidationError as error:
                self.add_error(self.upload_name, error)
        return cleaned


def picture_form(field, label):
    upload = forms.FileField(
        label=f"Upload a new {label}",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text="JPEG, PNG, WebP or GIF. It goes into the image library, stored without "
        "its metadata (location, camera) under a name that reveals nothing, and "
        f"replaces the {label} chosen above.",
    )
    return type(
        f"{field.title()}Form",
        (PictureUploadForm,),
        {"picture_field": field, f"new_{field}": upload},
    )


class LibraryPictureAdmin:
    """The photo or logo: the library's picker, a preview, and an upload straight in."""

    picture_field = ""
    picture_label = ""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        may_upload = request.user.has_perm("images.add_image")
        return type(form.__name__, (form,), {"may_upload": may_upload})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        extra = [f"{self.picture_field}_preview"]
        if request.user.has_perm("images.add_image"):
            extra.append(f"new_{self.picture_field}")

        def with_extra(fields):
            at = fields.index(self.picture_field) + 1 if self.picture_field in fields else None
            return fields if at is None else [*fields[:at], *extra, *fields[at:]]

        return [
            (name, {**options, "fields": with_extra(list(options["fields"]))})
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        if form.checked is not None:
            picture = Image(
                title=f"{obj.name} {self.picture_label}"[:200],
                alt_text=self.alt_text(obj),
                caption=form.checked.caption,
                credit=form.checked.credit,
                source=form.checked.source,
                uploaded_by=request.user,
            )
            setattr(obj, self.picture_field, store(form.checked, picture))
        super().save_model(request, obj, form, change)

    def alt_text(self, obj):
        return obj.name[:300]


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
class PersonAdmin(
    AutocompleteAdminMixin, KeptByStoriesMixin, LibraryPictureAdmin, admin.ModelAdmin
):
    form = picture_form("photo", "photo")
    picture_field = picture_label = "photo"
    list_display = ["name", "description", "country", "user"]
    list_filter = ["country"]
    list_select_related = ["country", "user"]
    search_fields = ["name", "aliases", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "user", "photo"]
    readonly_fields = ["photo_preview"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "country", "photo", "biography"]}),
        ("Finding mentions", {"fields": ["aliases", "same_as"]}),
        ("Staff", {"fields": ["user"], "classes": ["collapse"]}),
    ]

    @admin.display(description="preview")
    def photo_preview(self, person):
        return thumbnail_html(person.photo)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Linking a person to a staff account is for those who manage accounts.
        if not request.user.has_perm("auth.view_user"):
            fields.append("user")
        return fields


@admin.register(Organisation)
class OrganisationAdmin(
    AutocompleteAdminMixin, KeptByStoriesMixin, LibraryPictureAdmin, admin.ModelAdmin
):
    form = picture_form("logo", "logo")
    picture_field = picture_label = "logo"
    list_display = ["name", "short_name", "kind", "country", "is_partner", "partner_order"]
    list_filter = ["kind", "is_partner", "country"]
    list_select_related = ["country"]
    list_editable = ["partner_order"]
    search_fields = ["name", "short_name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "parent", "logo"]
    readonly_fields = ["logo_preview"]
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

    @admin.display(description="preview")
    def logo_preview(self, organisation):
        return thumbnail_html(organisation.logo)

    def alt_text(self, organisation):
        return f"{organisation.name} logo"[:300]
