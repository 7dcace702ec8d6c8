"""Staff accounts: who has acted in the newsroom, and removing someone without erasing them.

Deleting an account takes its name off everything it did (story authors,
history, revisions, uploads, the admin log: all `SET_NULL` or `CASCADE`) and,
through its Person, turns an author page into a 404. So an account that has
acted in the newsroom is deactivated, never deleted: it can no longer log in
(Django's backend refuses inactive users, so open sessions end too) and its
name stays where it was. Only an account that never acted, made by mistake,
may be deleted.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction

from articles.images.models import Image
from articles.models import Article, ArticleEvent, Byline, Revision

from .security.signals import act_as


def traces(user) -> list[str]:
    """What `user` has done in the newsroom, in words; empty if nothing.

    An account with traces cannot be deleted, only deactivated (`deactivate`).
    """
    found = [
        (Article.objects.filter(created_by=user), "started {} story", "started {} stories"),
        (
            Byline.objects.filter(person__user=user),
            "has a byline on {} story",
            "has bylines on {} stories",
        ),
        (
            ArticleEvent.objects.filter(by=user),
            "appears once in story histories",
            "appears {} times in story histories",
        ),
        (Revision.objects.filter(created_by=user), "saved {} revision", "saved {} revisions"),
        (
            Image.objects.filter(uploaded_by=user),
            "uploaded {} library picture",
            "uploaded {} library pictures",
        ),
        (
            LogEntry.objects.filter(user=user),
            "has {} entry in the admin log",
            "has {} entries in the admin log",
        ),
    ]
    return [
        (one if number == 1 else many).format(number)
        for queryset, one, many in found
        if (number := queryset.count())
    ]


def deactivate(users, *, by) -> list:
    """Deactivate every active account in `users` but `by`'s own; return those changed.

    They can no longer log in, and their open sessions stop working; their name
    stays on their bylines, author page and story history. Undone by ticking
    "Active" again.
    """
    changed = list(
        get_user_model().objects.filter(pk__in=users.values("pk"), is_active=True).exclude(pk=by.pk)
    )
    with transaction.atomic():
        for user in changed:
            act_as(user, by)
            user.is_active = False
            user.save(update_fields=["is_active"])
    return changed
