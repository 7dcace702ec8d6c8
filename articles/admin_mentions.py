"""The "Mentioned in this story" panel on the story form.

A mixin, so ArticleAdmin only lists it among its bases. The panel lists the
people, organisations and countries the saved story names but is not yet
attached to. Each "Attach" button (and "Attach all") is a submit button of the
story form itself: it saves what the journalist typed, then attaches. A
separate attach URL would throw away unsaved edits; this way nothing is lost,
the change permission and CSRF check are the change form's own, and the panel
is refreshed from the saved story.

With NEWSROOM_AUTO_ATTACH_MENTIONS on, every save attaches everything found.
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import display
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import get_text_list

from .mentions import attach, unattached_mentions

ATTACH = "_attach_mention"
ATTACH_ALL = "all"

# The panel is rendered by a read-only field, which gets the story but not the
# request; it needs the request to know whether to offer buttons.
_request = ContextVar("mentions_panel_request", default=None)


class MentionsAdminMixin:
    mentions_fieldset = "Mentioned in this story"

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        present = set(flatten_fieldsets(fieldsets))
        fields = [name for name in ["link_mentions", "mentions_panel"] if name not in present]
        if not fields:
            return fieldsets
        # Right after the people/organisations/countries pickers, where a
        # journalist looks for them.
        position = next(
            (i + 1 for i, (_, options) in enumerate(fieldsets) if "people" in options["fields"]),
            len(fieldsets),
        )
        fieldsets.insert(position, (self.mentions_fieldset, {"fields": fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if "mentions_panel" in readonly else [*readonly, "mentions_panel"]

    def changeform_view(self, request, *args, **kwargs):
        token = _request.set(request)
        try:
            response = super().changeform_view(request, *args, **kwargs)
            # Rendered here, while the panel can still see the request.
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _request.reset(token)

    @display(description="Not yet attached")
    def mentions_panel(self, article):
        request = _request.get()
        can_attach = request is not None and self.has_change_permission(request, article)
        mentions = unattached_mentions(article) if article.pk else []
        rows = [
            {
                "mention": mention,
                "kind": mention.entity._meta.verbose_name,
                "admin_url": reverse(
                    f"admin:people_{mention.kind}_change", args=[mention.pk]
                ),
            }
            for mention in mentions
        ]
        return render_to_string(
            "admin/articles/mentions_panel.html",
            {
                "article": article,
                "rows": rows,
                "can_attach": can_attach,
                "attach": ATTACH,
                "attach_all": ATTACH_ALL,
            },
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        chosen = request.POST.getlist(ATTACH)
        auto = getattr(settings, "NEWSROOM_AUTO_ATTACH_MENTIONS", False)
        if not chosen and not auto:
            return
        found = unattached_mentions(form.instance)
        if not (auto or ATTACH_ALL in chosen):
            found = [mention for mention in found if mention.value in chosen]
        attached = attach(form.instance, found)
        if attached:
            names = get_text_list([mention.entity.name for mention in attached], "and")
            self.message_user(request, f"Attached {names} to the story.", messages.SUCCESS)
        elif chosen:
            self.message_user(
                request,
                "Nothing attached: the story no longer mentions that, or it is "
                "attached already.",
                messages.WARNING,
            )

    def response_change(self, request, obj):
        if ATTACH in request.POST:
            # Back to the same form, where the panel now shows what is left.
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)
