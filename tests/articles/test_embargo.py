"""Embargoes and visibility windows: an editor pulls a story back, or sets when it
lifts or comes down, and readers' pages follow at the exact time with nothing
running (docs/workflow.md, "Embargoes and visibility windows")."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import previews, workflow
from articles.models import Article, ArticleEvent, PreviewLink, Status
from articles.workflow import PermissionRefused, State, TransitionNotAllowed
from tests.articles.workflow_stories import EMBARGO_STATES, STATES, row, story_in
from tests.factories import make_article, make_author, make_journalist, make_section
from tests.forms import opened_form

pytestmark = pytest.mark.django_db

Action = ArticleEvent.Action


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def transition_url(story, name):
    return reverse("admin:articles_article_transition", args=[story.pk, name])


def local(at):
    """`at` as the admin's datetime-local control sends it."""
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def as_printed(at):
    at = timezone.localtime(at)
    return f"{at.day} {at:%b %Y, %H:%M}"


def is_public(story, at=None):
    return Article.objects.published(at=at).filter(pk=story.pk).exists()


# --- Embargo -------------------------------------------------------------------------


def test_an_editor_pulls_a_live_story_back_under_embargo(editor):
    story = story_in("published")
    event = story.embargo(by=editor)
    assert workflow.state_of(story) == State.EMBARGOED
    assert not is_public(story) and not story.is_published()
    assert (event.action, event.from_state, event.to_state) == ("embargo", "published", "embargoed")
    assert event.note == "Until an editor lifts it."


def test_lifting_brings_the_story_back_with_its_publication_time_and_address(editor):
    story = story_in("published")
    published_at, address = story.published_at, story.get_absolute_url()
    story.embargo(by=editor)
    event = story.lift_embargo(by=editor)
    story.refresh_from_db()
    assert is_public(story)
    assert story.published_at == published_at
    assert story.get_absolute_url() == address
    assert (event.action, event.from_state, event.to_state) == ("lift", "embargoed", "published")
    assert Client().get(address).status_code == 200


def test_an_embargo_with_a_lift_time_ends_by_itself_at_exactly_that_time(editor):
    story = story_in("published")
    lifts_at = timezone.now() + timedelta(hours=3)
    story.embargo(by=editor, until=lifts_at)
    just_before = lifts_at - timedelta(microseconds=1)
    assert not is_public(story, at=just_before) and not story.is_published(just_before)
    assert is_public(story, at=lifts_at) and story.is_published(lifts_at)
    assert workflow.state_of(story, just_before) == State.EMBARGOED
    assert workflow.state_of(story, lifts_at) == State.PUBLISHED


def test_a_draft_embargoed_until_two_oclock_is_published_at_two(editor):
    story = story_in("in-review")
    lifts_at = timezone.now() + timedelta(hours=2)
    event = story.embargo(by=editor, until=lifts_at)
    assert story.published_at == lifts_at
    assert workflow.state_of(story) == State.EMBARGOED  # not "scheduled"
    assert not Article.objects.scheduled().filter(pk=story.pk).exists()
    # The scheduled lift is recorded now, with the time it takes effect.
    assert (event.action, event.takes_effect_at) == ("embargo", lifts_at)
    assert event.effect() == "lifts"
    assert event.effect(at=lifts_at) == "lift time passed"
    assert is_public(story, at=lifts_at)


def test_a_draft_embargoed_until_an_editor_lifts_it_is_published_when_lifted(editor):
    story = story_in("in-review")
    story.embargo(by=editor)
    before_lift = timezone.now()
    story.lift_embargo(by=editor)
    assert story.published_at >= before_lift
    assert is_public(story)


def test_an_embargoed_storys_lift_time_can_be_changed(editor):
    story = story_in("published")
    story.embargo(by=editor, until=timezone.now() + timedelta(hours=1))
    later = timezone.now() + timedelta(days=1)
    story.embargo(by=editor, until=later)
    assert story.embargo_lifts_at == later
    assert not is_public(story, at=later - timedelta(minutes=1))
    assert story.events.filter(action=Action.EMBARGO).count() == 2


def test_a_lift_time_that_has_passed_is_refused_and_changes_nothing(editor):
    story = story_in("published")
    before = row(story)
    with pytest.raises(TransitionNotAllowed, match="has passed"):
        story.embargo(by=editor, until=timezone.now() - timedelta(minutes=5))
    assert row(story) == before


