"""Email about workflow events, sent by the task worker after the transition has committed.

Editors hear when a story is submitted; its authors when it is sent back (with
the note), scheduled or published. Mail goes through Django's EMAIL_BACKEND
(console by default, SMTP in production). A failing mail server is logged and
never reaches the transition: it has already committed when this runs.
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from newsroom.site import absolute

from .models import ArticleEvent

logger = logging.getLogger(__name__)
Action = ArticleEvent.Action

# The events somebody is emailed about (`_message` says who).
ACTIONS = frozenset(
    {Action.SUBMIT, Action.SEND_BACK, Action.SCHEDULE, Action.PUBLISH, Action.WENT_LIVE}
)


def editors():
    User = get_user_model()
    # Named, because with_perm needs one backend and the first (django-axes) holds
    # no permissions; ModelBackend is the one that knows groups.
    return User.objects.with_perm(
        "articles.publish_article", backend="django.contrib.auth.backends.ModelBackend"
    ).filter(is_active=True)


def authors(article):
    User = get_user_model()
    return User.objects.filter(
        Q(pk=article.created_by_id) | Q(person__bylines__article=article), is_active=True
    ).distinct()


def _admin_url(article):
    return absolute(reverse("admin:articles_article_change", args=[article.pk]))


def _message(event):
    """(recipients, subject, body) for an event, or None when nobody needs telling."""
    article = event.article
    by = (event.by.get_full_name() or event.by.get_username()) if event.by else "The newsroom"
    link = _admin_url(article)
    if event.action == Action.SUBMIT:
        return (
            editors(),
            f"For review: {article.headline}",
            f"{by} submitted “{article.headline}” for review.\n\n{link}\n",
        )
    if event.action == Action.SEND_BACK:
        return (
            authors(article),
            f"Sent back: {article.headline}",
            f"{by} sent “{article.headline}” back to you with this note:\n\n"
            f"{event.note}\n\n{link}\n",
        )
    if event.action == Action.SCHEDULE:
        when = timezone.localtime(article.published_at)
        return (
            authors(article),
            f"Scheduled: {article.headline}",
            f"{by} scheduled “{article.headline}” to go live on "
            f"{when:%d %B %Y at %H:%M} ({when.tzname()}).\n\n{link}\n",
        )
    if event.action in (Action.PUBLISH, Action.WENT_LIVE):
        public = absolute(article.get_absolute_url())
        return (
            authors(article),
            f"Published: {article.headline}",
            f"“{article.headline}” is live.\n\n{public}\n",
        )
    return None


def send(event_pk):
    """Send the email for one event; raises if the mail server refuses it.

    The outbox (articles/webhooks/outbox.py) calls this from the task worker,
    after commit, and retries it when it raises.
    """
    event = ArticleEvent.objects.select_related("article", "by").get(pk=event_pk)
    message = _message(event)
    if message is None:
        return
    users, subject, body = message
    recipients = sorted({user.email for user in users if user.email and user.pk != event.by_id})
    if not recipients:
        return
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def notify(event_pk):
    """Send the email for one event now, logging (never raising) a mail server's refusal."""
    try:
        send(event_pk)
    except (smtplib.SMTPException, OSError):
        # The decision stands; the people can still see it in the newsroom.
        logger.exception("Could not send workflow email for event %s", event_pk)
