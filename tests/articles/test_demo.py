import io
import re
from pathlib import Path

import lxml.html
import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.demo import stories
from articles.models import Article, Status
from articles.sanitize import plain_text
from people.models import Country, Organisation, Person, Role

pytestmark = pytest.mark.django_db

SEED_STORY = Path(django_settings.BASE_DIR).parent / "shared" / "seed" / "morocco-us-roadmap.txt"


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """Every row of every table, including many-to-many and tag links."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def main_story():
    return Article.objects.get(slug=stories.MAIN_STORY)


def test_demo_publishes_at_least_six_stories_and_keeps_one_draft(debug):
    load_demo()
    assert Article.objects.published().count() >= 6
    draft = Article.objects.get(status=Status.DRAFT)
    assert draft.published_at is None
    assert draft.headline == stories.DRAFT_STORY["headline"]


def test_every_published_demo_story_is_complete(debug):
    load_demo()
    for story in Article.objects.published():
        assert story.standfirst, story
        assert story.body.count("<p>") >= 3, story
        assert "<h2>" in story.body, story
        assert story.bylines.exists(), story
        assert story.tags.exists(), story
        assert story.countries.exists(), story
        assert story.published_at.year == 2020 and story.published_at.month == 10, story


def test_the_main_story_is_the_roadmap_signing_and_names_everyone_involved(debug):
    load_demo()
    story = main_story()
    assert "Roadmap" in story.headline
    assert story.is_published()
    assert story.published_at.date().isoformat() == "2020-10-02"
    assert {p.name for p in story.people.all()} == {
        "Mark Esper",
        "Nasser Bourita",
        "Abdellatif Loudiyi",
        "Abdelfattah Louarak",
    }
    assert story.organisations.filter(short_name="DoD").exists()
    assert story.organisations.filter(short_name="FAR").exists()
    assert {str(c.code) for c in story.countries.all()} == {"US", "MA", "DZ", "TN"}
    assert story.corrections.count() == 1
    assert story.related.count() >= 2


def test_bylines_belong_to_staff_people_linked_to_demo_accounts(debug):
    load_demo()
    authors = Person.objects.filter(bylines__isnull=False).distinct()
    assert authors.count() == 2
    assert {author.user.username for author in authors} == {"editor", "journalist"}
    assert all(author.is_staff_author for author in authors)


def test_people_keep_partial_role_dates_from_the_seed_facts(debug):
    load_demo()
    loudiyi = Role.objects.get(person__slug="abdellatif-loudiyi")
    louarak = Role.objects.get(person__slug="abdelfattah-louarak")
    assert (loudiyi.start, loudiyi.end) == ("2010-01", "")
    assert (louarak.start, louarak.end) == ("2017-07", "2023-09")
    assert Person.objects.get(slug="mark-esper").alias_list == [
        "Esper",
        "Mark T. Esper",
        "Secretary Esper",
    ]


def test_organisations_and_countries_carry_the_seed_facts(debug):
    load_demo()
    dod = Organisation.objects.get(short_name="DoD")
    assert dod.kind == Organisation.Kind.GOVERNMENT_DEPARTMENT
    assert "Pentagon" in dod.alias_list
    armed_forces = Organisation.objects.get(name="United States Armed Forces")
    assert armed_forces.parent == dod
    assert Country.objects.get(code="US").alias_list == ["US", "U.S.", "USA"]
    partners = Organisation.objects.partners()
    assert [p.name for p in partners] == [
        "Sahel Security Review",
        "Atlantic Defence Forum",
    ]


def test_demo_accounts_log_in_with_the_demo_password_and_sit_in_their_groups(debug):
    load_demo()
    users = {u.username: u for u in get_user_model().objects.all()}
    assert all(u.check_password("newsroom-demo") for u in users.values())
    assert users["admin"].is_superuser
    assert users["editor"].is_staff and not users["editor"].is_superuser
    assert users["editor"].groups.filter(name="Editors").exists()
    assert users["editor"].has_perm("articles.delete_article")
    assert users["journalist"].groups.filter(name="Journalists").exists()
    assert users["journalist"].has_perm("articles.change_article")
    assert users["journalist"].has_perm("people.view_person")
    assert not users["journalist"].has_perm("articles.delete_article")
    assert not users["journalist"].has_perm("people.change_person")


def test_running_the_demo_twice_changes_nothing(debug):
    load_demo()
    before = snapshot()
    output = load_demo()
    assert snapshot() == before
    assert "nothing changed" in output


def test_the_demo_prints_the_login_address_and_password(debug):
    output = load_demo()
    assert "http://127.0.0.1:8000/admin/" in output
    assert "newsroom-demo" in output


def test_the_demo_refuses_to_run_with_debug_off_and_creates_nothing(settings):
    settings.DEBUG = False
    before = snapshot()
    with pytest.raises(CommandError, match="only runs with DJANGO_DEBUG=1"):
        load_demo()
    assert snapshot() == before


def _shingles(text, size=10):
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not SEED_STORY.exists(), reason="the shared seed folder is not here")
def test_demo_stories_do_not_reuse_the_seed_articles_sentences():
    # The seed article is third-party prose: no run of ten words may be taken from it.
    seed = _shingles(SEED_STORY.read_text(encoding="utf-8"))
    for story in [*stories.STORIES, stories.DRAFT_STORY]:
        text = " ".join([story["headline"], story["standfirst"], plain_text(story["body"])])
        assert not _shingles(text) & seed, story["slug"]


@pytest.mark.django_db
def test_the_demo_front_page_leads_with_the_roadmap_story(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    html = client.get("/").content.decode()
    assert html.index("Roadmap in Rabat") < html.index("Exercise African Lion")


def test_in_this_story_names_the_foreign_ministers_ministry_once(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False

    page = lxml.html.fromstring(client.get(main_story().get_absolute_url()).content)
    [role] = [
        role.text_content()
        for role in page.find_class("in-this-story__role")
        if "Foreign Affairs" in role.text_content()
    ]

    assert role.count("African Cooperation and Moroccan Expatriates") == 1
