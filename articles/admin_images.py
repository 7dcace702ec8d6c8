"""The image library's admin, as the story code extends it: "Used in", pictures on
live stories (articles/pictures.py), and the stories that protect a picture.

Replaces the library's own registration, as articles/admin_tags.py does for
taggit's tags.
"""

from contextvars import ContextVar

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from . import pictures, workflow
from .images.admin import ImageAdmin, ImageAdminForm, thumbnail_html  # noqa: F401
from .images.models import Image
from .models import Article

# "Used in" is a read-only field, which gets the image but not the request; it
# needs the request to list only the stories the user may know of.
_request = ContextVar("image_admin_request", default=None)


class StoryImageForm(ImageAdminForm):
    def check_description(self, cleaned):
        """Published and scheduled stories show this picture: alt text, and editors only."""
        live = list(pictures.live_stories(self.instance))
        if not live:
            return
        if not (cleaned.get("alt_text") or "").strip():
            self.add_error(
                "alt_text",
                ValidationError(
                    "Published or scheduled stories show this picture (%(stories)s): "
                    "it needs alt text.",
                    code="alt_text_required",
                    params={"stories": pictures.live_stories_named(self.user, self.instance, live)},
                ),
            )
        before = pictures.described(self.instance)
        after = {name: cleaned.get(name, value) for name, value in before.items()}
        changes = pictures.reader_changes(before, after)
        if reason := pictures.refusal(self.user, self.instance, changes, live):
            self.add_error(None, ValidationError(reason, code="editors_only"))


class StoryImageAdmin(ImageAdmin):
    form = StoryImageForm
    readonly_fields = [*ImageAdmin.readonly_fields, "usage_list", "portrait_usage"]

    def usage_fieldsets(self):
        return [("Used in", {"fields": ["usage_list", "portrait_usage"]})]

    @admin.display(description="People and organisations")
    def portrait_usage(self, image):
        """Whose photo or logo it is: deleting it takes it off their page."""
        shown_by = [
            *((person, "photo") for person in image.photo_of.all()),
            *((organisation, "logo") for organisation in image.logo_of.all()),
        ]
        if not shown_by:
            return "Nobody’s photo or logo."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse(f"admin:people_{entity._meta.model_name}_change", args=[entity.pk]),
                        entity,
                        role,
                    )
                    for entity, role in shown_by
                ),
            ),
        )

    @admin.display(description="Stories")
    def usage_list(self, image):
        request = _request.get()
        user = request.user if request else None
        stories = list(pictures.usage_visible_to(user, image).order_by("-pk"))
        if not stories:
            # The same words whether or not stories the user may not see use it.
            if workflow.is_editor(user):
                return "Not used in any story."
            return "Not used in any story you can see."
        openable = set(
            workflow.stories_visible_to(user, Article.objects.showing(image)).values_list(
                "pk", flat=True
            )
        )

        def link(story):
            if story.pk in openable:
                return reverse("admin:articles_article_change", args=[story.pk])
            return story.get_absolute_url()  # public, but not the user's to open

        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                ((link(s), s.headline, workflow.state_of(s).label) for s in stories),
            ),
        )

    def changeform_view(self, request, *args, **kwargs):
        token = _request.set(request)
        try:
            response = super().changeform_view(request, *args, **kwargs)
            # Rendered here, while "Used in" can still see the request.
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _request.reset(token)

    def save_description(self, request, image):
        # Checked again under lock, and recorded on live stories (articles/pictures.py).
        pictures.save_picture(image, by=request.user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, _ = super().get_deleted_objects(objs, request)
        # Only stories protect a picture: PROTECT on lead images, and body figures
        # (references in text). `showing()` finds both, so the list is built here,
        # naming only the stories the user may know of.
        protected = []
        for image in objs:
            known = list(pictures.usage_visible_to(request.user, image))
            protected += [f"Story: {story} (uses “{image}”)" for story in known]
            others = Article.objects.showing(image).exclude(pk__in=[story.pk for story in known])
            if others.exists():
                # Deletion must still be refused; how many, and which, stays unsaid.
                label = "Other stories" if known else "Stories"
                protected.append(f"{label} you cannot open use “{image}”.")
        return deleted, counts, perms_needed, protected


admin.site.unregister(Image)
admin.site.register(Image, StoryImageAdmin)
