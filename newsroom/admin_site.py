"""The newsroom's admin site: Django's, with a "view on site" shortcut that keeps secrets.

Django's shortcut (`/admin/r/<content type>/<id>/`, `admin:view_on_site`)
redirects any staff member to any object's `get_absolute_url()`, so it would
tell a journalist the address, and so the headline, of someone else's draft.
Here it first asks the object's ModelAdmin (or, for a model without one, the
user's view permission) and answers exactly as for an id that does not exist
when the user may not see the object.

Its header and the browser's title carry the publication's name
(NEWSROOM_PUBLICATION_NAME), read at each request.

It also carries the pages of two-factor sign-in (people/second_factor/), so
they sit in the admin's namespace, behind its login, with its look.

`newsroom.apps.NewsroomAdminConfig` makes this the default site, so
`admin.site` and `@admin.register` work as usual.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _


class NewsroomAdminSite(admin.AdminSite):
    # "Desk | <publication>" in the browser's tab, never the same word twice.
    index_title = "Desk"
    # The header, breadcrumbs and the desk's index lead everywhere; the sidebar's
    # 300 px are the story list's columns and the story form's side column at 1280 px.
    enable_nav_sidebar = False

    @property
    def site_header(self):
        return settings.NEWSROOM_PUBLICATION_NAME

    @property
    def site_title(self):
        return settings.NEWSROOM_PUBLICATION_NAME

    def get_urls(self):
        return self._second_factor_urls() + [
            self._guarded(url) if getattr(url, "name", None) == "view_on_site" else url
            for url in super().get_urls()
        ]

    def _second_factor_urls(self):
        # Imported here: this module loads before the apps whose models those views use.
        from people.second_factor import views

        pages = [
            ("", views.overview, "second-factor"),
            ("set-up/", views.set_up, "second-factor-set-up"),
            ("verify/", views.verify, "second-factor-verify"),
            ("backup-codes/", views.backup_codes, "second-factor-backup-codes"),
            ("remove/", views.remove, "second-factor-remove"),
        ]
        return [
            path(f"second-factor/{route}", self.admin_view(view), name=name)
            for route, view, name in pages
        ]

    def _guarded(self, url: URLPattern) -> URLPattern:
        """Django's own pattern (route, name, admin_view wrapping) with our view."""
        view = self.admin_view(self.view_on_site)
        view.admin_site, view.login_url = self, url.callback.login_url
        return URLPattern(url.pattern, view, name=url.name)

    def view_on_site(self, request, content_type_id, object_id):
        """Django's shortcut, for objects `request.user` may see; 404 for the others."""
        obj = self._object(content_type_id, object_id)
        if obj is not None and not self.may_view(request, obj):
            # Django's own words for a missing object, so nothing tells them apart.
            raise Http404(
                _("Content type %(ct_id)s object %(obj_id)s doesn’t exist")
                % {"ct_id": content_type_id, "obj_id": object_id}
            )
        model_admin = self._registry.get(type(obj)) if obj is not None else None
        if model_admin is not None and callable(model_admin.view_on_site):
            # The admin knows better than `get_absolute_url()` (a draft's preview).
            return redirect(model_admin.view_on_site(obj))
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def may_view(self, request, obj) -> bool:
        """The object's ModelAdmin decides (stories: `can_view`); else the view permission."""
        model_admin = self._registry.get(type(obj))
        if model_admin is not None:
            return model_admin.has_view_or_change_permission(request, obj)
        opts = obj._meta
        return any(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("view", "change")
        )

    @staticmethod
    def _object(content_type_id, object_id):
        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
            return model._base_manager.get(pk=object_id) if model else None
        except (ObjectDoesNotExist, ValueError):
            return None  # the shortcut itself answers 404
