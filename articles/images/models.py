"""The image library's models: a picture, stored re-encoded and stripped of metadata,
and its renditions.

Uploads are checked and cleaned in `uploads.py`, renditions made in
`renditions.py`. Nothing here knows what shows a picture: the story code asks
(`Article.objects.showing(image)`), the library never imports it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from taggit.managers import TaggableManager

from . import image_path


class ImageQuerySet(models.QuerySet):
    def search(self, term):
        return self.filter(
            Q(title__icontains=term)
            | Q(caption__icontains=term)
            | Q(credit__icontains=term)
            | Q(alt_text__icontains=term)
        )


class Image(models.Model):
    """A picture in the library, stored re-encoded and stripped of metadata."""

    file = models.FileField(upload_to=image_path, editable=False)
    title = models.CharField(
        max_length=200, help_text="For finding the picture in the library; readers never see it."
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="Describe the picture for readers who cannot see it. "
        "Required before the picture can appear on a published story.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        "credit / copyright",
        max_length=200,
        blank=True,
        help_text="Photographer and agency, e.g. “Jane Doe / Reuters”.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the picture came from, and any terms of use.",
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    has_transparency = models.BooleanField(default=False, editable=False)
    focal_x = models.FloatField(
        "focal point (across)",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Click the picture to set the point crops keep in view.",
    )
    focal_y = models.FloatField(
        "focal point (down)", default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    tags = TaggableManager(blank=True, help_text="Topics, e.g. “parliament”, “portrait”.")

    objects = ImageQuerySet.as_manager()

    class Meta:
        # The table of the days when the library was part of `articles`.
        db_table = "articles_image"
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "image"
        verbose_name_plural = "images"
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside_the_picture",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # The library is newsroom-only: an image has no public page of its own.
        return reverse("admin:images_image_change", args=[self.pk])


class Rendition(models.Model):
    """One stored derivative of a library image, made from the cleaned original."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=64)
    file = models.FileField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "articles_rendition"
        ordering = ["image", "spec"]
        verbose_name = "rendition"
        verbose_name_plural = "renditions"
        constraints = [
            models.UniqueConstraint(fields=["image", "spec"], name="one_file_per_rendition_spec")
        ]

    def __str__(self):
        return f"{self.image} ({self.spec})"

    def get_absolute_url(self):
        return self.file.url

    @property
    def url(self):
        return self.file.url
