from django.contrib.admin.apps import AdminConfig
from taggit.apps import TaggitAppConfig


class NewsroomAdminConfig(AdminConfig):
    """django.contrib.admin, with `admin.site` an instance of our site."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"


class TagsConfig(TaggitAppConfig):
    """django-taggit, headed "Tags" on the admin index rather than its package name."""

    verbose_name = "Tags"
