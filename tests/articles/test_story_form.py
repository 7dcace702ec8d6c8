"""The journalist's desk: the story form and list as the admin serves them.

Driven through the real admin with what a browser posts (tests/forms.py).
"""

from datetime import UTC, datetime

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_author, make_editor, make_journalist, make_section
from tests.forms import main_form, opened_form

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def has_class(name):
    """An XPath test for an element with the class `name` among its classes."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


# --- The writer's own byline ----------------------------------------------------------


def test_a_new_story_carries_the_writers_own_byline_through_the_add_form():
    journalist = make_journalist(first_name="Samir", last_name="Tazi")
    author = make_author(journalist)
    section = make_section("Defence")
    client = logged_in(journalist)

    data = opened_form(client, ADD)
    assert data["bylines-0-person"] == [str(author.pk)]
    data.update(
        headline=["Rabat hosts a naval exercise"],
        slug=["rabat-hosts-a-naval-exercise"],
        section=[str(section.pk)],
    )
    assert client.post(ADD, data).status_code == 302

    story = Article.objects.get(slug="rabat-hosts-a-naval-exercise")
    assert [byline.person for byline in story.bylines.all()] == [author]


def test_the_prefilled_byline_is_shown_as_the_writers_name():
    journalist = make_journalist(first_name="Samir", last_name="Tazi")
    make_author(journalist)
    html = logged_in(journalist).get(ADD).content.decode()
    selected = lxml.html.fromstring(html).xpath(
        "//select[@name='bylines-0-person']/option[@selected]"
    )
    assert [option.text_content() for option in selected] == ["Samir Tazi"]


def test_a_writer_without_an_author_profile_gets_no_byline_row():
    data = opened_form(logged_in(make_editor()), ADD)
    assert data["bylines-TOTAL_FORMS"] == ["0"]
    assert not any(name.startswith("bylines-0-") for name in data)


def test_an_existing_story_gets_no_byline_added_on_opening():
    journalist = make_journalist()
    make_author(journalist)
    story = make_article(status="draft", authors=[make_author(make_journalist())])
    story.created_by = journalist
    story.save()
    data = opened_form(logged_in(make_editor()), change_url(story))
    assert data["bylines-TOTAL_FORMS"] == ["1"]


# --- Save and the workflow at the top and the foot --------------------------------------


def test_save_and_the_workflow_buttons_are_above_the_form_and_at_its_foot():
    journalist = make_journalist()
    story = make_article(status="draft", authors=[make_author(journalist)])
    root = page(logged_in(journalist), change_url(story))
    form = root.get_element_by_id("article_form")

    rows = form.xpath(f".//*[{has_class('submit-row')}]")
    assert len(rows) == 2
    first_field = form.xpath(".//*[@name='headline']")[0]
    order = list(form.iter())
    assert order.index(rows[0]) < order.index(first_field) < order.index(rows[1])
    assert [len(row.xpath(".//*[@name='_save']")) for row in rows] == [1, 1]

    # The workflow panel (above the form) and the foot both offer "Submit for review";
    # the foot's button submits the panel's own form.
    panel = root.get_element_by_id("workflow")
    order = list(root.iter())
    assert order.index(panel) < order.index(form)
    foot = form.xpath(f".//*[{has_class('workflow-foot')}]//button")
    assert [(b.text_content(), b.get("form")) for b in foot] == [
        ("Submit for review", "workflow-submit")
    ]
    target = root.get_element_by_id("workflow-submit")
    assert target.get("action") == reverse(
        "admin:articles_article_transition", args=[story.pk, "submit"]
    )


def test_the_foot_has_no_workflow_buttons_on_a_new_story():
    journalist = make_journalist()
    root = page(logged_in(journalist), ADD)
    assert not root.xpath(f"//*[{has_class('workflow-foot')}]")
    assert len(root.xpath(f"//form[@id='article_form']//*[{has_class('submit-row')}]")) == 2


# --- Layout ------------------------------------------------------------------------


def test_the_writing_comes_first_and_the_desk_fields_and_bylines_sit_beside_it():
    story = make_article(status="draft")
    root = page(logged_in(make_editor()), change_url(story))
    main = root.xpath(f"//*[{has_class('story-layout')}]/*[{has_class('story-main')}]")[0]
    side = root.xpath(f"//*[{has_class('story-layout')}]/*[{has_class('story-side')}]")[0]
    assert [
        el.get("name") for el in main.xpath(".//*[@name='headline' or @name='standfirst']")
    ] == [
        "headline",
        "standfirst",
    ]
    assert main.xpath(".//*[@name='body']")
    for name in ["section", "type_of_work", "tags", "people", "organisations", "countries"]:
        assert side.xpath(f".//*[@name='{name}']"), name
    assert side.xpath(".//*[@id='bylines-group']")
    headings = [" ".join(h.text_content().split()) for h in side.xpath(".//fieldset//h2")]
    assert headings == [
        "Status",
        "Section and type of work",
        "Bylines",
        "Tags",
        "In this story",
        "Related stories",
    ]


# --- History, branding, the index -------------------------------------------------------


def test_the_story_form_has_one_history_link():
    story = make_article(status="draft")
    root = page(logged_in(make_editor()), change_url(story))
    revisions = reverse("admin:articles_article_revisions", args=[story.pk])
    history = reverse("admin:articles_article_history", args=[story.pk])
    links = [a.get("href") for a in root.xpath("//a[@href]")]
    assert links.count(revisions) == 1
    assert history not in links
    assert not root.xpath(f"//*[{has_class('historylink')}]")


def test_the_admin_is_branded_with_the_publication_name(settings):
    settings.NEWSROOM_PUBLICATION_NAME = "The Rabat Courier"
    client = logged_in(make_editor())
    root = page(client, reverse("admin:index"))
    assert root.findtext(".//title") == "Desk | The Rabat Courier"
    assert root.xpath("//*[@id='site-name']/a")[0].text_content() == "The Rabat Courier"
    changelist = page(client, reverse("admin:articles_article_changelist"))
    assert changelist.findtext(".//title").endswith("| The Rabat Courier")


def test_the_title_never_repeats_the_default_name():
    title = page(logged_in(make_editor()), reverse("admin:index")).findtext(".//title")
    assert title == "Desk | Newsroom"


def test_the_admin_index_heads_the_tag_app_tags(admin_client):
    root = page(admin_client, reverse("admin:index"))
    captions = [caption.text_content().strip() for caption in root.xpath("//caption")]
    assert "Tags" in captions
    assert not [caption for caption in captions if caption.lower() == "taggit"]


# --- Dates -----------------------------------------------------------------------------


def test_the_story_list_and_form_show_the_newsrooms_british_dates():
    story = make_article(
        "Roadmap signed", published_at=datetime(2026, 3, 5, 9, 7, tzinfo=UTC), status="published"
    )
    Article.objects.filter(pk=story.pk).update(updated_at=datetime(2026, 3, 6, 14, 5, tzinfo=UTC))
    client = logged_in(make_editor())

    listing = page(client, reverse("admin:articles_article_changelist"))
    assert [td.text_content() for td in listing.xpath(f"//td[{has_class('field-updated')}]")] == [
        "6 Mar 2026, 14:05"
    ]
    form = page(client, change_url(story))
    published = form.xpath(f"//*[{has_class('field-published_at')}]//*[{has_class('readonly')}]")[
        0
    ].text_content()
    assert published == "5 March 2026, 09:07"


def test_the_story_list_shows_headline_section_state_bylines_and_updated():
    make_article("Roadmap signed")
    root = page(logged_in(make_editor()), reverse("admin:articles_article_changelist"))
    columns = [
        th.get("class").split()[-1] for th in root.xpath("//table[@id='result_list']/thead//th")
    ]
    assert columns == [
        "action-checkbox-column",
        "column-headline",
        "column-section",
        "column-state",
        "column-byline_names",
        "column-updated",
    ]


# --- The body editor ---------------------------------------------------------------------


def test_the_story_form_loads_the_editors_spellcheck_script():
    html = logged_in(make_journalist()).get(ADD).content.decode()
    form = main_form(html)
    assert form is not None
    assert "articles/admin/editor-spellcheck.js" in html


# --- Reading a story one may not edit -------------------------------------------------


def test_a_story_the_writer_may_only_read_shows_its_body_as_text_not_markup():
    journalist = make_journalist()
    story = make_article(
        "Exercise resumes",
        authors=[make_author(journalist)],
        body="<p>The exercise <strong>resumes</strong> in June.</p><ul><li>Rabat</li></ul>",
    )
    html = logged_in(journalist).get(change_url(story)).content.decode()
    assert "&lt;p&gt;" not in html
    assert "<strong>resumes</strong>" in html
    assert "<li>Rabat</li>" in html
