"""The Content-Security-Policy nonce, for admin forms whose widgets need one.

The policy (CONTENT_SECURITY_POLICY in the settings, sent by django-csp) allows
no inline script. django-prose-editor's widget writes its import map inline
(`<script type="importmap">`), which Django 5.2's admin renders through
`{{ media }}` with no nonce. That media is django-js-asset's `Media`, which puts
a nonce on every tag it renders: the mixin below gives it the request's.
django-csp adds the nonce to the header only when a page used it, so public
pages, which never do, are the same for every reader and the page cache may keep
them whole (it never keeps a page that used one: newsroom/pagecache/middleware.py).
"""

from js_asset import Media


def with_request_nonce(media, request):
    """`media` carrying the request's nonce, if it is media that can carry one."""
    if isinstance(media, Media):
        return media.with_nonce(request.csp_nonce)
    return media


class NonceFormMediaMixin:
    """For a ModelAdmin whose change form has a widget with inline script."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = with_request_nonce(context.get("media"), request)
        return super().render_change_form(request, context, *args, **kwargs)
