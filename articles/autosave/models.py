"""A working copy: what one person last typed into a story's form, not yet saved.

It is not a revision and never touches the story: no version, no audit event,
no notification. Saving the form (the one door, `articles.editing.save_story`)
makes the revision; the admin then discards the copy.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class WorkingCopyQuerySet(models.QuerySet):
    def of(self, user, story=None, draft=""):
        """The copy `user` is typing into `story`'s form, or into new story `draft`."""
        if story is None:
            return self.filter(user=user, story=None, draft=draft)
        return self.filter(user=user, story=story)

    def new_stories_of(self, user):
        """`user`'s copies of stories not saved yet, newest first."""
        return self.filter(user=user, story=None)


class WorkingCopy(models.Model):
    """One per person per story; a story not yet saved has one per browser tab (`draft`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_copies"
    )
    story = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_copies",
        help_text="Empty for a story that has not been saved yet.",
    )
    draft = models.CharField(
        max_length=40,
        blank=True,
        help_text="Which new story, for one not saved yet: each browser tab starts its own.",
    )
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The story's version the form was opened at."
    )
    fields = models.JSONField(
        default=dict, help_text="The form's fields as typed: name → list of values."
    )
    labels = models.JSONField(
        default=dict, help_text="What the chosen options of pickers read: name → value → text."
    )
    saved_at = models.DateTimeField(auto_now=True)

    objects = WorkingCopyQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at"]
        verbose_name = "working copy"
        verbose_name_plural = "working copies"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "story"],
                condition=Q(story__isnull=False),
                name="one_working_copy_per_person_per_story",
            ),
            models.UniqueConstraint(
                fields=["user", "draft"],
                condition=Q(story__isnull=True),
                name="one_working_copy_per_person_per_new_story",
            ),
        ]

    def __str__(self):
        return f"{self.user}’s working copy of {self.story or 'a new story'}"

    def get_absolute_url(self):
        if self.story_id is None:
            return reverse("admin:articles_article_add")
        return reverse("admin:articles_article_change", args=[self.story_id])