@pytest.mark.parametrize("name", ["embargo", "lift_embargo"])
def test_a_journalist_may_neither_embargo_nor_lift_their_own_story(name):
    journalist = make_journalist()
    story = story_in("embargoed" if name == "lift_embargo" else "published")
    story.bylines.create(person=make_author(journalist))
    before = row(story)
    with pytest.raises(PermissionRefused):
        getattr(story, name)(by=journalist)
    assert row(story) == before


def test_an_embargoed_story_is_read_through_its_share_link_but_not_at_its_address(editor):
    story = story_in("published")
    story.embargo(by=editor)
    link = PreviewLink.objects.create(article=story)
    shared = Client().get(reverse("articles:shared-preview", args=[previews.token_for(link)]))
    assert shared.status_code == 200
    assert story.headline in shared.content.decode()
    assert "no-store" in shared["Cache-Control"]
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_staff_who_may_open_it_preview_an_embargoed_story(editor):
    story = story_in("published")
    story.embargo(by=editor)
    url = reverse("admin:articles_article_preview", args=[story.pk])
    assert logged_in(editor).get(url).status_code == 200
    assert logged_in(make_journalist()).get(url).status_code == 404


def test_an_embargoed_story_can_be_withdrawn_and_its_schedule_goes_with_it(editor):
    story = story_in("published")
    story.embargo(by=editor, until=timezone.now() + timedelta(hours=1))
    story.withdraw(by=editor, reason="Legal request.")
    assert (story.status, story.embargoed_at, story.embargo_lifts_at) == (
        Status.WITHDRAWN,
        None,
        None,
    )
    assert Client().get(story.get_absolute_url()).status_code == 410


# --- The rule, in every state ----------------------------------------------------------


def test_the_instance_rule_and_the_queryset_rules_agree_in_every_state():
    stories = [story_in(state) for state in [*STATES, *EMBARGO_STATES]]
    now = timezone.now()
    for at in [now, now + timedelta(days=2), now - timedelta(hours=5)]:
        for rule in ["published", "scheduled", "embargoed", "withdrawn"]:
            in_sql = set(getattr(Article.objects, rule)(at=at).values_list("pk", flat=True))
            in_python = {s.pk for s in stories if getattr(s, f"is_{rule}")(at)}
            assert in_sql == in_python, (rule, at)
    assert [workflow.state_of(s, now) for s in stories[len(STATES) :]] == [
        State.EMBARGOED,
        State.EMBARGOED,
        State.PUBLISHED,
        State.PUBLISHED,
        State.WITHDRAWN,
    ]


# --- Scheduled withdrawal (a window's end) ---------------------------------------------


def test_a_story_is_withdrawn_at_the_end_of_its_window_with_the_editors_note(editor):
    story = story_in("published")
    ends = timezone.now() + timedelta(hours=4)
    event = story.schedule_withdrawal(by=editor, at=ends, reason="Rights to the pictures end.")
    assert (event.action, event.takes_effect_at, event.effect()) == (
        "schedule-withdrawal",
        ends,
        "withdrawn",
    )
    assert is_public(story, at=ends - timedelta(microseconds=1))
    assert not is_public(story, at=ends)
    assert workflow.state_of(story, ends) == State.WITHDRAWN
    with mock.patch("django.utils.timezone.now", return_value=ends):
        response = Client().get(story.get_absolute_url())
    assert response.status_code == 410
    assert "Rights to the pictures end." in response.content.decode()


@pytest.mark.parametrize(
    "at, message",
    [(-timedelta(minutes=1), "has passed"), (None, "time to withdraw")],
)
def test_a_withdrawal_time_that_has_passed_or_is_missing_is_refused(editor, at, message):
    story = story_in("published")
    before = row(story)
    with pytest.raises(TransitionNotAllowed, match=message):
        story.schedule_withdrawal(
            by=editor, at=at and timezone.now() + at, reason="Rights to the pictures end."
        )
    assert row(story) == before


def test_a_withdrawal_before_the_story_goes_live_is_refused(editor):
    story = story_in("scheduled")
    before = row(story)
    with pytest.raises(TransitionNotAllowed, match="after the publication time"):
        story.schedule_withdrawal(
            by=editor, at=story.published_at - timedelta(hours=1), reason="Too late."
        )
    assert row(story) == before


