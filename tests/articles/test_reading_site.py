"""The public reading site: front page, article page, topic pages, addresses and meta."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import related
from articles.models import Article, FormerSlug, Section, Status
from people.models import Organisation
from tests.factories import (
    country,
    make_article,
    make_image,
    make_organisation,
    make_person,
    make_role,
    make_section,
    make_story_about,
    make_user,
)

pytestmark = pytest.mark.django_db


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Base layout ----------------------------------------------------------------


def test_masthead_names_the_publication_and_links_every_section(client, settings):
    settings.NEWSROOM_PUBLICATION_NAME = "New Defence Order. Strategy"
    make_section("News")
    make_section("Analysis")
    html = html_of(client, "/")
    assert "New Defence Order. Strategy" in html
    assert 'href="/section/news/"' in html and 'href="/section/analysis/"' in html


def test_footer_lists_partners_in_their_order_with_their_links(client):
    make_organisation(
        "Second Partner", is_partner=True, partner_order=2, website="https://two.example/"
    )
    make_organisation(
        "First Partner", is_partner=True, partner_order=1, website="https://one.example/"
    )
    make_organisation("Not A Partner", website="https://nope.example/")
    html = html_of(client, "/")
    assert "Our partners" in html
    assert html.index("https://one.example/") < html.index("https://two.example/")
    assert "Not A Partner" not in html


def test_a_partner_without_a_website_links_to_its_page_only_when_that_page_is_public(client):
    public = make_organisation("Public Partner", is_partner=True)
    make_story_about(public)
    make_organisation("Draft-only Partner", is_partner=True)
    html = html_of(client, "/")
    assert '<a href="/organisations/public-partner/">Public Partner</a>' in html
    assert "<li>Draft-only Partner</li>" in html
    assert "/organisations/draft-only-partner/" not in html


def test_a_partner_logo_is_shown_with_its_name_as_alt_text(client):
    logo = make_image("Logo Partner logo", pixels=(800, 400))
    make_organisation("Logo Partner", is_partner=True, logo=logo)
    small = logo.renditions.get(spec="w320.jpg")
    assert f'<img src="{small.url}" alt="Logo Partner"' in html_of(client, "/")


def test_google_news_link_appears_only_when_configured(client, settings, published_story):
    settings.NEWSROOM_GOOGLE_NEWS_URL = ""
    assert "Google News" not in html_of(client, published_story.get_absolute_url())
    settings.NEWSROOM_GOOGLE_NEWS_URL = "https://news.google.com/publications/x"
    assert "Follow us on Google News" in html_of(client, "/")


def test_every_page_has_a_skip_link_and_landmarks(client):
    html = html_of(client, "/")
    assert 'href="#content"' in html and '<main id="content"' in html
    assert '<header class="masthead">' in html and "<footer" in html


# --- Home page -------------------------------------------------------------------


def test_the_editors_lead_story_leads_the_home_page_over_newer_ones(client):
    lead = make_article(
        "Editor's lead", home_position=1, published_at=timezone.now() - timedelta(days=2)
    )
    make_article("A newer story")
    response = client.get("/")
    assert response.context["lead"] == lead


def test_top_stories_follow_the_editors_order(client):
    second = make_article("Second", home_position=3)
    first = make_article("First", home_position=2)
    make_article("Lead", home_position=1)
    assert client.get("/").context["top_stories"][:2] == [first, second]


def test_without_editors_choices_the_newest_story_leads(client):
    make_article("Older", published_at=timezone.now() - timedelta(days=1))
    newest = make_article("Newest")
    assert client.get("/").context["lead"] == newest


def test_home_page_lists_the_rest_by_section(client):
    for n in range(6):
        make_article(f"Front {n}", published_at=timezone.now() - timedelta(hours=n + 1))
    older = make_article(
        "Older news",
        section=make_section("Analysis"),
        published_at=timezone.now() - timedelta(days=3),
    )
    sections = client.get("/").context["sections"]
    assert [
        (section.name, articles) for section, articles in sections if section.name == "Analysis"
    ] == [("Analysis", [older])]


# --- Article page ----------------------------------------------------------------


@pytest.fixture
def full_story(settings):
    settings.NEWSROOM_GOOGLE_NEWS_URL = "https://news.google.com/publications/x"
    settings.NEWSROOM_PUBLICATION_NAME = "New Defence Order. Strategy"
    esper = make_person("Mark Esper")
    dod = make_organisation("United States Department of Defense")
    make_role(esper, dod, title="Secretary of Defense", start="2019-07-23", end="2020-11-09")
    make_role(
        esper, make_organisation("Raytheon"), title="Vice President", start="2010", end="2017"
    )
    return make_article(
        "US and Morocco sign defence roadmap",
        standfirst="A ten-year plan.",
        body="<p>One.</p><p>Two.</p><p>Three.</p>",
        type_of_work="analysis",
        authors=[make_person("Samir Tazi", user=make_user())],
        people=[esper],
        organisations=[dod],
        countries=[country("MA")],
        tags=["defence cooperation"],
        published_at=timezone.make_aware(timezone.datetime(2020, 10, 2, 15, 30)),
    )


def test_article_page_shows_section_and_type_of_work(client, full_story):
    html = html_of(client, full_story.get_absolute_url())
    assert 'href="/section/news/"' in html and ">Analysis</span>" in html


def test_bylines_link_to_author_pages(client, full_story):
    assert 'href="/authors/samir-tazi/"' in html_of(client, full_story.get_absolute_url())


def test_publication_time_is_machine_readable_and_shown_in_the_newsrooms_zone(
    client, full_story, settings
):
    settings.TIME_ZONE = "Africa/Casablanca"
    html = html_of(client, full_story.get_absolute_url())
    assert '<time datetime="2020-10-02T' in html
    assert "2 October 2020, 15:30" in html


def test_the_follow_line_comes_after_the_first_two_paragraphs_and_is_not_stored(client, full_story):
    html = html_of(client, full_story.get_absolute_url())
    follow = "Follow New Defence Order. Strategy on Google News"
    assert html.index("<p>Two.</p>") < html.index(follow) < html.index("<p>Three.</p>")
    full_story.refresh_from_db()
    assert "Google News" not in full_story.body


def test_in_this_story_shows_the_role_held_on_the_publication_day(client, full_story):
    html = html_of(client, full_story.get_absolute_url())
    assert "Secretary of Defense" in html
    assert "Vice President" not in html


def test_corrections_are_listed_on_the_story(client, full_story):
    full_story.corrections.create(text="An earlier version misdated the signing.")
    assert "An earlier version misdated the signing." in html_of(
        client, full_story.get_absolute_url()
    )


def test_share_links_load_no_script(client, full_story):
    html = html_of(client, full_story.get_absolute_url())
    assert "Share this story" in html
    # Structured data is data, not code: the only scripts allowed.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(tag == '<script type="application/ld+json">' for tag in scripts)


def test_editor_picked_related_stories_come_before_ones_sharing_tags(client, full_story):
    sharing = make_article("Shares a tag", tags=["defence cooperation"])
    picked = make_article("Picked by the editor", published_at=timezone.now() - timedelta(days=30))
    full_story.related.add(picked)
    make_article("Unrelated")
    related = client.get(full_story.get_absolute_url()).context["related_articles"]
    assert related == [picked, sharing]


def test_an_old_story_about_the_same_person_beats_many_newer_ones_sharing_only_a_country(
    client, full_story
):
    # More stories share the country than the candidates looked at per kind: the
    # person's old story must still be found through the person.
    for n in range(related.CANDIDATES_PER_KIND + 10):
        make_article(f"Morocco brief {n}", countries=[country("MA")])
    old = make_article(
        "Esper's earlier visit",
        people=[full_story.people.get()],
        published_at=timezone.now() - timedelta(days=900),
    )
    related_articles = client.get(full_story.get_absolute_url()).context["related_articles"]
    assert related_articles[0] == old
    assert len(related_articles) == 4


def test_related_stories_leave_out_unpublished_picks(client, full_story):
    full_story.related.add(make_article("Draft pick", status=Status.DRAFT))
    assert client.get(full_story.get_absolute_url()).context["related_articles"] == []


def test_article_meta_falls_back_to_the_standfirst(client, full_story):
    html = html_of(client, full_story.get_absolute_url())
    assert '<meta name="description" content="A ten-year plan.">' in html
    assert '<meta property="og:description" content="A ten-year plan.">' in html


def test_seo_fields_win_over_headline_and_standfirst(client, full_story):
    Article.objects.filter(pk=full_story.pk).update(
        seo_title="SEO title", seo_description="SEO text"
    )
    html = html_of(client, full_story.get_absolute_url())
    assert "<title>SEO title |" in html and '<meta name="description" content="SEO text">' in html


def test_article_has_a_canonical_link_and_opengraph_image(client, full_story, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"
    image = make_image("Rabat", alt_text="The signing")
    Article.objects.filter(pk=full_story.pk).update(lead_image=image)
    html = html_of(client, full_story.get_absolute_url())
    assert (
        f'<link rel="canonical" href="https://news.example{full_story.get_absolute_url()}">' in html
    )
    card = image.renditions.get(spec__startswith="fill-1200x630")
    assert f'<meta property="og:image" content="https://news.example{card.url}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_lead_image_is_shown_with_caption_and_credit(client, full_story):
    image = make_image("Rabat", alt_text="The signing", caption="In Rabat.", credit="DoD")
    Article.objects.filter(pk=full_story.pk).update(lead_image=image)
    html = html_of(client, full_story.get_absolute_url())
    assert (
        'alt="The signing"' in html
        and "In Rabat." in html
        and '<span class="credit">DoD</span>' in html
    )


def test_html_lang_is_the_storys_language(client):
    story = make_article("Une histoire", language="fr")
    response = client.get(story.get_absolute_url())
    assert '<html lang="fr">' in response.content.decode()
    assert response["Content-Language"] == "fr"


# --- Addresses ----------------------------------------------------------------------


def test_article_address_is_the_local_publication_day_and_slug(full_story):
    assert full_story.get_absolute_url() == "/2020/10/02/us-and-morocco-sign-defence-roadmap/"


def change_slug_in_admin(article, new_slug):
    """Run the admin's own save path with a form whose only change is the slug."""
    request = RequestFactory().post("/")
    request.user = make_user(is_staff=True, is_superuser=True)
    model_admin = site._registry[Article]
    form_class = model_admin.get_form(request, article, change=True)
    fields = ["headline", "standfirst", "body", "type_of_work", "credit", "language"]
    data = {field: getattr(article, field) for field in fields}
    data.update(
        slug=new_slug,
        section=article.section_id,
        tags="defence cooperation",
        base_version=article.version,
    )
    form = form_class(data=data, instance=article)
    assert form.is_valid(), form.errors
    story = form.save(commit=False)
    model_admin.save_model(request, story, form, change=True)
    model_admin.save_related(request, form, [], change=True)


