"""Previews: a story rendered with the public template, for its newsroom and for share links.

A share link carries a signed token: the story's id, the key of its current
`PreviewLink` and the time the link was made. It stops working when it expires
(NEWSROOM_SHARE_PREVIEW_HOURS, default 48), when the link is revoked or
regenerated (the key changes), and once the story is public it redirects there.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from newsroom.site import absolute

from . import workflow
from .models import Article, ArticleEvent, PreviewLink

Action = ArticleEvent.Action

SALT = "articles.share-preview"


class _SignerAt(signing.TimestampSigner):
    """Signs with a given time, so a link's token is the same every time it is shown."""

    def __init__(self, at, **kwargs):
        super().__init__(**kwargs)
        self.at = at

    def timestamp(self):
        return signing.b62_encode(int(self.at.timestamp()))


def share(article: Article, *, by) -> PreviewLink:
    """A new share link for the story; any earlier link stops working."""
    with transaction.atomic():
        PreviewLink.objects.filter(article=article).delete()
        link = PreviewLink.objects.create(article=article, created_by=by)
        workflow.record_event(article, Action.SHARE, by=by)
    return link


def revoke(article: Article, *, by) -> None:
    """The story's share link stops working."""
    with transaction.atomic():
        PreviewLink.objects.filter(article=article).delete()
        workflow.record_event(article, Action.UNSHARE, by=by)


def lifetime() -> timedelta:
    return timedelta(hours=settings.NEWSROOM_SHARE_PREVIEW_HOURS)


def token_for(link: PreviewLink) -> str:
    return _SignerAt(link.created_at, salt=SALT).sign_object({"a": link.article_id, "k": link.key})


def share_url(link: PreviewLink) -> str:
    return absolute(reverse("articles:shared-preview", args=[token_for(link)]))


def expires_at(link: PreviewLink):
    return link.created_at + lifetime()


def is_expired(link: PreviewLink, at=None) -> bool:
    return (at or timezone.now()) >= expires_at(link)


def render_preview(request, article, *, label="Preview", status=200):
    """The public story template, marked as a preview and kept out of caches and indexes."""
    response = TemplateResponse(
        request,
        "articles/article_preview.html",
        {"article": article, "object": article, "preview_label": label},
        status=status,
    )
    return mark_private(response)


def mark_private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def shared_preview(request, token):
    """A share link's page: the draft for anyone holding a live link, else 404.

    Template: articles/article_preview.html. After publication the link
    redirects to the public address.
    """
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=lifetime())
    except signing.BadSignature:  # also SignatureExpired
        raise Http404("This preview link has expired or is not valid.") from None
    link = get_object_or_404(
        PreviewLink.objects.select_related("article"), article_id=data["a"], key=data["k"]
    )
    article = link.article
    if article.is_published():
        return redirect(article)
    # Withdrawn now or on schedule; an embargoed story is what share links are for.
    if article.is_withdrawn():
        raise Http404("This story was withdrawn.")
    article = Article.objects.for_story_page().get(pk=article.pk)
    article.prefetch_renditions()
    return render_preview(request, article, label="Shared preview")
