from django import forms
from django.urls import reverse
from taggit.forms import TagWidget

from .images import publication_problems
from .models import Article, Status
from .sanitize import clean_body


class TagSuggestionWidget(TagWidget):
    """taggit's comma-separated input, with suggestions from existing tags.

    The suggestions come from the admin's own autocomplete endpoint, so they
    obey the same permissions and search fields as every other picker.
    """

    template_name = "articles/widgets/tag_suggestions.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = f"{widget_attrs.get('id', name)}-suggestions"
        widget_attrs["data-suggestions-url"] = reverse("admin:autocomplete")
        widget_attrs["data-suggestions-field"] = "articles.article.tags"
        widget_attrs["autocomplete"] = "off"
        return context

    class Media:
        js = ["articles/admin/tag-suggestions.js"]


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"
        wide = forms.TextInput(attrs={"class": "vLargeTextField"})
        widgets = {
            "headline": wide,
            "standfirst": forms.Textarea(attrs={"class": "vLargeTextField", "rows": 3}),
            "seo_title": wide,
            "seo_description": wide,
            "tags": TagSuggestionWidget(attrs={"class": "vLargeTextField"}),
        }

    def clean(self):
        cleaned = super().clean()
        # A published story stays publishable: its pictures keep their alt text.
        if self.instance.status == Status.PUBLISHED:
            problems = publication_problems(
                lead_image=cleaned.get("lead_image"), body=clean_body(cleaned.get("body"))
            )
            for problem in problems:
                self.add_error("lead_image" if "lead image" in problem else "body", problem)
        return cleaned
