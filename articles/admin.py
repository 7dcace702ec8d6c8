from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from taggit.models import Tag

from newsroom.autocomplete import AutocompleteAdminMixin
from newsroom.csp import NonceFormMediaMixin
from people.models import Person

from . import (
    admin_images,  # noqa: F401  (registers the image library)
    admin_mentions,
    admin_tags,  # noqa: F401  (replaces taggit's tag admin)
    editing,
    sanitize,
    workflow,
)
from .admin_autosave import AutosaveViews
from .admin_workflow import StateListFilter, WorkflowViews, state_badge
from .forms import ArticleAdminForm
from .models import Article, Byline, Correction, DeletedStory, Section
from .workflow import TransitionNotAllowed

# The class of the story form's fieldsets shown in its side column
# (templates/admin/articles/article/change_form.html).
SIDE = "in-side-column"
# The fieldset the bylines follow, in that column.
BYLINES_NEXT = "story-bylines-next"


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

    def get_extra(self, request, obj=None, **kwargs):
        # A new story's form has one row, holding the writer's own byline.
        return 1 if obj is None and own_byline(request.user) is not None else 0


def own_byline(user):
    """The writer's own byline for a new story: their author profile, if they have one."""
    return Person.objects.authors().filter(user=user).first() if user.is_authenticated else None


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
        stories = model_admin.get_queryset(request).values("pk")
        authors = Person.objects.filter(bylines__article__in=stories).distinct().order_by("name")
        return [(person.pk, person.name) for person in authors]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(bylines__person_id=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(
    NonceFormMediaMixin, AutocompleteAdminMixin, AutosaveViews, WorkflowViews, admin.ModelAdmin
):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["headline", "section", "state", "byline_names", "updated"]
    list_filter = [
        StateListFilter,
        "section",
        "type_of_work",
        AuthorListFilter,
        TagListFilter,
        "published_at",
    ]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = [
        "section",
        "people",
        "organisations",
        "countries",
        "related",
        "lead_image",
    ]
    readonly_fields = [
        "status",
        "published_at",
        "created_at",
        "updated_at",
        "lead_image_preview",
        "mentions_panel",
    ]
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_now"]
    # The writing first and large; what the desk sets about it beside it, in the
    # side column of a wide screen (static/newsroom/admin.css) and below it on a
    # narrow one. A fieldset with the SIDE class goes to that column.
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        ("Lead image", {"fields": ["lead_image", "lead_image_preview"]}),
        admin_mentions.FIELDSET,
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
        (
            "Status",
            {"fields": ["status", "published_at", "created_at", "updated_at"], "classes": [SIDE]},
        ),
        (
            "Section and type of work",
            {
                "fields": ["section", "type_of_work", "credit", "language", "home_position"],
                "classes": [SIDE, BYLINES_NEXT],
            },
        ),
        ("Tags", {"fields": ["tags"], "classes": [SIDE]}),
        ("In this story", {"fields": ["people", "organisations", "countries"], "classes": [SIDE]}),
        ("Related stories", {"fields": ["related"], "classes": [SIDE]}),
    ]
    # Save, Save and continue, and the workflow's buttons above the form too.
    save_on_top = True

    # --- Who may see and change which story (the rules: workflow.py) ------------------

    def get_queryset(self, request):
        return workflow.stories_visible_to(
            request.user, super().get_queryset(request).with_bylines()
        )

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return workflow.can_view(request.user, obj)
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            # A save refused in `changeform_view` still shows the form as typed.
            return workflow.can_edit(request.user, obj) or _refusal(request) is not None
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return workflow.is_editor(request.user) and super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Shown on Django's "cannot delete" page, which then offers no button.
        protected += [refusal for story in objs if (refusal := editing.deletion_refusal(story))]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        editing.delete_story(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            editing.delete_story(story, by=request.user)

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def view_on_site(self, obj):
        if obj.is_published():
            return obj.get_absolute_url()
        return reverse("admin:articles_article_preview", args=[obj.pk])

    # --- The form ----------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, {**options}) for name, options in self.fieldsets]
        name, options = fieldsets[0]
        if obj is not None and self.has_change_permission(request, obj):
            # The version the form was opened at, for the edit-conflict check.
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], "base_version"]})
        elif obj is not None:
            # Read, not edited: the body as it reads, not its markup.
            fields = ["body_as_read" if field == "body" else field for field in options["fields"]]
            fieldsets[0] = (name, {**options, "fields": fields})
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # The front page is the editors' choice, like publication itself.
        if not request.user.has_perm("articles.publish_article"):
            fields.append("home_position")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.refusal = _refusal(request)
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "related" and not workflow.is_editor(request.user):
            # Public stories, and the user's own: never the title of a draft
            # they may not open, in the choices or among the saved values.
            kwargs["queryset"] = (
                workflow.stories_visible_to(request.user) | Article.objects.published()
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        if _is_related_picker(request) and not workflow.is_editor(request.user):
            # The "related" picker offers public stories too, not only the user's own.
            queryset = Article.objects.filter(
                Q(pk__in=queryset.values("pk")) | Q(pk__in=Article.objects.published().values("pk"))
            )
        return super().get_search_results(request, queryset, search_term)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None and request.method == "GET":
            if (person := own_byline(request.user)) is not None:
                kwargs["initial"] = [{"person": person.pk}]
        return kwargs

    @admin.display(description="state", ordering="status")
    def state(self, article):
        return state_badge(article)

    @admin.display(description="bylines")
    def byline_names(self, article):
        return ", ".join(byline.person.name for byline in article.bylines.all())

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, article):
        # The short form of the newsroom's date (newsroom/formats/), so the column fits.
        return date_format(timezone.localtime(article.updated_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description="body")
    def body_as_read(self, article):
        # Cleaned again on the way out: what is stored passed the same cleaner.
        return mark_safe(f'<div class="body-as-read">{sanitize.clean_body(article.body)}</div>')

    @admin.display(description="preview")
    def lead_image_preview(self, article):
        return admin_images.thumbnail_html(article.lead_image)

    @admin.display(description="Not yet attached")
    def mentions_panel(self, article):
        request = admin_mentions.current_request.get()
        can_attach = request is not None and self.has_change_permission(request, article)
        return admin_mentions.panel_html(article, can_attach=can_attach)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id) if object_id else None
        if article is not None and workflow.can_view(request.user, article):
            extra_context.update(self.workflow_context(request, article))
            if request.method == "POST" and not workflow.can_edit(request.user, article):
                request.newsroom_refusal = _refusal_message(article)
        token = admin_mentions.current_request.set(request)
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Rendered here, while the panel can still see the request.
            if hasattr(response, "render"):
                if article is None or workflow.can_edit(request.user, article):
                    adminform = response.context_data.get("adminform")
                    form = adminform.form if adminform is not None else None
                    response.context_data.update(self.autosave_context(request, article, form))
                response.render()
            return response
        finally:
            admin_mentions.current_request.reset(token)

    # --- Saving: one ordered function ------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing yet: `save_related` saves the row with its relations, in one order."""

    def save_related(self, request, form, formsets, change):
        """The story's save, read top to bottom in `editing.save_story`."""
        story = form.instance
        was_new = story.pk is None
        request.newsroom_edit = editing.save_story(
            story,
            by=request.user,
            fields=form.fields,
            base_version=form.cleaned_data.get("base_version"),
            save_relations=lambda: self.save_relations(request, form, formsets, change),
            choose_mentions=lambda saved: admin_mentions.chosen(request, saved),
        )
        self.clear_working_copy(request, story, was_new=was_new)

    def save_relations(self, request, form, formsets, change):
        story = form.instance
        hidden = []
        if change and not workflow.is_editor(request.user):
            # Related stories this user cannot see are not in their form: keep them.
            visible = workflow.stories_visible_to(request.user) | Article.objects.published()
            hidden = list(story.related.exclude(pk__in=visible.values("pk")))
        form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if hidden:
            story.related.add(*hidden)

    def log_change(self, request, obj, message):
        if _unchanged(request):
            return None  # nothing happened, so nothing for the admin's log either
        return super().log_change(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        admin_mentions.report(request, request.newsroom_edit.attached, self.message_user)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        admin_mentions.report(request, request.newsroom_edit.attached, self.message_user)
        if admin_mentions.ATTACH in request.POST:
            # Back to the same form, where the panel now shows what is left.
            return HttpResponseRedirect(request.get_full_path())
        if not _unchanged(request):
            return super().response_change(request, obj)
        self.message_user(request, f"Nothing to save: “{obj}” was already as shown.", messages.INFO)
        if "_continue" in request.POST:
            return HttpResponseRedirect(request.get_full_path())
        if "_addanother" in request.POST:
            return redirect("admin:articles_article_add")
        return self.response_post_save_change(request, obj)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        published = 0
        for article in queryset:
            try:
                workflow.publish(article, by=request.user)
            except TransitionNotAllowed as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(request, f"Published {published} stories.", messages.SUCCESS)


def _refusal(request) -> str | None:
    return getattr(request, "newsroom_refusal", None)


def _refusal_message(article) -> str:
    state = workflow.state_of(article).label.lower()
    return (
        f"“{article}” is {state} now, so only an editor can change it. Nothing was "
        "saved: your text is still below. Copy what you need, or ask an editor to "
        "send the story back to you."
    )


def _unchanged(request) -> bool:
    edit = getattr(request, "newsroom_edit", None)
    return edit is not None and not edit.changed


def _is_related_picker(request) -> bool:
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("model_name") == "article"
        and request.GET.get("field_name") == "related"
    )


@admin.register(DeletedStory)
class DeletedStoryAdmin(admin.ModelAdmin):
    """The record of deleted drafts, for editors: read, never changed."""

    list_display = ["headline", "state", "created_by", "deleted_by", "deleted_at"]
    list_select_related = ["created_by", "deleted_by"]
    search_fields = ["headline"]
    date_hierarchy = "deleted_at"
    readonly_fields = [
        "story_id",
        "headline",
        "state",
        "created_by",
        "created_at",
        "deleted_by",
        "deleted_at",
        "snapshot",
    ]

    def has_module_permission(self, request):
        return workflow.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
