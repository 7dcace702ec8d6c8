"""The "Mentioned in this story" panel on the story form.

The panel lists the people, organisations and countries the saved story names
but is not yet attached to. Each "Attach" button (and "Attach all") is a
submit button of the story form itself: the story admin saves what the
journalist typed, then attaches what was chosen (`chosen`), in one save. A
separate attach URL would throw away unsaved edits; this way nothing is lost,
the change permission and CSRF check are the change form's own, and the panel
is refreshed from the saved story.

With NEWSROOM_AUTO_ATTACH_MENTIONS on, every save attaches everything found.
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import get_text_list

from .mentions import unattached_mentions

ATTACH = "_attach_mention"
ATTACH_ALL = "all"
FIELDSET = ("Mentioned in this story", {"fields": ["link_mentions", "mentions_panel"]})

# The panel is rendered by a read-only field, which gets the story but not the
# request; it needs the request to know whether to offer buttons.
current_request = ContextVar("mentions_panel_request", default=None)


def panel_html(article, *, can_attach: bool) -> str:
    mentions = unattached_mentions(article) if article.pk else []
    rows = [
        {
            "mention": mention,
            "kind": mention.entity._meta.verbose_name,
            "admin_url": reverse(f"admin:people_{mention.kind}_change", args=[mention.pk]),
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


def chosen(request, article):
    """The mentions this save should attach, read from the saved story."""
    wanted = request.POST.getlist(ATTACH)
    auto = getattr(settings, "NEWSROOM_AUTO_ATTACH_MENTIONS", False)
    if not wanted and not auto:
        return []
    found = unattached_mentions(article)
    if auto or ATTACH_ALL in wanted:
        return found
    return [mention for mention in found if mention.value in wanted]


def report(request, attached, message_user) -> None:
    """Tell the journalist what "Attach" did."""
    if attached:
        names = get_text_list([mention.entity.name for mention in attached], "and")
        message_user(request, f"Attached {names} to the story.", messages.SUCCESS)
    elif ATTACH in request.POST:
        message_user(
            request,
            "Nothing attached: the story no longer mentions that, or it is attached already.",
            messages.WARNING,
        )
