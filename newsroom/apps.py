from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """django.contrib.admin, with `admin.site` an instance of our site."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
