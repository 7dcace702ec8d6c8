"""The image library in the admin: upload, describe, set the focal point, pick for a body.

The library knows nothing of what shows its pictures. The story code registers
a subclass of `ImageAdmin` (articles/admin_images.py) that adds "Used in", the
rules for pictures on live stories and the stories that protect a picture from
deletion, through the hooks marked below.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from taggit.models import Tag

from .library import store
from .models import Image
from .renditions import (
    JPEG,
    get_rendition,
    refresh_renditions,
    square_spec,
    width_specs,
)
from .uploads import check_upload

ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/avif"


def thumbnail_html(image, size=160):
    if image is None:
        return ""
    rendition = get_rendition(image, square_spec(image, size, JPEG))
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="library-thumbnail" loading="lazy">',
        rendition.url,
        min(size, 80),
        min(size, 80),
    )


def editor_preview(image):
    """A mid-size JPEG for the admin: the focal point picker and the body editor."""
    specs = width_specs(image, JPEG)
    return get_rendition(image, specs[min(2, len(specs) - 1)])


class ImageAdminForm(forms.ModelForm):
    # Who is saving: set by ImageAdmin.get_form, for `check_description`.
    user = None

    upload = forms.FileField(
        label="Picture",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text="JPEG, PNG, WebP or GIF. Stored without its metadata (location, "
        "camera) under a name that reveals nothing; caption and credit are read "
        "from it when you leave them blank.",
    )

    class Meta:
        model = Image
        fields = ["title", "alt_text", "caption", "credit", "source", "tags", "focal_x", "focal_y"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "alt_text": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "caption": forms.Textarea(attrs={"class": "vLargeTextField", "rows": 2}),
            "focal_x": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        if self.instance.pk:
            self.fields.pop("upload")
        else:
            self.fields["title"].required = False
            self.fields["title"].help_text += " Left blank, the file's name is used."

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        self.checked = check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.checked:
            for name in ("caption", "credit", "source"):
                if not cleaned.get(name) and getattr(self.checked, name):
                    cleaned[name] = getattr(self.checked, name)
            if not cleaned.get("title"):
                stem = cleaned["upload"].name.rsplit(".", 1)[0]
                cleaned["title"] = (
                    stem.replace("-", " ").replace("_", " ").strip()[:200] or "Untitled"
                )
        elif not self.instance.pk and "upload" not in self.errors:
            self.add_error("upload", "Choose a picture to upload.")
        if self.instance.pk:
            self.check_description(cleaned)
        return cleaned

    def check_description(self, cleaned):
        """Hook: refuse a change of an existing picture's description (add errors)."""


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing"), ("present", "Written")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(alt_text="")
        if self.value() == "present":
            return queryset.exclude(alt_text="")
        return queryset


class ImageTagFilter(admin.SimpleListFilter):
    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tags = Tag.objects.filter(taggit_taggeditem_items__content_type__model="image")
        return [(tag.slug, tag.name) for tag in tags.distinct().order_by("name")[:200]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """The library on its own; see the module docstring for what the story code adds."""

    form = ImageAdminForm
    list_display = ["thumbnail", "title", "credit", "has_alt_text", "dimensions", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [AltTextFilter, ImageTagFilter, "uploaded_at"]
    search_fields = ["title", "alt_text", "caption", "credit", "source", "tags__name"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    view_on_site = False  # the library is newsroom-only
    readonly_fields = ["focal_point_picker", "dimensions", "uploaded_by", "uploaded_at"]

    class Media:
        css = {"all": ["articles/admin/image-library.css"]}
        js = ["articles/admin/focal-point.js"]

    def get_fieldsets(self, request, obj=None):
        about = ["title", "alt_text", "caption", "credit", "source", "tags"]
        if obj is None:
            return [(None, {"fields": ["upload", *about]})]
        return [
            (None, {"fields": ["focal_point_picker", *about]}),
            ("Focal point", {"fields": ["focal_x", "focal_y"], "classes": ["collapse"]}),
            *self.usage_fieldsets(),
            ("File", {"fields": ["dimensions", "uploaded_by", "uploaded_at"]}),
        ]

    def usage_fieldsets(self):
        """Hook: fieldsets saying where the picture is used."""
        return []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description="")
    def thumbnail(self, image):
        return thumbnail_html(image)

    @admin.display(description="alt text", boolean=True)
    def has_alt_text(self, image):
        return bool(image.alt_text.strip())

    @admin.display(description="size")
    def dimensions(self, image):
        return f"{image.width} × {image.height} px"

    @admin.display(description="Picture")
    def focal_point_picker(self, image):
        preview = editor_preview(image)
        return format_html(
            '<div class="focal-point" data-focal-x="id_focal_x" data-focal-y="id_focal_y">'
            '<img src="{}" width="{}" height="{}" alt="{}" class="focal-point__image">'
            '<span class="focal-point__marker" aria-hidden="true"></span></div>'
            '<p class="help">Click the most important point of the picture: crops '
            "(social card, squares) keep it in view.</p>",
            preview.url,
            preview.width,
            preview.height,
            image.alt_text,
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The form's checks depend on who saves (pictures on live stories).
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
            store(form.checked, obj)
            return
        self.save_description(request, obj)
        if {"focal_x", "focal_y"} & set(form.changed_data):
            refresh_renditions(obj)

    def save_description(self, request, image):
        """Hook: save an existing picture's changed description."""
        image.save()

    def get_urls(self):
        return [
            path(
                "picker/", self.admin_site.admin_view(self.picker_view), name="images_image_picker"
            ),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """The body editor's "Browse…" window: choose a library picture for a figure."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = Image.objects.prefetch_related("renditions")
        term = request.GET.get("q", "").strip()
        if term:
            images = images.search(term)
        page = Paginator(images, 40).get_page(request.GET.get("page"))
        choices = [(image, editor_preview(image), thumbnail_html(image)) for image in page]
        return TemplateResponse(
            request,
            "admin/images/image/picker.html",
            {
                **self.admin_site.each_context(request),
                "title": "Choose a picture",
                "choices": choices,
                "page": page,
                "term": term,
                "func_num": request.GET.get("CKEditorFuncNum", ""),
                "opts": self.model._meta,
                "is_popup": True,
            },
        )