def test_a_published_storys_old_slug_answers_301_to_the_new_address(client, full_story):
    old_url = full_story.get_absolute_url()
    full_story.slug = "renamed"
    full_story.save()
    full_story.remember_slug("us-and-morocco-sign-defence-roadmap")
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/2020/10/02/renamed/"


def test_changing_the_slug_in_the_admin_remembers_the_old_one(full_story):
    change_slug_in_admin(full_story, "renamed-in-admin")
    assert FormerSlug.objects.get().slug == "us-and-morocco-sign-defence-roadmap"


def test_renaming_a_draft_keeps_no_old_address(draft_story):
    old = draft_story.slug
    draft_story.slug = "new-draft-slug"
    draft_story.save()
    draft_story.remember_slug(old)
    assert not FormerSlug.objects.exists()


def test_an_unknown_address_gets_the_custom_404_page(client):
    response = client.get("/2020/10/02/no-such-story/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_the_500_page_renders_without_a_request_or_database():
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# --- Topic pages ------------------------------------------------------------------


def test_person_page_shows_description_and_roles_timeline(client):
    esper = make_person("Mark Esper", description="US Secretary of Defense, 2019–2020")
    make_role(
        esper,
        make_organisation("United States Department of Defense"),
        title="Secretary of Defense",
        start="2019-07-23",
    )
    make_story_about(esper)
    html = html_of(client, esper.get_absolute_url())
    assert "US Secretary of Defense, 2019–2020" in html
    assert "Secretary of Defense" in html and "since 23 July 2019" in html


def test_person_page_links_an_organisation_or_country_only_when_its_page_is_public(client):
    esper = make_person("Mark Esper", country=country("US"))
    dod = make_organisation("United States Department of Defense")
    make_role(esper, dod, title="Secretary of Defense", start="2019")
    make_role(
        esper, make_organisation("Draft-only Institute"), title="Fellow", start="2010", end="2012"
    )
    make_story_about(esper, dod)
    html = html_of(client, esper.get_absolute_url())
    assert '<a href="/organisations/united-states-department-of-defense/">' in html
    assert "Fellow, Draft-only Institute" in html
    assert "/organisations/draft-only-institute/" not in html
    assert "United States" in html and "/countries/us/" not in html


def test_person_page_of_a_staff_journalist_lists_stories_by_them_too(client):
    samir = make_person("Samir Tazi", user=make_user())
    byline = make_article("Written by Samir", authors=[samir])
    about = make_article("About Samir", people=[samir])
    response = client.get(reverse("people:person", args=[samir.slug]))
    assert response.context["stories_by"] == [byline]
    assert list(response.context["articles"]) == [about]


def test_author_page_shows_biography_and_stories_by_them(client):
    samir = make_person("Samir Tazi", user=make_user(), biography="Covers North Africa.")
    story = make_article("Written by Samir", authors=[samir])
    response = client.get(samir.get_absolute_url())
    assert "Covers North Africa." in response.content.decode()
    assert list(response.context["articles"]) == [story]


def test_organisation_page_shows_kind_country_parent_children_and_people(client):
    dod = make_organisation(
        "United States Department of Defense",
        kind=Organisation.Kind.GOVERNMENT_DEPARTMENT,
        country=country("US"),
    )
    forces = make_organisation("United States Armed Forces", parent=dod)
    army = make_organisation("US Army", parent=forces)
    esper = make_person("Mark Esper")
    make_role(esper, forces, title="Commander")
    make_story_about(dod, forces, army, esper)
    html = html_of(client, forces.get_absolute_url())
    for text in ["United States Department of Defense", "US Army", "Mark Esper", "Commander"]:
        assert text in html
    assert "Government department" in html_of(client, dod.get_absolute_url())


def test_organisation_page_lists_only_the_organisations_and_people_with_a_public_page(client):
    forces = make_organisation(
        "United States Armed Forces", parent=make_organisation("Draft-only Parent")
    )
    make_organisation("Draft-only Branch", parent=forces)
    make_role(make_person("Draft-only Official"), forces, title="Adviser")
    make_role(make_person("Samir Tazi", user=make_user()), forces, title="Embedded reporter")
    make_story_about(forces)
    html = html_of(client, forces.get_absolute_url())
    assert "Draft-only Branch" not in html and "Draft-only Official" not in html
    assert '<a href="/authors/samir-tazi/">Samir Tazi</a>' in html
    assert "<dd>Draft-only Parent</dd>" in html
    assert "/organisations/draft-only-parent/" not in html


def test_country_page_lists_organisations_and_people_from_it(client):
    morocco = country("MA")
    far = make_organisation("Royal Moroccan Armed Forces", country=morocco)
    bourita = make_person("Nasser Bourita", country=morocco)
    make_story_about(morocco, far, bourita)
    html = html_of(client, "/countries/ma/")
    assert (
        '<a href="/organisations/royal-moroccan-armed-forces/">Royal Moroccan Armed Forces</a>'
        in html
    )
    assert '<a href="/people/nasser-bourita/">Nasser Bourita</a>' in html


def test_country_page_lists_only_the_organisations_and_people_with_a_public_page(client):
    morocco = country("MA")
    make_organisation("Draft-only Agency", country=morocco)
    make_person("Draft-only Source", country=morocco)
    make_article(
        "Draft about them",
        status=Status.DRAFT,
        people=[make_person("Drafted Person", country=morocco)],
    )
    make_story_about(morocco)
    html = html_of(client, "/countries/ma/")
    for name in ["Draft-only Agency", "Draft-only Source", "Drafted Person"]:
        assert name not in html


@pytest.fixture
def twenty_one_tagged_stories():
    now = timezone.now()
    return [
        make_article(f"Story {n}", tags=["roadmap"], published_at=now - timedelta(hours=n + 1))
        for n in range(21)
    ]


def test_topic_pages_show_twenty_stories_newest_first(client, twenty_one_tagged_stories):
    articles = list(client.get("/tag/roadmap/").context["articles"])
    assert articles == twenty_one_tagged_stories[:20]


def test_topic_pages_link_the_next_and_previous_pages(client, twenty_one_tagged_stories):
    first = client.get("/tag/roadmap/").content.decode()
    second = client.get("/tag/roadmap/?page=2").content.decode()
    assert '<link rel="next" href="http://127.0.0.1:8000/tag/roadmap/?page=2">' in first
    assert '<link rel="prev" href="http://127.0.0.1:8000/tag/roadmap/">' in second
    assert (
        list(client.get("/tag/roadmap/?page=2").context["articles"])
        == twenty_one_tagged_stories[20:]
    )


def test_a_page_number_beyond_the_last_gives_404(client, twenty_one_tagged_stories):
    assert client.get("/tag/roadmap/?page=3").status_code == 404


def test_stories_published_at_the_same_moment_keep_a_stable_order(client):
    moment = timezone.now() - timedelta(hours=1)
    stories = [make_article(f"Same time {n}", tags=["tie"], published_at=moment) for n in range(3)]
    assert list(client.get("/tag/tie/").context["articles"]) == stories[::-1]


def test_the_site_furniture_costs_a_page_no_query_once_cached(client, full_story):
    make_organisation("Atlantic Council", is_partner=True)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        client.get(full_story.get_absolute_url())
    # The furniture's one query names its columns row_kind, row_name… (newsroom/furniture.py).
    assert not [q for q in captured.captured_queries if '"row_kind"' in q["sql"]]


def test_a_section_page_marks_its_own_section_current_and_no_other_page_does(client):
    make_section("News")
    make_section("Analysis")
    make_article("Roadmap signed", section=Section.objects.get(slug="news"))
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    for _ in range(2):  # rendered, then kept
        assert current.findall(html_of(client, "/section/news/")) == ["/section/news/"]
        assert current.findall(html_of(client, "/section/analysis/")) == ["/section/analysis/"]
        assert current.findall(html_of(client, "/")) == []


def test_a_section_renamed_in_the_admin_is_renamed_in_the_navigation_at_once(
    client, admin_client, full_story
):
    section = full_story.section
    assert f">{section.name}</a></li>" in html_of(client, "/")
    response = admin_client.post(
        reverse("admin:articles_section_change", args=[section.pk]),
        {"name": "World news", "slug": section.slug, "description": "", "order": section.order},
    )
    assert response.status_code == 302
    assert '">World news</a></li>' in html_of(client, "/")


def test_a_new_section_is_in_the_navigation_at_once(client, full_story):
    client.get("/")
    make_section("Cyber")
    assert 'href="/section/cyber/"' in html_of(client, "/")


def test_a_partner_renamed_in_the_admin_is_renamed_in_the_footer_at_once(client, full_story):
    partner = make_organisation("Atlantic Council", is_partner=True)
    assert "Atlantic Council" in html_of(client, "/")
    partner.name = "The Atlantic Council"
    partner.save()
    assert "The Atlantic Council" in html_of(client, "/")
