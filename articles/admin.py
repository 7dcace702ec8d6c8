from django.contrib import admin

from newsroom.autocomplete import AutocompleteAdminMixin

from . import admin_images  # noqa: F401  (registers the image library)
from . import admin_tags  # noqa: F401  (replaces taggit's tag admin)
from .admin_workflow import StateListFilter, WorkflowAdminMixin
from .forms import ArticleAdminForm
from .admin_mentions import MentionsAdminMixin
from .models import Article, Byline, Correction, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class BylineInline(AutocompleteAdminMixin, admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "order"]


class CorrectionInline(admin.StackedInline):
    """Shown, not edited: corrections are added with the workflow's button."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TagListFilter(admin.SimpleListFilter):
    """The tags of the stories in this user's list, and no others (admin_tags.py)."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        from taggit.models import Tag

        tags = Tag.objects.filter(admin_tags.used_on(model_admin.get_queryset(request)))
        return [(tag.slug, tag.name) for tag in tags.order_by("name")[:200]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


class AuthorListFilter(admin.SimpleListFilter):
    """The authors of the stories in this user's list, and no others."""

    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        from people.models import Person

        stories = model_admin.get_queryset(request).values("pk")
        authors = Person.objects.filter(bylines__article__in=stories).distinct().order_by("name")
        return [(person.pk, person.name) for person in authors]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(bylines__person_id=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(
    AutocompleteAdminMixin, MentionsAdminMixin, WorkflowAdminMixin, admin.ModelAdmin
):
    form = ArticleAdminForm
    list_display = ["headline", "section", "state", "byline_names", "published_at", "updated_at"]
    list_filter = [StateListFilter, "section", "type_of_work", AuthorListFilter, TagListFilter, "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "people", "organisations", "countries", "related", "lead_image"]
    readonly_fields = ["status", "published_at", "created_at", "updated_at", "lead_image_preview"]
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_now"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        ("Placement", {"fields": ["section", "type_of_work", "credit", "language", "home_position"]}),
        (
            "Lead image",
            {"fields": ["lead_image", "lead_image_preview"]},
        ),
        ("What this story is about", {"fields": ["tags", "people", "organisations", "countries", "related"]}),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        ("Status", {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # The front page is the editors' choice, like publication itself.
        if not request.user.has_perm("articles.publish_article"):
            fields.append("home_position")
        return fields

    @admin.display(description="bylines")
    def byline_names(self, article):
        return ", ".join(byline.person.name for byline in article.bylines.all())

    @admin.display(description="preview")
    def lead_image_preview(self, article):
        return admin_images.thumbnail_html(article.lead_image)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            obj.remember_slug(form.initial["slug"])
