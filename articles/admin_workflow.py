"""The story admin's workflow: permissions per story, transition buttons, history,
revisions, previews and share links.

Views here handle HTTP only; the rules live in `workflow.py` and `revisions.py`.
Every view answers 404 to a user who may not open the story, as the public site
does, so a side door never confirms that a draft exists.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from . import editing, previews, revisions, workflow
from .models import Article, Correction, PreviewLink, Revision
from .workflow import State, TransitionNotAllowed


def state_badge(article):
    state = workflow.state_of(article)
    # Coloured by static/newsroom/admin.css: the CSP allows no style attribute.
    return format_html(
        '<span class="story-state" data-state="{}">{}</span>', state.value, state.label
    )


class StateListFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == State.SCHEDULED:
            return queryset.scheduled(at=now)
        if value == State.PUBLISHED:
            return queryset.published(at=now)
        if value == State.EMBARGOED:
            return queryset.embargoed(at=now)
        if value == State.WITHDRAWN:
            return queryset.withdrawn(at=now)
        if value in State.values:
            return queryset.filter(status=value)
        return queryset


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class WorkflowViews:
    """The story admin's pages beside the form: transitions, history, previews, sharing.

    Mixed into `ArticleAdmin` for its URLs only; the form and its save are
    `ArticleAdmin`'s own.
    """

    # --- The story page ----------------------------------------------------------------

    def workflow_context(self, request, article):
        events = list(article.events.select_related("by").order_by("-at", "-pk")[:8])
        last_note = workflow.sent_back_note(article)
        link = PreviewLink.objects.filter(article=article).first()
        now = timezone.now()
        return {
            "workflow": {
                "state": workflow.state_of(article, now),
                "withdrawal_due": article.withdraws_at
                if article.withdraws_at and article.withdraws_at > now
                else None,
                "withdrawal_note": article.withdrawal_note(),
                "badge": state_badge(article),
                "allowed": workflow.allowed_transitions(request.user, article),
                "events": events,
                "revisions": article.revisions.select_related("created_by")[:5],
                "last_note": last_note,
                "time_zone": settings.TIME_ZONE,
                "now": timezone.localtime(),
                "correction_kinds": Correction.Kind.choices,
                "share_link": link,
                "share_url": previews.share_url(link) if link else None,
                "share_expires_at": previews.expires_at(link) if link else None,
                "share_expired": previews.is_expired(link) if link else False,
                "can_share": workflow.can_view(request.user, article)
                and not article.is_published(),
            }
        }

    # --- Secondary views ------------------------------------------------------------------

    def get_urls(self):
        def view(func):
            return self.admin_site.admin_view(func)

        return [
            path(
                "<int:pk>/workflow/<str:name>/",
                view(self.transition_view),
                name="articles_article_transition",
            ),
            path("<int:pk>/preview/", view(self.preview_view), name="articles_article_preview"),
            path("<int:pk>/share/", view(self.share_view), name="articles_article_share"),
            path(
                "<int:pk>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:version>/",
                view(self.revision_view),
                name="articles_article_revision",
            ),
            path(
                "<int:pk>/revisions/<int:version>/preview/",
                view(self.revision_preview_view),
                name="articles_article_revision_preview",
            ),
            path(
                "<int:pk>/revisions/<int:version>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _story(self, request, pk):
        """The story, if this user may open it; otherwise 404, as if it did not exist."""
        article = get_object_or_404(Article, pk=pk)
        if not workflow.can_view(request.user, article):
            raise Http404("No story matches the given query.")
        return article

    def _back(self, article):
        return redirect("admin:articles_article_change", article.pk)

    def transition_view(self, request, pk, name):
        return require_POST(self._transition)(request, pk, name)

    def _transition(self, request, pk, name):
        article = self._story(request, pk)
        if name not in workflow.TRANSITIONS:
            raise Http404("No such transition.")
        try:
            # Who may is answered before what was typed is read: a crafted request
            # from someone who may not gets its 403 whatever it holds.
            workflow.check(name, request.user, article)
            kwargs = self._transition_arguments(request, name)
            event = getattr(workflow, name)(article, by=request.user, **kwargs)
        except workflow.PermissionRefused as refusal:
            raise PermissionDenied(str(refusal)) from None
        except TransitionNotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(
                request, f"“{article}”: {event.get_action_display().lower()}.", messages.SUCCESS
            )
        return self._back(article)

    def _transition_arguments(self, request, name):
        post = request.POST
        if name == "send_back":
            return {"note": post.get("note", "")}
        if name == "withdraw":
            return {"reason": post.get("reason", "")}
        if name == "add_correction":
            return {"text": post.get("text", ""), "kind": post.get("kind", "correction")}
        if name == "mark_updated":
            return {"note": post.get("note", "")}
        if name == "publish" and post.get("at"):
            return {"at": self._time(post["at"])}
        if name == "embargo":
            return {"until": self._time(post["until"]) if post.get("until") else None}
        if name == "schedule_withdrawal":
            return {
                "at": self._time(post["at"]) if post.get("at") else None,
                "reason": post.get("reason", ""),
            }
        return {}

    def _time(self, text):
        form = ScheduleForm({"at": text})
        if not form.is_valid():
            raise TransitionNotAllowed(f"“{text}” is not a date and time; nothing was changed.")
        return form.cleaned_data["at"]

    def preview_view(self, request, pk):
        article = self._story(request, pk)
        article = Article.objects.for_story_page().get(pk=article.pk)
        article.prefetch_renditions()
        return previews.render_preview(request, article)

    def share_view(self, request, pk):
        return require_POST(self._share)(request, pk)

    def _share(self, request, pk):
        article = self._story(request, pk)
        if request.POST.get("action") == "revoke":
            previews.revoke(article, by=request.user)
            message = "Share link revoked."
        else:
            previews.share(article, by=request.user)
            message = "New share link made; old links no longer work."
        self.message_user(request, message, messages.SUCCESS)
        return self._back(article)

    def revisions_view(self, request, pk):
        """The audit trail and every revision of one story."""
        article = self._story(request, pk)
        return TemplateResponse(
            request,
            "admin/articles/article/revisions.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "title": f"History of “{article}”",
                "badge": state_badge(article),
                "events": article.events.select_related("by").order_by("-at", "-pk"),
                "revisions": article.revisions.select_related("created_by"),
            },
        )

    def _revision(self, request, pk, version):
        article = self._story(request, pk)
        return article, get_object_or_404(Revision, article=article, version=version)

    def revision_view(self, request, pk, version):
        """One revision, with what changed between it and the current version."""
        article, revision = self._revision(request, pk, version)
        current = revisions.snapshot(article)
        response = TemplateResponse(
            request,
            "admin/articles/article/revision.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": article,
                "title": f"Version {revision.version} of “{article}”",
                "revision": revision,
                "is_current": revision.version == article.version,
                "changes": revisions.diff(revision.snapshot, current),
                "can_restore": workflow.can_edit(request.user, article)
                and revision.version != article.version,
            },
        )
        return previews.mark_private(response)

    def revision_preview_view(self, request, pk, version):
        article, revision = self._revision(request, pk, version)
        return previews.render_preview(
            request, revisions.preview_article(revision), label=f"Preview of version {version}"
        )

    def restore_view(self, request, pk, version):
        return require_POST(self._restore)(request, pk, version)

    def _restore(self, request, pk, version):
        article, revision = self._revision(request, pk, version)
        try:
            edit = editing.restore(revision, by=request.user)
        except workflow.PermissionRefused as refusal:
            raise PermissionDenied(str(refusal)) from None
        if edit.changed:
            self.message_user(
                request,
                f"Version {version} restored; it is now version {edit.story.version}.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, f"Version {version} is the same as the current text.", messages.INFO
            )
        return self._back(article)
