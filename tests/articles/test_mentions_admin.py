"""The "Mentioned in this story" panel on the story form, and linked first mentions."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Status
from people import mentions
from tests.factories import (
    country,
    make_article,
    make_editor,
    make_organisation,
    make_person,
    make_user,
)

pytestmark = pytest.mark.django_db

BODY = "<p>Mark Esper met the FAR in Morocco.</p><p>Esper left.</p>"


@pytest.fixture(autouse=True)
def fresh_matcher():
    mentions.invalidate()


@pytest.fixture
def esper():
    return make_person("Mark Esper", aliases="Esper")


@pytest.fixture
def far():
    return make_organisation("Royal Moroccan Armed Forces", short_name="FAR")


@pytest.fixture
def story(esper, far):
    return make_article("Roadmap signed", status=Status.DRAFT, body=BODY, standfirst="")


def staff(*codenames):
    user = make_user(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def writer_client(client):
    # An editor: the workflow lets journalists open only their own stories.
    client.force_login(make_editor())
    return client


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def form_data(client, story, **changes):
    """What the browser would post back: the change form's current values."""
    form = client.get(change_url(story)).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for prefix in ["bylines", "corrections"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_the_panel_lists_what_the_story_names_but_is_not_attached_to(writer_client, story):
    story.people.add(make_person("Someone Else"))
    html = writer_client.get(change_url(story)).content.decode()
    assert "Mentioned in this story" in html
    assert f'value="person:{story.people.get().pk}"' not in html
    attachable = [
        f"person:{mentions.detect_mentions('Esper')[0].pk}",
        f"country:{country('MA').pk}",
    ]
    for value in attachable:
        assert f'name="_attach_mention" value="{value}"' in html
    assert "named 2 times" in html
    assert 'value="all">Attach all 3</button>' in html


def test_an_attached_entity_leaves_the_panel(writer_client, story, esper):
    story.people.add(esper)
    html = writer_client.get(change_url(story)).content.decode()
    assert f'value="person:{esper.pk}"' not in html


def test_attaching_one_saves_the_form_and_attaches_only_that_one(writer_client, story, esper):
    data = form_data(writer_client, story, standfirst="Edited before attaching.")
    response = writer_client.post(
        change_url(story), {**data, "_attach_mention": f"person:{esper.pk}"}
    )
    assert response.status_code == 302
    assert response.url == change_url(story)
    story.refresh_from_db()
    assert list(story.people.all()) == [esper]
    assert not story.organisations.exists() and not story.countries.exists()
    assert story.standfirst == "Edited before attaching."


def test_attach_all_attaches_every_mention(writer_client, story, esper, far):
    writer_client.post(
        change_url(story), {**form_data(writer_client, story), "_attach_mention": "all"}
    )
    assert list(story.people.all()) == [esper]
    assert list(story.organisations.all()) == [far]
    assert list(story.countries.all()) == [country("MA")]


def test_the_panel_is_refreshed_from_the_saved_body(writer_client, story):
    data = form_data(writer_client, story, body="<p>Only Tunisia now.</p>")
    writer_client.post(change_url(story), {**data, "_continue": "1"})
    html = writer_client.get(change_url(story)).content.decode()
    assert f'value="country:{country("TN").pk}"' in html
    assert f'value="country:{country("MA").pk}"' not in html


def test_a_plain_save_attaches_nothing(writer_client, story):
    writer_client.post(change_url(story), form_data(writer_client, story))
    story.refresh_from_db()
    assert not story.people.exists() and not story.organisations.exists()
    assert not story.countries.exists()


def test_a_plain_save_attaches_everything_when_auto_attach_is_on(writer_client, story, settings):
    settings.NEWSROOM_AUTO_ATTACH_MENTIONS = True
    writer_client.post(change_url(story), form_data(writer_client, story))
    assert story.people.count() == 1 and story.organisations.count() == 1
    assert story.countries.count() == 1


def test_attaching_something_the_story_does_not_name_attaches_nothing(writer_client, story):
    stranger = make_person("Not In The Story")
    response = writer_client.post(
        change_url(story),
        {**form_data(writer_client, story), "_attach_mention": f"person:{stranger.pk}"},
        follow=True,
    )
    assert "Nothing attached" in response.content.decode()
    assert not story.people.exists()


def test_an_invalid_form_attaches_nothing_and_keeps_what_was_typed(writer_client, story, esper):
    data = form_data(writer_client, story, headline="", standfirst="Kept")
    response = writer_client.post(change_url(story), {**data, "_attach_mention": "all"})
    assert response.status_code == 200
    assert "Kept" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Roadmap signed"
    assert not story.people.exists()


def test_someone_who_may_only_view_the_story_gets_no_attach_buttons(client, story):
    # The story's own journalist, once it has left draft, may look but not edit.
    author = staff("view_article", "change_article")
    story.created_by = author
    story.status = Status.IN_REVIEW
    story.save()
    client.force_login(author)
    html = client.get(change_url(story)).content.decode()
    assert "Mark Esper" in html
    assert "_attach_mention" not in html


def test_someone_who_may_only_view_the_story_cannot_attach(client, story, esper):
    client.force_login(staff("view_article"))
    response = client.post(change_url(story), {"_attach_mention": f"person:{esper.pk}"})
    assert response.status_code == 403
    story.refresh_from_db()
    assert not story.people.exists()


def test_attaching_without_the_csrf_token_is_refused(story, esper):
    client = Client(enforce_csrf_checks=True)
    # An editor: the workflow lets journalists open only their own stories.
    client.force_login(make_editor())
    response = client.post(change_url(story), {"_attach_mention": f"person:{esper.pk}"})
    assert response.status_code == 403
    assert not story.people.exists()


def test_a_new_story_form_explains_the_panel_fills_after_saving(writer_client):
    writer_client.force_login(staff("add_article", "view_article", "change_article"))
    html = writer_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "Save the story to see which people" in html


def test_the_link_mentions_toggle_is_on_the_form(writer_client, story):
    assert 'name="link_mentions"' in writer_client.get(change_url(story)).content.decode()


# --- The public page -------------------------------------------------------------------


def test_the_story_page_links_the_first_mention_of_each_attached_entity(client, esper):
    story = make_article(body=BODY, people=[esper], countries=[country("MA")])
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.count(f'<a href="{esper.get_absolute_url()}" class="mention">') == 1
    assert '<a href="/countries/ma/" class="mention">Morocco</a>' in html
    assert "the FAR in" in html  # not attached, so not linked
    story.refresh_from_db()
    assert story.body == BODY


def test_the_story_page_links_nothing_when_the_toggle_is_off(client, esper):
    story = make_article(body=BODY, people=[esper], link_mentions=False)
    assert 'class="mention"' not in client.get(story.get_absolute_url()).content.decode()


def test_linking_adds_no_queries_to_the_story_page(client, esper, django_assert_max_num_queries):
    story = make_article(body=BODY, people=[esper], countries=[country("MA")])
    unlinked = make_article(
        body=BODY, people=[esper], countries=[country("MA")], link_mentions=False
    )
    client.get(story.get_absolute_url())  # the matcher is built once, outside the count
    with CaptureQueriesContext(connection) as without_links:
        client.get(unlinked.get_absolute_url())
    with django_assert_max_num_queries(len(without_links)):
        client.get(story.get_absolute_url())
