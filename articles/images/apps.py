from django.apps import AppConfig


class ImagesConfig(AppConfig):
    """The image library: below the story code, which uses it and is never imported here."""

    name = "articles.images"
    label = "images"
    verbose_name = "Image library"

    def ready(self):
        from . import renditions  # noqa: F401  (deletes files once their rows are gone)
