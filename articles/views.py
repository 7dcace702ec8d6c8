from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from people.models import Person, Role

from .models import Article, Section, Status


class HomeView(ListView):
    """The front page: the latest public stories."""

    template_name = "articles/home.html"
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().for_listing().newest_first()[:20]


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("section", "lead_image")
            .with_bylines()
            .prefetch_related(
                "lead_image__renditions",
                "tags",
                "organisations",
                "countries",
                "corrections",
                Prefetch(
                    "people",
                    queryset=Person.objects.prefetch_related(
                        Prefetch("roles", queryset=Role.objects.select_related("organisation"))
                    ),
                ),
            )
        )

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # A withdrawn story says so (410 Gone); anything else not public is
            # indistinguishable from a story that never existed.
            if Article.objects.filter(slug=kwargs["slug"], status=Status.WITHDRAWN).exists():
                return TemplateResponse(request, "articles/article_gone.html", status=410)
            raise
        # A story has one address; any other date in the URL is sent there.
        if request.path != self.object.get_absolute_url():
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))


class TopicStoryListView(ListView):
    """Public stories about one topic (a section, tag, person…), newest first."""

    paginate_by = 20
    context_object_name = "articles"

    def get_topic(self):
        raise NotImplementedError

    def stories(self, topic):
        raise NotImplementedError

    def get_queryset(self):
        self.topic = self.get_topic()
        return self.stories(self.topic).published().for_listing().newest_first().distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


class SectionView(TopicStoryListView):
    template_name = "articles/section_detail.html"

    def get_topic(self):
        return get_object_or_404(Section, slug=self.kwargs["slug"])

    def stories(self, section):
        return Article.objects.in_section(section)


class TagView(TopicStoryListView):
    template_name = "articles/tag_detail.html"

    def get_topic(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def stories(self, tag):
        return Article.objects.filter(tags=tag)
