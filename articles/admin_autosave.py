"""Autosave in the story form: the working-copy endpoint and what the form's script needs.

The endpoint answers JSON only, never a redirect: a signed-out page must be
told so (its script keeps the text and asks the person to sign in again in a
new tab), where the admin's own views would send it to the login form.
The rules: who may edit is `workflow.can_edit`; storing is `autosave.copies`.
"""

import json

from django.db.models import CharField, TextField
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import revisions, workflow
from .autosave import copies
from .autosave.models import WorkingCopy
from .models import Article

# Added to the "Add story" form by the script: which new story's copy a save discards.
DRAFT_FIELD = "autosave_draft"


def _answer(status, error, message):
    return JsonResponse({"error": error, "message": message}, status=status)


class AutosaveViews:
    """Mixed into `ArticleAdmin` for the endpoint's URLs and the form's context."""

    def get_urls(self):
        view = never_cache(csrf_protect(self.autosave_view))
        return [
            path("autosave/", view, name="articles_article_autosave_new"),
            path("<int:pk>/autosave/", view, name="articles_article_autosave"),
            *super().get_urls(),
        ]

    def autosave_view(self, request, pk=None):
        """POST: keep the form's fields as this person's working copy; DELETE: forget it.

        No revision, no event, no notification, and the story is not touched.
        """
        if request.method not in ("POST", "DELETE"):
            return _answer(405, "method", "Send the working copy with POST.")
        user = request.user
        if not (user.is_active and user.is_staff):
            return _answer(
                401,
                "signed_out",
                "You are signed out. Sign in again in a new tab; your text is kept.",
            )
        story, draft = None, ""
        if pk is None:
            try:
                draft = copies.clean_draft(request.GET.get("draft"))
            except copies.BadCopy as problem:
                return _answer(400, "bad_copy", f"The working copy was not kept: {problem}")
        else:
            story = Article.objects.filter(pk=pk).first()
            if story is None or not workflow.can_view(user, story):
                return _answer(404, "not_found", "No story matches the given query.")
            if not workflow.can_edit(user, story):
                state = workflow.state_of(story).label.lower()
                return _answer(
                    403,
                    "refused",
                    f"“{story}” is {state} now, so only an editor can change it.",
                )
        if pk is None and not self.has_add_permission(request):
            return _answer(403, "refused", "You may not start stories.")
        if request.method == "DELETE":
            copies.discard(user=user, story=story, draft=draft)
            return JsonResponse({"discarded": True})
        try:
            sent = json.loads(request.body)
            base_version = sent.get("base_version")
            if base_version is not None:
                base_version = int(base_version)
            copy = copies.keep(
                user=user,
                story=story,
                draft=draft,
                fields=sent.get("fields"),
                labels=sent.get("labels"),
                base_version=base_version,
            )
        except (ValueError, TypeError, AttributeError) as problem:
            reason = str(problem) if isinstance(problem, copies.BadCopy) else "It is not JSON."
            return _answer(400, "bad_copy", f"The working copy was not kept: {reason}")
        saved_at = timezone.localtime(copy.saved_at)
        return JsonResponse(
            {"saved_at": copy.saved_at.isoformat(), "saved_at_display": f"{saved_at:%H:%M:%S}"}
        )

    def autosave_context(self, request, article, form=None):
        """The script's settings (`json_script`), and on an edit conflict what differs."""
        if article is None:
            found = WorkingCopy.objects.new_stories_of(request.user)
            url = reverse("admin:articles_article_autosave_new")
        else:
            found = WorkingCopy.objects.of(request.user, article)
            url = reverse("admin:articles_article_autosave", args=[article.pk])
        return {
            "autosave": {
                "url": url,
                "user": request.user.pk,
                "story": article.pk if article is not None else None,
                "version": article.version if article is not None else None,
                "login_url": reverse("admin:login"),
                "copies": [
                    {
                        "draft": copy.draft,
                        "fields": copy.fields,
                        "labels": copy.labels,
                        "base_version": copy.base_version,
                        "saved_at": copy.saved_at.isoformat(),
                        "saved_at_display": f"{timezone.localtime(copy.saved_at):%H:%M on %d %B}",
                    }
                    for copy in found[:20]
                ],
            },
            "conflict_changes": conflict_changes(form, article),
        }

    def clear_working_copy(self, request, story, *, was_new):
        """A save made the working copy a revision: it is no longer needed."""
        copies.discard_saved(
            user=request.user,
            story=None if was_new else story,
            draft=request.POST.get(DRAFT_FIELD, ""),
            posted=request.POST,
        )


def _is_text(model_field) -> bool:
    return isinstance(model_field, (CharField, TextField)) and not model_field.choices


def conflict_changes(form, article):
    """After a refused stale save: the text fields where the form differs from the saved story."""
    if form is None or getattr(form, "conflict", None) is None or article is None:
        return None
    saved = Article.objects.get(pk=article.pk)
    texts = [f.name for f in Article.edited_fields() if _is_text(f) and f.name in form.fields]
    old = {name: getattr(saved, name) for name in texts}
    new = {name: form.data.get(form.add_prefix(name), "") for name in texts}
    return revisions.diff(old, new)
