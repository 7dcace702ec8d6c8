"""The tag admin, in place of taggit's, which listed every tagged object.

taggit's own `TagAdmin` shows each tag with an inline of everything tagged with
it, so any staff member could read the headline of any draft, and its "Merge
selected tags" action was offered to anyone who could see the list. Ours keeps
taggit's list, search and merge (editors only) and shows a tag, in the list,
the story form's suggestions (the admin autocomplete reads `get_queryset`) and
its own page, only to someone who may know the stories that use it.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.shortcuts import redirect
from taggit import admin as taggit_admin  # registers taggit's TagAdmin, replaced below
from taggit.forms import MergeTagsForm
from taggit.models import Tag, TaggedItem

from . import search, workflow
from .images.models import Image
from .models import Article, TaggedStory


def stories_known_to(user, stories=None):
    """The stories `user` may know of in the newsroom: those they may open, and public ones."""
    stories = Article.objects.all() if stories is None else stories
    if workflow.is_editor(user):
        return stories
    may_open = workflow.stories_visible_to(user).values("pk")
    public = Article.objects.published().values("pk")
    return stories.filter(Q(pk__in=may_open) | Q(pk__in=public))


def used_on(objects):
    """Matches tags used on at least one of `objects` (stories or pictures)."""
    if objects.model is Article:
        links = TaggedStory.objects.filter(content_object__in=objects.values("pk"))
    else:
        links = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(objects.model),
            object_id__in=objects.values("pk"),
        )
    return Exists(links.filter(tag=OuterRef("pk")))


def merge_tags(tags, into):
    """Put tag `into` on every story and picture carrying one of `tags`, in their place.

    taggit's own merge knows only its generic rows, which stories no longer use.
    """
    tags = tags.exclude(pk=into.pk)
    with transaction.atomic():
        stories = TaggedStory.objects.filter(tag__in=tags)
        retagged = list(stories.values_list("content_object_id", flat=True))
        _merge_links(stories, into, ["content_object"])
        _merge_links(TaggedItem.objects.filter(tag__in=tags), into, ["content_type", "object_id"])
        search.index_stories(retagged)


def _merge_links(links, into, owner):
    """Point `links` at `into`, keeping one link per owner (the fields naming what is tagged)."""
    same_owner = {field: OuterRef(field) for field in owner}
    first = links.filter(**same_owner).order_by("pk")
    already = links.model.objects.filter(tag=into, **same_owner)
    links.filter(pk=Subquery(first.values("pk")[:1])).exclude(Exists(already)).update(tag=into)
    links.delete()  # what is left: a second link to the same story or picture


def tags_visible_to(user, tags=None):
    """The tags `user` may see: editors all; others those on stories they may know of
    (`stories_known_to`) or, with the image library, on its pictures.

    A tag used only on someone else's draft stays hidden: its name alone could
    give the story away.
    """
    tags = Tag.objects.all() if tags is None else tags
    if workflow.is_editor(user):
        return tags
    visible = Q(used_on(stories_known_to(user)))
    if user.has_perm("images.view_image"):
        visible |= Q(used_on(Image.objects.all()))
    return tags.filter(visible)


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(taggit_admin.TagAdmin):
    inlines = []
    fields = ["name", "slug"]
    change_form_template = "admin/taggit/tag/change_form.html"
    actions = ["render_tag_form"]

    def get_queryset(self, request):
        return tags_visible_to(request.user, super().get_queryset(request))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        tag = self.get_object(request, unquote(object_id))
        if tag is not None:
            extra_context = {**(extra_context or {}), "usage": self.usage(request, tag)}
        return super().change_view(request, object_id, form_url, extra_context)

    def usage(self, request, tag):
        """The stories (newest first) and pictures using `tag` that this user may know of."""
        stories = stories_known_to(request.user, Article.objects.filter(tags=tag))
        may_open = set(
            workflow.stories_visible_to(request.user, stories).values_list("pk", flat=True)
        )
        pictures = Image.objects.none()
        if request.user.has_perm("images.view_image"):
            pictures = Image.objects.filter(tags=tag).order_by("-pk")
        return {
            "stories": [(story, story.pk in may_open) for story in stories.newest_first()[:100]],
            "pictures": list(pictures[:100]),
        }

    # Merging rewrites other people's stories' tags: editors only.

    @admin.action(description="Merge selected tags", permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        # A tag chosen, then deleted by someone else before the merge: taggit
        # would look it up and fail.
        chosen = [
            pk for pk in request.session.get("selected_tag_ids", "").split(",") if pk.isdigit()
        ]
        existing = {
            str(pk) for pk in Tag.objects.filter(pk__in=chosen).values_list("pk", flat=True)
        }
        request.session["selected_tag_ids"] = ",".join(pk for pk in chosen if pk in existing)
        if not request.session["selected_tag_ids"]:
            self.message_user(request, "Select the tags to merge first.", messages.WARNING)
            return redirect("admin:taggit_tag_changelist")
        form = MergeTagsForm(request.POST) if request.method == "POST" else None
        if form is None or not form.is_valid():
            return super().merge_tags_view(request)  # the form, or taggit's error message
        into, _ = Tag.objects.get_or_create(name=form.cleaned_data["new_tag_name"])
        merge_tags(Tag.objects.filter(pk__in=existing), into)
        self.message_user(request, "Tags have been merged", messages.SUCCESS)
        request.session.pop("selected_tag_ids", None)
        return redirect("..")

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Deleting a tag would silently retag stories readers have seen.
        for tag in objs:
            kept = Article.objects.on_the_record().filter(tags=tag)
            if kept.exists():
                protected.append(
                    f"“{tag}” is on {kept.count()} published or withdrawn "
                    "stories: merge it into another tag instead, so they keep one."
                )
        return deleted, counts, perms_needed, protected