def test_a_scheduled_withdrawal_can_be_cancelled(editor):
    story = story_in("withdrawal-scheduled")
    story.cancel_withdrawal(by=editor)
    assert story.withdraws_at is None
    assert is_public(story, at=timezone.now() + timedelta(days=30))
    with pytest.raises(TransitionNotAllowed, match="no withdrawal scheduled"):
        story.cancel_withdrawal(by=editor)


def test_a_journalist_may_not_schedule_a_withdrawal():
    journalist = make_journalist()
    story = story_in("published")
    before = row(story)
    with pytest.raises(PermissionRefused):
        story.schedule_withdrawal(
            by=journalist, at=timezone.now() + timedelta(days=1), reason="Mine."
        )
    assert row(story) == before


def test_a_story_withdrawn_on_schedule_returns_to_draft_without_its_old_schedule(editor):
    story = story_in("withdrawn-on-schedule")
    PreviewLink.objects.create(article=story)
    story.redraft(by=editor)
    assert (story.status, story.published_at, story.withdraws_at) == (Status.DRAFT, None, None)
    assert not PreviewLink.objects.filter(article=story).exists()


# --- Cleared or past schedule times never block a save ---------------------------------


@pytest.mark.parametrize("state", ["embargo-lifted", "withdrawn-on-schedule", "cancelled"])
def test_cleared_or_past_schedule_times_never_block_the_next_save(editor, state):
    """Wagtail's bug: a cleared expiry field blocked the next save."""
    if state == "cancelled":
        story = story_in("withdrawal-scheduled")
        story.cancel_withdrawal(by=editor)
    else:
        story = story_in(state)
    client = logged_in(editor)
    data = opened_form(client, change_url(story))
    data["headline"] = ["Talks resume in Rabat"]
    response = client.post(change_url(story), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story.refresh_from_db()
    assert story.headline == "Talks resume in Rabat"


def test_a_schedule_field_posted_with_the_story_form_is_ignored(editor):
    story = story_in("published")
    client = logged_in(editor)
    data = opened_form(client, change_url(story))
    data["withdraws_at"] = ["2020-01-01 00:00"]
    data["embargoed_at"] = ["2020-01-01 00:00"]
    client.post(change_url(story), data)
    story.refresh_from_db()
    assert (story.withdraws_at, story.embargoed_at) == (None, None)


# --- Through the admin --------------------------------------------------------------


def test_an_editor_embargoes_and_lifts_a_story_with_the_workflow_buttons(editor):
    story = story_in("published", headline="Court ruling on the port deal")
    client = logged_in(editor)
    html = client.get(change_url(story)).content.decode()
    assert f'action="{transition_url(story, "embargo")}"' in html
    lifts_at = timezone.localtime() + timedelta(days=1)
    response = client.post(transition_url(story, "embargo"), {"until": local(lifts_at)})
    assert response.status_code == 302
    story.refresh_from_db()
    assert workflow.state_of(story) == State.EMBARGOED
    assert local(story.embargo_lifts_at) == local(lifts_at)
    html = client.get(change_url(story)).content.decode()
    assert 'data-state="embargoed"' in html
    assert f'action="{transition_url(story, "lift_embargo")}"' in html
    client.post(transition_url(story, "lift_embargo"))
    story.refresh_from_db()
    assert workflow.state_of(story) == State.PUBLISHED
    assert [e.action for e in story.events.all()] == ["embargo", "lift"]


def test_an_editor_schedules_a_withdrawal_with_the_workflow_buttons(editor):
    story = story_in("published")
    client = logged_in(editor)
    ends = timezone.localtime() + timedelta(days=2)
    client.post(
        transition_url(story, "schedule_withdrawal"),
        {"at": local(ends), "reason": "The agency's licence ends."},
    )
    story.refresh_from_db()
    assert local(story.withdraws_at) == local(ends)
    html = client.get(change_url(story)).content.decode()
    assert "Withdrawn by itself at" in html and "The agency&#x27;s licence ends." in html
    client.post(transition_url(story, "cancel_withdrawal"))
    story.refresh_from_db()
    assert story.withdraws_at is None


def test_a_bad_time_in_the_admin_is_reported_and_changes_nothing(editor):
    story = story_in("published")
    before = row(story)
    response = logged_in(editor).post(
        transition_url(story, "embargo"), {"until": "tomorrow at two"}, follow=True
    )
    assert "is not a date and time" in response.content.decode()
    assert row(story) == before


@pytest.mark.parametrize(
    "name, state, data",
    [
        ("embargo", "published", {}),
        ("embargo", "in-review", {"until": "2099-01-01T14:00"}),
        ("lift_embargo", "embargoed", {}),
        ("schedule_withdrawal", "published", {"at": "2099-01-01T14:00", "reason": "Mine."}),
        ("cancel_withdrawal", "withdrawal-scheduled", {}),
        # Even with a time that is not one: who may is decided first.
        ("embargo", "published", {"until": "tomorrow"}),
    ],
)
def test_a_journalists_crafted_post_is_refused_with_403_and_the_story_left_as_it_was(
    name, state, data
):
    journalist = make_journalist()
    story = story_in(state, created_by=journalist)
    story.bylines.create(person=make_author(journalist))
    before = row(story)
    html = logged_in(journalist).get(change_url(story)).content.decode()
    assert f"/workflow/{name}/" not in html
    response = logged_in(journalist).post(transition_url(story, name), data)
    assert response.status_code == 403
    assert row(story) == before


def test_the_panel_and_the_history_show_the_lift_time(editor):
    story = story_in("published")
    lifts_at = timezone.now() + timedelta(days=1)
    story.embargo(by=editor, until=lifts_at)
    client = logged_in(editor)
    html = client.get(change_url(story)).content.decode()
    shown = timezone.localtime(lifts_at).strftime("%H:%M")
    assert "when it goes public by itself" in html and shown in html
    assert "it keeps that time and address" in html
    history = client.get(reverse("admin:articles_article_revisions", args=[story.pk]))
    assert "Lifts:" in history.content.decode()
    with mock.patch("django.utils.timezone.now", return_value=lifts_at):
        history = client.get(reverse("admin:articles_article_revisions", args=[story.pk]))
    assert "Lift time passed:" in history.content.decode()


def test_the_dashboard_shows_embargoes_with_lift_times_and_scheduled_withdrawals(editor):
    lifts = story_in("embargoed-until", headline="Court ruling, under embargo")
    story_in("embargoed", headline="Pulled back for lawyers")
    ends = story_in("withdrawal-scheduled", headline="Licensed for a week")
    story_in("published", headline="Out and staying")
    html = logged_in(editor).get(reverse("admin:index")).content.decode()
    assert 'Under embargo <span class="count">(2)</span>' in html
    assert 'Withdrawals scheduled <span class="count">(1)</span>' in html
    assert as_printed(lifts.embargo_lifts_at) in html
    assert "lifts\n        when an editor lifts it" in html
    assert as_printed(ends.withdraws_at) in html


def test_the_change_list_filters_embargoed_and_withdrawn_stories(editor):
    story_in("embargoed", headline="Pulled back for lawyers")
    story_in("withdrawn-on-schedule", headline="Window closed")
    story_in("published", headline="Out already")
    client = logged_in(editor)
    url = reverse("admin:articles_article_changelist")
    embargoed = client.get(url, {"state": "embargoed"}).content.decode()
    withdrawn = client.get(url, {"state": "withdrawn"}).content.decode()
    assert "Pulled back for lawyers" in embargoed and "Out already" not in embargoed
    assert "Window closed" in withdrawn and "Out already" not in withdrawn


def test_editors_embargo_through_the_migrations_group_and_journalists_do_not():
    from tests.factories import make_editor

    assert make_editor().has_perm("articles.embargo_article")
    assert not make_journalist().has_perm("articles.embargo_article")


# --- Caches and conditional GETs -------------------------------------------------------


def test_a_cached_story_page_is_not_served_past_its_own_or_a_related_storys_withdrawal(
    settings, editor
):
    settings.NEWSROOM_PAGE_CACHE = True
    news = make_section("News")
    story = make_article("Roadmap signed in Rabat", section=news, tags=["morocco"])
    related = make_article("Esper visits Rabat", section=news, tags=["morocco"])
    story.related.add(related)
    ends = timezone.now() + timedelta(hours=1)
    related.schedule_withdrawal(by=editor, at=ends, reason="Licence ends.")
    client = Client()
    assert "Esper visits Rabat" in client.get(story.get_absolute_url()).content.decode()
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    with mock.patch("django.utils.timezone.now", return_value=ends):
        after = client.get(story.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert "Esper visits Rabat" not in after.content.decode()


def test_a_cached_list_is_not_served_past_an_embargos_lift_time(settings, editor):
    settings.NEWSROOM_PAGE_CACHE = True
    story = make_article("Court ruling on the port deal")
    lifts_at = timezone.now() + timedelta(hours=2)
    story.embargo(by=editor, until=lifts_at)
    client = Client()
    assert "Court ruling" not in client.get("/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=lifts_at):
        response = client.get("/")
    assert "Court ruling" in response.content.decode()


@pytest.mark.parametrize("change", ["lift", "window end"])
def test_a_feed_answers_anew_once_an_embargo_lifts_or_a_window_ends(client, editor, change):
    story = make_article("Court ruling on the port deal")
    due = timezone.now() + timedelta(hours=2)
    if change == "lift":
        story.embargo(by=editor, until=due)
    else:
        story.schedule_withdrawal(by=editor, at=due, reason="Licence ends.")
    etag = client.get("/feeds/rss/")["ETag"]
    with mock.patch("django.utils.timezone.now", return_value=due):
        response = client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert ("Court ruling" in response.content.decode()) == (change == "lift")


# --- Embargoing a live story: every surface drops it, the cache is told -----------------


@pytest.fixture
def recording_cache(settings):
    from tests.pagecache.test_purge_keys import RecordingCache

    settings.NEWSROOM_PURGE_BACKEND = "tests.pagecache.test_purge_keys.RecordingCache"
    RecordingCache.sent = []
    return RecordingCache


def surfaces_of(story, neighbour):
    """Every public surface a live story is on, by its unique word."""
    person, organisation = story.people.get(), story.organisations.get()
    country, author, tag = story.countries.get(), story.bylines.get().person, story.tags.get()
    lists = [
        "/",
        story.section.get_absolute_url(),
        f"/tag/{tag.slug}/",
        person.get_absolute_url(),
        organisation.get_absolute_url(),
        country.get_absolute_url(),
        reverse("people:author", args=[author.slug]),
    ]
    return [
        *lists,
        *[f"{page}rss/" for page in ["/feeds/", *lists[1:]]],
        "/feeds/atom/",
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
        "/sitemap-tags.xml",
        f"/search/?q={WORD}",
        # Its card among the related stories, and the JSON-LD of that page.
        neighbour.get_absolute_url(),
    ]


WORD = "caracalruling"


def test_embargoing_a_live_story_drops_it_from_every_surface_and_purges_like_a_withdrawal(
    editor, recording_cache, django_capture_on_commit_callbacks
):
    from tests.pagecache.test_purge_keys import every_list_of

    # Made and committed first, so that what making it purged is sent and forgotten.
    with django_capture_on_commit_callbacks(execute=True):
        story, neighbour = live_story_and_its_neighbour()
    surfaces = surfaces_of(story, neighbour)
    reader = Client()
    for url in surfaces:
        assert WORD in reader.get(url).content.decode().lower(), url
    assert reader.get(story.get_absolute_url()).status_code == 200

    recording_cache.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(editor).post(transition_url(story, "embargo"))
    assert response.status_code == 302

    sent = {key for send in recording_cache.sent for key in send}
    assert sent == {f"story-{story.pk}", *every_list_of(story)}
    for url in surfaces:
        content = reader.get(url).content.decode().lower()
        assert "court ruling" not in content and f"the {WORD} paragraph" not in content, url
    never = reader.get(story.get_absolute_url().replace(story.slug, "never-existed"))
    gone = reader.get(story.get_absolute_url())
    assert gone.status_code == 404 and gone.content == never.content


def live_story_and_its_neighbour():
    from people.models import Country
    from tests.factories import make_organisation, make_person

    news = make_section("News")
    story = make_article(
        f"Court ruling {WORD}",
        body=f"<p>The {WORD} paragraph.</p>",
        section=news,
        authors=[make_author(make_journalist(username="leila"))],
        people=[make_person("Mark Esper")],
        organisations=[make_organisation("NATO")],
        countries=[Country.objects.get(code="MA")],
        tags=[WORD],
    )
    neighbour = make_article("Talks resume in Rabat", section=news, tags=[WORD])
    neighbour.related.add(story)
    return story, neighbour
