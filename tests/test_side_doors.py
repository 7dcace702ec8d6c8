"""No side door of the admin shows a journalist someone else's draft.

A second journalist writes a draft with a unique headline, a unique tag and
their own byline. The first journalist must never see any of them: not through
the "view on site" shortcut, the tag admin, the story list's filters, the tag
suggestions or the dashboard. A page that would confirm the draft exists
answers exactly as it does for an id that does not exist. The editor sees it all.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles.models import FormerSlug
from tests.factories import make_article, make_author, make_editor, make_image, make_journalist

pytestmark = pytest.mark.django_db

HEADLINE = "Narwhal exclusive: the minister's secret memo"
TAG = "narwhal memo"
RIVAL = "Rowena Rival"


@pytest.fixture
def newsroom():
    journalist = make_journalist()
    rival = make_journalist(first_name="Rowena", last_name="Rival")
    draft = make_article(
        HEADLINE,
        status="draft",
        created_by=rival,
        authors=[make_author(rival)],
        tags=[TAG, "defence"],
    )
    own = make_article("My own draft", status="draft", created_by=journalist, tags=["my beat"])
    public = make_article("Roadmap signed", tags=["defence", "roadmap"])
    picture = make_image("Parade")
    picture.tags.set(["parade"])
    return {
        "journalist": journalist,
        "draft": draft,
        "own": own,
        "public": public,
        "picture": picture,
    }


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def journalist(newsroom):
    return logged_in(newsroom["journalist"])


@pytest.fixture
def editor(newsroom):
    return logged_in(make_editor())


def shortcut(obj, pk=None):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, pk or obj.pk])


# --- The "view on site" shortcut ---------------------------------------------------


def test_the_view_on_site_shortcut_answers_404_for_someone_elses_draft(newsroom, journalist):
    draft = newsroom["draft"]

    response = journalist.get(shortcut(draft))

    assert response.status_code == 404
    assert draft.slug not in response.content.decode()


def test_the_view_on_site_shortcut_answers_as_for_a_story_that_does_not_exist(newsroom, journalist):
    draft = newsroom["draft"]
    missing = draft.pk + 1000

    hidden = journalist.get(shortcut(draft))
    absent = journalist.get(shortcut(draft, pk=missing))

    assert hidden.content == absent.content


def test_the_view_on_site_shortcut_gives_the_same_reason_as_for_a_story_that_does_not_exist(
    newsroom, journalist, settings
):
    settings.DEBUG = True  # the technical 404 page says why, and which view
    draft = newsroom["draft"]
    missing = draft.pk + 1000

    hidden = journalist.get(shortcut(draft)).content.decode()
    absent = journalist.get(shortcut(draft, pk=missing)).content.decode()

    same_id = reason_404(absent).replace(f"object {missing}", f"object {draft.pk}")
    assert reason_404(hidden) == same_id
    assert raised_by(hidden) == raised_by(absent)


def reason_404(html):
    return re.search(r'<pre class="exception_value">(.*?)</pre>', html, re.S).group(1)


def raised_by(html):
    return re.search(r"Raised by:</th>\s*<td>(.*?)</td>", html, re.S).group(1)


def test_the_view_on_site_shortcut_still_redirects_an_author_to_their_own_story(
    newsroom, journalist
):
    own = newsroom["own"]

    response = journalist.get(shortcut(own))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_preview", args=[own.pk])


def test_the_view_on_site_shortcut_redirects_an_editor_to_any_story(newsroom, editor):
    draft = newsroom["draft"]

    response = editor.get(shortcut(draft))

    # A draft's public address would be a 404: the story admin sends it to its preview.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_preview", args=[draft.pk])


def test_the_view_on_site_shortcut_answers_404_without_the_view_permission(
    newsroom, journalist, admin_client
):
    # No admin shows former slugs, and only superusers may view them; this one
    # leads to its story's address.
    former = FormerSlug.objects.create(article=newsroom["own"], slug="old-address")

    assert journalist.get(shortcut(former)).status_code == 404
    assert admin_client.get(shortcut(former)).status_code == 302


# --- The tag admin -----------------------------------------------------------------


def test_the_tag_list_hides_tags_used_only_on_someone_elses_draft(journalist):
    html = journalist.get(reverse("admin:taggit_tag_changelist")).content.decode()

    assert TAG not in html
    for visible in ["defence", "roadmap", "my beat", "parade"]:
        assert visible in html


def test_the_tag_list_shows_an_editor_every_tag(editor):
    html = editor.get(reverse("admin:taggit_tag_changelist")).content.decode()

    assert TAG in html


def test_a_tag_used_only_on_someone_elses_draft_opens_as_if_it_did_not_exist(journalist):
    tag = Tag.objects.get(name=TAG)
    missing = Tag.objects.order_by("-pk").first().pk + 1000

    hidden = journalist.get(reverse("admin:taggit_tag_change", args=[tag.pk]), follow=True)
    absent = journalist.get(reverse("admin:taggit_tag_change", args=[missing]), follow=True)

    assert hidden.redirect_chain == [(reverse("admin:index"), 302)]
    assert [str(m).replace(str(tag.pk), "ID") for m in hidden.context["messages"]] == [
        str(m).replace(str(missing), "ID") for m in absent.context["messages"]
    ]
    assert TAG not in hidden.content.decode()


def test_a_shared_tag_never_shows_the_headline_of_someone_elses_draft(newsroom, journalist):
    tag = Tag.objects.get(name="defence")

    response = journalist.get(reverse("admin:taggit_tag_change", args=[tag.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert HEADLINE not in html and "Narwhal" not in html
    assert "Roadmap signed" in html


def test_a_tag_shows_an_editor_every_story_that_uses_it(newsroom, editor):
    tag = Tag.objects.get(name="defence")

    html = editor.get(reverse("admin:taggit_tag_change", args=[tag.pk])).content.decode()

    assert "Narwhal exclusive" in html and "Roadmap signed" in html


def test_a_journalist_cannot_merge_tags(newsroom, journalist):
    tags = list(Tag.objects.filter(name__in=["defence", "roadmap"]))

    listing = journalist.get(reverse("admin:taggit_tag_changelist")).content.decode()
    journalist.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "render_tag_form", "_selected_action": [t.pk for t in tags]},
    )
    merge = journalist.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "merged"})

    assert "render_tag_form" not in listing
    assert merge.status_code == 403
    assert not Tag.objects.filter(name="merged").exists()
    assert newsroom["public"].tags.filter(name="roadmap").exists()


def test_an_editor_can_still_merge_tags(newsroom, editor):
    tags = list(Tag.objects.filter(name__in=["defence", "roadmap"]))
    editor.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "render_tag_form", "_selected_action": [t.pk for t in tags]},
    )

    editor.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "defence policy"})

    assert list(newsroom["public"].tags.names()) == ["defence policy"]


def test_merging_tags_one_of_which_was_deleted_meanwhile_merges_the_others(newsroom, editor):
    tags = list(Tag.objects.filter(name__in=["defence", "roadmap"]))
    editor.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "render_tag_form", "_selected_action": [t.pk for t in tags]},
    )
    Tag.objects.filter(name="roadmap").delete()  # by someone else, before the merge

    response = editor.post(
        reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "defence policy"}
    )

    assert response.status_code == 302
    assert list(newsroom["public"].tags.names()) == ["defence policy"]


def test_a_tag_on_a_published_story_cannot_be_deleted_and_the_page_says_merge(newsroom, editor):
    tag = Tag.objects.get(name="defence")
    response = editor.post(reverse("admin:taggit_tag_delete", args=[tag.pk]), {"post": "yes"})
    assert "merge it into another tag instead" in response.content.decode()
    assert Tag.objects.filter(pk=tag.pk).exists()


# --- The story list's filters, the tag suggestions and the dashboard --------------


def test_the_story_list_filters_offer_only_the_tags_and_authors_of_visible_stories(
    journalist,
):
    html = journalist.get(reverse("admin:articles_article_changelist")).content.decode()

    assert "my beat" in html
    assert TAG not in html and "narwhal-memo" not in html
    assert RIVAL not in html


def test_the_story_list_filters_offer_an_editor_every_tag_and_author(editor):
    html = editor.get(reverse("admin:articles_article_changelist")).content.decode()

    assert TAG in html and RIVAL in html


def suggestions(client, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "articles", "model_name": "article", "field_name": "tags"},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_tag_suggestions_never_offer_a_tag_only_on_someone_elses_draft(journalist):
    assert suggestions(journalist, "narwhal") == []
    assert suggestions(journalist, "def") == ["defence"]
    assert suggestions(journalist, "my") == ["my beat"]
    assert suggestions(journalist, "par") == ["parade"]


def test_tag_suggestions_offer_an_editor_every_tag(editor):
    assert suggestions(editor, "narwhal") == [TAG]


def test_the_dashboard_never_lists_someone_elses_draft(journalist):
    html = journalist.get(reverse("admin:index")).content.decode()

    assert "My own draft" in html
    assert "Narwhal" not in html


def test_merging_without_choosing_tags_first_says_so_and_changes_nothing(newsroom, editor):
    before = sorted(Tag.objects.values_list("name", flat=True))

    response = editor.post(
        reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "merged"}, follow=True
    )

    assert response.status_code == 200
    assert "Select the tags to merge first." in response.content.decode()
    assert sorted(Tag.objects.values_list("name", flat=True)) == before
