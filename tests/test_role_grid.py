"""Who may do what, page by page: every admin page and action, for every role.

`TABLE` is the table of docs/workflow.md ("Who may do what, page by page"),
row for row and word for word, and `test_the_table_is_the_one_in_the_docs`
keeps the two the same. Every cell is a test named by its row and its role: it
makes the row's request through the real admin, signed in as that role, and
checks what the cell's word promises (the words are defined above the table
in the doc). "Nothing changes" compares every row of the newsroom's tables
before and after; "no" also makes the same request for an id that does not
exist and compares the two answers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import editing, previews, revisions, workflow
from articles.images.models import Image
from articles.models import (
    Article,
    ArticleEvent,
    Byline,
    Correction,
    DeletedStory,
    PreviewLink,
    Revision,
)
from people.models import Country, Organisation, Person, Role
from tests.articles.image_files import jpeg, upload
from tests.articles.workflow_stories import story_in
from tests.factories import (
    country,
    make_article,
    make_author,
    make_editor,
    make_image,
    make_journalist,
    make_organisation,
    make_person,
    make_superuser,
    make_user,
)
from tests.forms import opened_form

pytestmark = pytest.mark.django_db

ROLES = [
    "Anonymous",
    "Journalist (the story's author)",
    "Second journalist (not an author)",
    "Editor",
    "Administrator",
]

# fmt: off
TABLE = [
    # Page or action                                         Anonymous Journalist     Second         Editor     Administrator
    ("Story list",                                           "login",  "yes",         "yes",         "yes",     "yes"),
    ("Add a story",                                          "login",  "yes",         "yes",         "yes",     "yes"),
    ("Open a draft",                                         "login",  "yes",         "no",          "yes",     "yes"),
    ("Open a story in review",                               "login",  "read",        "no",          "yes",     "yes"),
    ("Open a published story",                               "login",  "read",        "no",          "yes",     "yes"),
    ("Save a draft",                                         "login",  "yes",         "no",          "yes",     "yes"),
    ("Save a story in review",                               "login",  "refused",     "no",          "yes",     "yes"),
    ("Save a published story",                               "login",  "refused",     "no",          "yes",     "yes"),
    ("Delete a draft",                                       "login",  "403",         "403",         "yes",     "yes"),
    ("Delete a published story",                             "login",  "403",         "403",         "refused", "refused"),
    ("Delete selected: a draft",                             "login",  "not offered", "not offered", "yes",     "yes"),
    ("Delete selected: a published story",                   "login",  "not offered", "not offered", "refused", "refused"),
    ("Publish now (list action): a story in review",         "login",  "not offered", "not offered", "yes",     "yes"),
    ("Submit a draft",                                       "login",  "yes",         "no",          "yes",     "yes"),
    ("Send back a story in review",                          "login",  "403",         "no",          "yes",     "yes"),
    ("Publish a story in review now",                        "login",  "403",         "no",          "yes",     "yes"),
    ("Schedule a story in review",                           "login",  "403",         "no",          "yes",     "yes"),
    ("Unschedule a scheduled story",                         "login",  "403",         "no",          "yes",     "yes"),
    ("Withdraw a published story",                           "login",  "403",         "no",          "yes",     "yes"),
    ("Return a withdrawn story to draft",                    "login",  "403",         "no",          "yes",     "yes"),
    ("Add a correction to a published story",                "login",  "403",         "no",          "yes",     "yes"),
    ("Mark a published story as updated",                    "login",  "403",         "no",          "yes",     "yes"),
    ("History of a draft",                                   "login",  "yes",         "no",          "yes",     "yes"),
    ("Compare a revision of a draft",                        "login",  "yes",         "no",          "yes",     "yes"),
    ("Preview a revision of a draft",                        "login",  "yes",         "no",          "yes",     "yes"),
    ("Restore a revision of a draft",                        "login",  "yes",         "no",          "yes",     "yes"),
    ("Restore a revision of a story in review",              "login",  "403",         "no",          "yes",     "yes"),
    ("Preview a draft",                                      "login",  "yes",         "no",          "yes",     "yes"),
    ("Make a share link for a draft",                        "login",  "yes",         "no",          "yes",     "yes"),
    ("Revoke a draft's share link",                          "login",  "yes",         "no",          "yes",     "yes"),
    ("View-on-site shortcut (/admin/r/…) to a draft",        "login",  "yes",         "no",          "yes",     "yes"),
    ("Deleted stories list",                                 "login",  "403",         "403",         "yes",     "yes"),
    ("Open a deleted story's record",                        "login",  "403",         "403",         "read",    "read"),
    ("Image library list",                                   "login",  "yes",         "yes",         "yes",     "yes"),
    ("Upload a picture",                                     "login",  "yes",         "yes",         "yes",     "yes"),
    ("Change the caption of a picture used only on a draft", "login",  "yes",         "yes",         "yes",     "yes"),
    ("Change the caption of a picture on a published story", "login",  "refused",     "refused",     "yes",     "yes"),
    ("Change the title of a picture on a published story",   "login",  "yes",         "yes",         "yes",     "yes"),
    ("Delete an unused picture",                             "login",  "403",         "403",         "yes",     "yes"),
    ("Delete a picture on a published story",                "login",  "403",         "403",         "refused", "refused"),
    ("Delete selected: a picture on a published story",      "login",  "not offered", "not offered", "refused", "refused"),
    ("Picture picker",                                       "login",  "yes",         "yes",         "yes",     "yes"),
    ("People list",                                          "login",  "yes",         "yes",         "yes",     "yes"),
    ("Open a person",                                        "login",  "read",        "read",        "yes",     "yes"),
    ("Add a person",                                         "login",  "403",         "403",         "yes",     "yes"),
    ("Change a person",                                      "login",  "403",         "403",         "yes",     "yes"),
    ("Delete a person a published story is about",           "login",  "403",         "403",         "refused", "refused"),
    ("Delete selected: a person a published story is about", "login",  "not offered", "not offered", "refused", "refused"),
    ("Delete a person only a draft is about",                "login",  "403",         "403",         "yes",     "yes"),
    ("Organisations list",                                   "login",  "yes",         "yes",         "yes",     "yes"),
    ("Open an organisation",                                 "login",  "read",        "read",        "yes",     "yes"),
    ("Add an organisation",                                  "login",  "403",         "403",         "yes",     "yes"),
    ("Change an organisation",                               "login",  "403",         "403",         "yes",     "yes"),
    ("Delete an organisation a published story is about",    "login",  "403",         "403",         "refused", "refused"),
    ("Delete an organisation only a draft is about",         "login",  "403",         "403",         "yes",     "yes"),
    ("Countries list",                                       "login",  "yes",         "yes",         "yes",     "yes"),
    ("Change a country",                                     "login",  "403",         "403",         "yes",     "yes"),
    ("Delete a country",                                     "login",  "403",         "403",         "403",     "403"),
    ("Sections list",                                        "login",  "yes",         "yes",         "yes",     "yes"),
    ("Change a section",                                     "login",  "403",         "403",         "yes",     "yes"),
    ("Delete a section with stories",                        "login",  "403",         "403",         "refused", "refused"),
    ("Tag list",                                             "login",  "yes",         "yes",         "yes",     "yes"),
    ("Open a tag used only on a draft",                      "login",  "read",        "no",          "yes",     "yes"),
    ("Change a tag on a published story",                    "login",  "403",         "403",         "yes",     "yes"),
    ("Merge tags",                                           "login",  "403",         "403",         "yes",     "yes"),
    ("Delete a tag on a published story",                    "login",  "403",         "403",         "refused", "refused"),
    ("User list",                                            "login",  "403",         "403",         "403",     "yes"),
    ("Add a user",                                           "login",  "403",         "403",         "403",     "yes"),
    ("Change a user",                                        "login",  "403",         "403",         "403",     "yes"),
    ("Deactivate a user",                                    "login",  "403",         "403",         "403",     "yes"),
    ("Delete a user who acted",                              "login",  "403",         "403",         "403",     "refused"),
    ("Delete selected: a user who acted",                    "login",  "403",         "403",         "403",     "refused"),
    ("Delete a user who never acted",                        "login",  "403",         "403",         "403",     "yes"),
    ("Group list",                                           "login",  "403",         "403",         "403",     "yes"),
]
# fmt: on

WORDS = {"yes", "read", "no", "403", "login", "refused", "not offered"}
MISSING = 987654  # an id no object has
DOC = Path(__file__).resolve().parent.parent / "docs" / "workflow.md"
SECTION = "## Who may do what, page by page"


# --- The newsroom ------------------------------------------------------------------


class Newsroom:
    """A small newsroom, built once for this module (see the `newsroom` fixture).

    Four staff accounts; the journalist's stories in every state, each about
    Morocco, Mark Esper and the Ministry of Defence and tagged "defence", with
    the journalist's byline; pictures on a draft and on a published story; a
    share link; a deleted draft's record; a reporter who left and an account
    made by mistake. Tests read these objects and never change them in memory:
    what a request changes in the database is rolled back after each test.
    """

    def __init__(self):
        self.journalist = make_journalist(first_name="Jamila", last_name="Reporter")
        self.second_journalist = make_journalist(first_name="Rowena", last_name="Rival")
        make_author(self.second_journalist)
        self.editor = make_editor(first_name="Edith", last_name="Desk")
        self.administrator = make_superuser(first_name="Ada", last_name="Admin")
        self.byline = make_author(self.journalist)
        self.morocco = country("MA")
        self.esper = make_person("Mark Esper", country=self.morocco)
        self.ministry = make_organisation("Ministry of Defence", country=self.morocco)
        self.draft_only_person = make_person("Nadia Source")
        self.draft_only_organisation = make_organisation("Harbour Authority")

        self.picture_on_draft = make_image(
            "Resignation letter", alt_text="The letter", caption="The letter.", pixels=(320, 240)
        )
        self.picture_on_published = make_image(
            "Signing ceremony", alt_text="Two ministers sign", caption="Rabat.", pixels=(320, 240)
        )
        self.unused_picture = make_image(
            "Harbour at dusk", alt_text="The harbour", pixels=(320, 240)
        )

        self.draft = self.story(
            "draft",
            "Minister resigns over leaks",
            people=[self.esper, self.draft_only_person],
            organisations=[self.ministry, self.draft_only_organisation],
            tags=["defence", "narwhal memo"],
            lead_image=self.picture_on_draft,
        )
        self.two_versions(self.draft, "Minister resigns over leaked memo")
        self.in_review = self.story("draft", "Navy orders two frigates")
        self.two_versions(self.in_review, "Navy orders two new frigates")
        self.in_review.submit(by=self.journalist)
        self.scheduled = self.story("scheduled", "Defence budget to rise")
        self.published = self.story(
            "published",
            "Morocco and US sign defence roadmap",
            tags=["defence", "roadmap", "road map"],
            lead_image=self.picture_on_published,
        )
        self.withdrawn = self.story("withdrawn", "Base closure announced")
        self.roadmap, self.road_map = (Tag.objects.get(name=n) for n in ["roadmap", "road map"])
        self.draft_only_tag = Tag.objects.get(name="narwhal memo")
        self.shared_draft = self.story("draft", "Harbour deal: the draft for the lawyers")
        previews.share(self.shared_draft, by=self.journalist)
        self.deleted_record = editing.delete_story(
            self.story("draft", "Abandoned draft"), by=self.editor
        )

        # A reporter who has left: started a story, which is on the record.
        self.departed = make_journalist("departed", first_name="Dan", last_name="Gone")
        make_article("Old scoop", created_by=self.departed, countries=[self.morocco])
        # An account made by mistake, never used.
        self.mistake = make_user("mistake", is_staff=True)

    def story(self, state, headline, *, people=(), organisations=(), tags=("defence",), **fields):
        return story_in(
            state,
            headline=headline,
            created_by=self.journalist,
            authors=[self.byline],
            countries=[self.morocco],
            people=list(people) or [self.esper],
            organisations=list(organisations) or [self.ministry],
            tags=list(tags),
            **fields,
        )

    def two_versions(self, story, second_headline):
        """Version 1 as made, version 2 with a new headline, as the journalist saved it."""
        revisions.record_revision(story, by=self.journalist)
        story.headline = second_headline
        editing.save_story(story, by=self.journalist, fields=["headline"], base_version=1)

    def user(self, role):
        return {
            "Anonymous": None,
            "Journalist (the story's author)": self.journalist,
            "Second journalist (not an author)": self.second_journalist,
            "Editor": self.editor,
            "Administrator": self.administrator,
        }[role]

    def client(self, role):
        """A browser of its own, signed in as `role` (sessions live in the test's transaction)."""
        client = Client()
        if (user := self.user(role)) is not None:
            client.force_login(user)
        return client

    @property
    def admin_client(self):
        """Fills in forms as the page shows them to someone who may change everything."""
        return self.client("Administrator")


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker, tmp_path_factory):
    """The newsroom, built once: each test runs in a savepoint inside this transaction,
    so it starts from the newsroom as built, whatever the test before it changed."""
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast), django_db_blocker.unblock():
        with transaction.atomic():
            yield Newsroom()
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_in_tmp():
    """The pictures' files stay in the newsroom's media folder (conftest's moves it per test)."""


def fresh(obj):
    return type(obj)._base_manager.filter(pk=obj.pk).first()


def world():
    """Every row of the newsroom's tables, to check a refusal changed nothing."""
    User = get_user_model()
    models = [
        Article,
        Article.people.through,
        Article.organisations.through,
        Article.countries.through,
        Article.related.through,
        ArticleEvent,
        Byline,
        Correction,
        DeletedStory,
        PreviewLink,
        Revision,
        Image,
        Person,
        Organisation,
        Role,
        Country,
        Tag,
        TaggedItem,
        User.groups.through,
        LogEntry,
    ]
    # Renditions are left out: a list page may make a thumbnail nobody had asked for yet.
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values()) for model in models
    }
    # Logging in moves last_login; that is not a change to the newsroom.
    rows["users"] = list(User.objects.order_by("pk").values())
    for user in rows["users"]:
        user.pop("last_login", None)
    return rows


# --- The doors -------------------------------------------------------------------------


@dataclass(frozen=True)
class Door:
    """One row's request: `url(pk)` for the object `target(newsroom)` (None: a list page)."""

    url: Callable[[int | None], str]
    target: Callable[[Newsroom], object] | None = None
    method: str = "get"
    data: Callable[[Newsroom], dict] = lambda nr: {}
    # For "yes": did it happen? Given the newsroom and the response.
    done: Callable[[Newsroom, object], bool] | None = None
    # For "refused": what the page says.
    why: str = ""
    # An object's page: "yes" means a Save button, "read" none.
    page: bool = False
    # A first step, made as the same role (e.g. choosing tags to merge).
    first: Callable[[Client, Newsroom], None] | None = None
    # A list action's name, for "not offered".
    action: str = ""


def admin_url(name, *args):
    return lambda pk: reverse(f"admin:{name}", args=[pk, *args] if pk is not None else args)


def list_url(name):
    return lambda pk: reverse(f"admin:{name}")


def changed(form_url, **values):
    """What the administrator's page of the object shows, with `values` typed in."""

    def data(nr):
        posted = opened_form(nr.admin_client, form_url(nr))
        posted.update({name: [value] for name, value in values.items()})
        return posted

    return data


def story_form(story_of, headline):
    return changed(
        lambda nr: reverse("admin:articles_article_change", args=[story_of(nr).pk]),
        headline=headline,
    )


def transition(name, target, done, **data):
    return Door(
        admin_url("articles_article_transition", name),
        target=target,
        method="post",
        data=lambda nr: data,
        done=done,
    )


def state(story):
    return workflow.state_of(fresh(story))


def gone(obj):
    return fresh(obj) is None


def action(changelist, name, target, *, done=None, why=""):
    """A list action on the target, confirmed ("post": "yes") as the confirmation page would."""
    return Door(
        list_url(changelist),
        target=target,
        method="post",
        data=lambda nr: {"action": name, "_selected_action": [target(nr).pk], "post": "yes"},
        done=done or (lambda nr, response: gone(target(nr))),
        why=why,
        action=name,
    )


def deletion(name, target, *, done=gone, why=""):
    return Door(
        admin_url(name),
        target=target,
        method="post",
        data=lambda nr: {"post": "yes"},
        done=lambda nr, response: done(target(nr)),
        why=why,
    )


def new_story(nr):
    posted = opened_form(nr.admin_client, reverse("admin:articles_article_add"))
    posted.update(
        headline=["Drone strike reported"],
        slug=["drone-strike-reported"],
        standfirst=["What we know."],
        body=["<p>Reports came in overnight.</p>"],
        section=[str(nr.draft.section_id)],
    )
    return posted


def new_picture(nr):
    return {
        "title": "Parade rehearsal",
        "alt_text": "Soldiers march",
        "caption": "",
        "credit": "",
        "source": "",
        "tags": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "upload": upload(jpeg(320, 240), "parade.jpg"),
    }


def new_person(nr):
    posted = opened_form(nr.admin_client, reverse("admin:people_person_add"))
    posted.update(name=["Leila Benali"], slug=["leila-benali"])
    return posted


def new_organisation(nr):
    posted = opened_form(nr.admin_client, reverse("admin:people_organisation_add"))
    posted.update(name=["Coast Guard"], slug=["coast-guard"])
    return posted


def new_user(nr):
    posted = opened_form(nr.admin_client, reverse("admin:auth_user_add"))
    password = ["a long pass phrase"]
    posted.update(username=["newcomer"], password1=password, password2=password)
    return posted


def schedule_time():
    return timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def choose_tags_to_merge(client, nr):
    client.post(
        reverse("admin:taggit_tag_changelist"),
        {
            "action": "render_tag_form",
            "_selected_action": [nr.roadmap.pk, nr.road_map.pk],
        },
    )


def on_site(pk):
    content_type = ContentType.objects.get_for_model(Article)
    return reverse("admin:view_on_site", args=[content_type.pk, pk])


def was_deleted_with_a_record(story):
    return gone(story) and DeletedStory.objects.filter(story_id=story.pk).exists()


EDITED = "Minister resigns: the full memo"
NEW_CAPTION = "The minister's letter, as published."
KEEP_PUBLISHED = "has been published: withdraw it instead"
PROTECTED = "would require deleting the following protected related objects"

DOORS = {
    "Story list": Door(list_url("articles_article_changelist")),
    "Add a story": Door(
        list_url("articles_article_add"),
        method="post",
        data=new_story,
        done=lambda nr, r: Article.objects.filter(headline="Drone strike reported").exists(),
    ),
    "Open a draft": Door(
        admin_url("articles_article_change"), target=lambda nr: nr.draft, page=True
    ),
    "Open a story in review": Door(
        admin_url("articles_article_change"), target=lambda nr: nr.in_review, page=True
    ),
    "Open a published story": Door(
        admin_url("articles_article_change"), target=lambda nr: nr.published, page=True
    ),
    "Save a draft": Door(
        admin_url("articles_article_change"),
        target=lambda nr: nr.draft,
        method="post",
        data=story_form(lambda nr: nr.draft, EDITED),
        done=lambda nr, r: fresh(nr.draft).headline == EDITED,
    ),
    "Save a story in review": Door(
        admin_url("articles_article_change"),
        target=lambda nr: nr.in_review,
        method="post",
        data=story_form(lambda nr: nr.in_review, EDITED),
        done=lambda nr, r: fresh(nr.in_review).headline == EDITED,
        why="only an editor can change it",
    ),
    "Save a published story": Door(
        admin_url("articles_article_change"),
        target=lambda nr: nr.published,
        method="post",
        data=story_form(lambda nr: nr.published, EDITED),
        done=lambda nr, r: fresh(nr.published).headline == EDITED,
        why="only an editor can change it",
    ),
    "Delete a draft": deletion(
        "articles_article_delete", lambda nr: nr.draft, done=was_deleted_with_a_record
    ),
    "Delete a published story": deletion(
        "articles_article_delete", lambda nr: nr.published, why=KEEP_PUBLISHED
    ),
    "Delete selected: a draft": action(
        "articles_article_changelist",
        "delete_selected",
        lambda nr: nr.draft,
        done=lambda nr, r: was_deleted_with_a_record(nr.draft),
    ),
    "Delete selected: a published story": action(
        "articles_article_changelist",
        "delete_selected",
        lambda nr: nr.published,
        why=KEEP_PUBLISHED,
    ),
    "Publish now (list action): a story in review": action(
        "articles_article_changelist",
        "publish_now",
        lambda nr: nr.in_review,
        done=lambda nr, r: state(nr.in_review) == workflow.State.PUBLISHED,
    ),
    "Submit a draft": transition(
        "submit", lambda nr: nr.draft, lambda nr, r: state(nr.draft) == workflow.State.IN_REVIEW
    ),
    "Send back a story in review": transition(
        "send_back",
        lambda nr: nr.in_review,
        lambda nr, r: state(nr.in_review) == workflow.State.DRAFT,
        note="Please add the minister's reply.",
    ),
    "Publish a story in review now": transition(
        "publish",
        lambda nr: nr.in_review,
        lambda nr, r: state(nr.in_review) == workflow.State.PUBLISHED,
    ),
    "Schedule a story in review": Door(
        admin_url("articles_article_transition", "publish"),
        target=lambda nr: nr.in_review,
        method="post",
        data=lambda nr: {"at": schedule_time()},
        done=lambda nr, r: state(nr.in_review) == workflow.State.SCHEDULED,
    ),
    "Unschedule a scheduled story": transition(
        "unschedule",
        lambda nr: nr.scheduled,
        lambda nr, r: state(nr.scheduled) == workflow.State.DRAFT,
    ),
    "Withdraw a published story": transition(
        "withdraw",
        lambda nr: nr.published,
        lambda nr, r: state(nr.published) == workflow.State.WITHDRAWN,
        reason="The agreement was not signed.",
    ),
    "Return a withdrawn story to draft": transition(
        "redraft",
        lambda nr: nr.withdrawn,
        lambda nr, r: state(nr.withdrawn) == workflow.State.DRAFT,
    ),
    "Add a correction to a published story": transition(
        "add_correction",
        lambda nr: nr.published,
        lambda nr, r: fresh(nr.published).corrections.count() == 1,
        kind="correction",
        text="An earlier version misspelt the minister's name.",
    ),
    "Mark a published story as updated": transition(
        "mark_updated",
        lambda nr: nr.published,
        lambda nr, r: fresh(nr.published).was_updated,
        note="New figures from the ministry.",
    ),
    "History of a draft": Door(admin_url("articles_article_revisions"), target=lambda nr: nr.draft),
    "Compare a revision of a draft": Door(
        admin_url("articles_article_revision", 1), target=lambda nr: nr.draft
    ),
    "Preview a revision of a draft": Door(
        admin_url("articles_article_revision_preview", 1), target=lambda nr: nr.draft
    ),
    "Restore a revision of a draft": Door(
        admin_url("articles_article_restore", 1),
        target=lambda nr: nr.draft,
        method="post",
        done=lambda nr, r: fresh(nr.draft).headline == "Minister resigns over leaks",
    ),
    "Restore a revision of a story in review": Door(
        admin_url("articles_article_restore", 1),
        target=lambda nr: nr.in_review,
        method="post",
        done=lambda nr, r: fresh(nr.in_review).headline == "Navy orders two frigates",
    ),
    "Preview a draft": Door(admin_url("articles_article_preview"), target=lambda nr: nr.draft),
    "Make a share link for a draft": Door(
        admin_url("articles_article_share"),
        target=lambda nr: nr.draft,
        method="post",
        data=lambda nr: {"action": "create"},
        done=lambda nr, r: PreviewLink.objects.filter(article=nr.draft).exists(),
    ),
    "Revoke a draft's share link": Door(
        admin_url("articles_article_share"),
        target=lambda nr: nr.shared_draft,
        method="post",
        data=lambda nr: {"action": "revoke"},
        done=lambda nr, r: not PreviewLink.objects.filter(article=nr.shared_draft).exists(),
    ),
    "View-on-site shortcut (/admin/r/…) to a draft": Door(
        on_site,
        target=lambda nr: nr.draft,
        # To the draft's preview: its public address would be a 404.
        done=lambda nr, r: (
            r.status_code == 302
            and r["Location"] == reverse("admin:articles_article_preview", args=[nr.draft.pk])
        ),
    ),
    "Deleted stories list": Door(list_url("articles_deletedstory_changelist")),
    "Open a deleted story's record": Door(
        admin_url("articles_deletedstory_change"), target=lambda nr: nr.deleted_record, page=True
    ),
    "Image library list": Door(list_url("images_image_changelist"), target=None),
    "Upload a picture": Door(
        list_url("images_image_add"),
        method="post",
        data=new_picture,
        done=lambda nr, r: Image.objects.filter(title="Parade rehearsal").exists(),
    ),
    "Change the caption of a picture used only on a draft": Door(
        admin_url("images_image_change"),
        target=lambda nr: nr.picture_on_draft,
        method="post",
        data=changed(
            lambda nr: reverse("admin:images_image_change", args=[nr.picture_on_draft.pk]),
            caption=NEW_CAPTION,
        ),
        done=lambda nr, r: fresh(nr.picture_on_draft).caption == NEW_CAPTION,
    ),
    "Change the caption of a picture on a published story": Door(
        admin_url("images_image_change"),
        target=lambda nr: nr.picture_on_published,
        method="post",
        data=changed(
            lambda nr: reverse("admin:images_image_change", args=[nr.picture_on_published.pk]),
            caption=NEW_CAPTION,
        ),
        done=lambda nr, r: fresh(nr.picture_on_published).caption == NEW_CAPTION,
        why="Only an editor may change the caption of this picture",
    ),
    "Change the title of a picture on a published story": Door(
        admin_url("images_image_change"),
        target=lambda nr: nr.picture_on_published,
        method="post",
        data=changed(
            lambda nr: reverse("admin:images_image_change", args=[nr.picture_on_published.pk]),
            title="Signing ceremony, Rabat",
        ),
        done=lambda nr, r: fresh(nr.picture_on_published).title == "Signing ceremony, Rabat",
    ),
    "Delete an unused picture": deletion("images_image_delete", lambda nr: nr.unused_picture),
    "Delete a picture on a published story": deletion(
        "images_image_delete", lambda nr: nr.picture_on_published, why="Morocco and US sign"
    ),
    "Delete selected: a picture on a published story": action(
        "images_image_changelist",
        "delete_selected",
        lambda nr: nr.picture_on_published,
        why="Morocco and US sign",
    ),
    "Picture picker": Door(list_url("images_image_picker")),
    "People list": Door(list_url("people_person_changelist")),
    "Open a person": Door(admin_url("people_person_change"), target=lambda nr: nr.esper, page=True),
    "Add a person": Door(
        list_url("people_person_add"),
        method="post",
        data=new_person,
        done=lambda nr, r: Person.objects.filter(name="Leila Benali").exists(),
    ),
    "Change a person": Door(
        admin_url("people_person_change"),
        target=lambda nr: nr.esper,
        method="post",
        data=changed(
            lambda nr: reverse("admin:people_person_change", args=[nr.esper.pk]),
            description="Former US Secretary of Defense",
        ),
        done=lambda nr, r: fresh(nr.esper).description == "Former US Secretary of Defense",
    ),
    "Delete a person a published story is about": deletion(
        "people_person_delete", lambda nr: nr.esper, why="Morocco and US sign defence roadmap"
    ),
    "Delete selected: a person a published story is about": action(
        "people_person_changelist",
        "delete_selected",
        lambda nr: nr.esper,
        why="Morocco and US sign defence roadmap",
    ),
    "Delete a person only a draft is about": deletion(
        "people_person_delete", lambda nr: nr.draft_only_person
    ),
    "Organisations list": Door(list_url("people_organisation_changelist")),
    "Open an organisation": Door(
        admin_url("people_organisation_change"), target=lambda nr: nr.ministry, page=True
    ),
    "Add an organisation": Door(
        list_url("people_organisation_add"),
        method="post",
        data=new_organisation,
        done=lambda nr, r: Organisation.objects.filter(name="Coast Guard").exists(),
    ),
    "Change an organisation": Door(
        admin_url("people_organisation_change"),
        target=lambda nr: nr.ministry,
        method="post",
        data=changed(
            lambda nr: reverse("admin:people_organisation_change", args=[nr.ministry.pk]),
            short_name="MoD",
        ),
        done=lambda nr, r: fresh(nr.ministry).short_name == "MoD",
    ),
    "Delete an organisation a published story is about": deletion(
        "people_organisation_delete",
        lambda nr: nr.ministry,
        why="Morocco and US sign defence roadmap",
    ),
    "Delete an organisation only a draft is about": deletion(
        "people_organisation_delete", lambda nr: nr.draft_only_organisation
    ),
    "Countries list": Door(list_url("people_country_changelist")),
    "Change a country": Door(
        admin_url("people_country_change"),
        target=lambda nr: nr.morocco,
        method="post",
        data=changed(
            lambda nr: reverse("admin:people_country_change", args=[nr.morocco.pk]),
            description="Kingdom in North Africa.",
        ),
        done=lambda nr, r: fresh(nr.morocco).description == "Kingdom in North Africa.",
    ),
    "Delete a country": deletion("people_country_delete", lambda nr: nr.morocco),
    "Sections list": Door(list_url("articles_section_changelist")),
    "Change a section": Door(
        admin_url("articles_section_change"),
        target=lambda nr: nr.draft.section,
        method="post",
        data=changed(
            lambda nr: reverse("admin:articles_section_change", args=[nr.draft.section_id]),
            name="World news",
        ),
        done=lambda nr, r: fresh(nr.draft.section).name == "World news",
    ),
    "Delete a section with stories": deletion(
        "articles_section_delete", lambda nr: nr.draft.section, why=PROTECTED
    ),
    "Tag list": Door(list_url("taggit_tag_changelist")),
    "Open a tag used only on a draft": Door(
        admin_url("taggit_tag_change"), target=lambda nr: nr.draft_only_tag, page=True
    ),
    "Change a tag on a published story": Door(
        admin_url("taggit_tag_change"),
        target=lambda nr: nr.roadmap,
        method="post",
        data=changed(
            lambda nr: reverse("admin:taggit_tag_change", args=[nr.roadmap.pk]),
            name="defence roadmap",
        ),
        done=lambda nr, r: Tag.objects.filter(name="defence roadmap").exists(),
    ),
    "Merge tags": Door(
        list_url("taggit_tag_merge_tags"),
        method="post",
        first=choose_tags_to_merge,
        data=lambda nr: {"new_tag_name": "roadmap"},
        done=lambda nr, r: not TaggedItem.objects.filter(tag__name="road map").exists(),
    ),
    "Delete a tag on a published story": deletion(
        "taggit_tag_delete",
        lambda nr: nr.roadmap,
        done=lambda tag: not gone(tag),
        why="merge it into another tag instead",
    ),
    "User list": Door(list_url("auth_user_changelist")),
    "Add a user": Door(
        list_url("auth_user_add"),
        method="post",
        data=new_user,
        done=lambda nr, r: get_user_model().objects.filter(username="newcomer").exists(),
    ),
    "Change a user": Door(
        admin_url("auth_user_change"),
        target=lambda nr: nr.mistake,
        method="post",
        data=changed(
            lambda nr: reverse("admin:auth_user_change", args=[nr.mistake.pk]),
            first_name="Misha",
        ),
        done=lambda nr, r: fresh(nr.mistake).first_name == "Misha",
    ),
    "Deactivate a user": action(
        "auth_user_changelist",
        "deactivate_users",
        lambda nr: nr.departed,
        done=lambda nr, r: not fresh(nr.departed).is_active,
    ),
    "Delete a user who acted": deletion(
        "auth_user_delete", lambda nr: nr.departed, why="started 1 story"
    ),
    "Delete selected: a user who acted": action(
        "auth_user_changelist", "delete_selected", lambda nr: nr.departed, why="started 1 story"
    ),
    "Delete a user who never acted": deletion("auth_user_delete", lambda nr: nr.mistake),
    "Group list": Door(list_url("auth_group_changelist")),
}


# --- The checks --------------------------------------------------------------------


def request(door, client, pk, data):
    url = door.url(pk)
    if door.method == "get":
        return client.get(url)
    return client.post(url, data)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def answer(response, pk):
    """What a response tells, with the missing id read as `pk`: the two must not differ."""

    def text(words):
        return words.replace(str(MISSING), str(pk)) if pk is not None else words

    page = response.content.decode() if response.status_code == 404 else ""
    return {
        "status": response.status_code,
        "location": text(response.get("Location", "")),
        "messages": [text(message) for message in messages_of(response)],
        "page": text(page),
    }


def check(word, door, newsroom, role):
    client = newsroom.client(role)
    target = door.target(newsroom) if door.target else None
    pk = target.pk if target is not None else None
    data = door.data(newsroom)
    if door.first:
        door.first(client, newsroom)
    before = world()
    response = request(door, client, pk, data)
    after = world()

    assert word != "read" or door.page, "“read” is for an object's page"
    assert door.method == "get" or door.done, "a change needs a check that it happened"

    if word == "yes":
        if door.done is not None:
            if door.method == "post":
                assert response.status_code == 302, (response.status_code, messages_of(response))
            assert door.done(newsroom, response), (response.status_code, messages_of(response))
            return
        assert response.status_code == 200, response.status_code
        if door.page:
            assert 'name="_save"' in response.content.decode(), "the page has no Save button"
        return

    assert after == before, "a refusal changed the newsroom"
    if word == "read":
        assert response.status_code == 200, response.status_code
        assert 'name="_save"' not in response.content.decode(), "the page offers Save"
    elif word == "login":
        assert response.status_code == 302, response.status_code
        login = reverse("admin:login") + "?next="
        assert response["Location"].startswith(login), response["Location"]
    elif word == "403":
        assert response.status_code == 403, response.status_code
    elif word == "refused":
        assert response.status_code == 200, (response.status_code, messages_of(response))
        assert door.why, "a refused row needs the words the page says"
        assert door.why in response.content.decode(), f"the page does not say “{door.why}”"
    elif word == "not offered":
        # Django shows the list again, as for a post that is no action at all.
        assert response.status_code == 200, response.status_code
        assert "admin/change_list.html" in response.template_name, response.template_name
        assert f'value="{door.action}"' not in response.content.decode(), "the list offers it"
    elif word == "no":
        assert response.status_code in (302, 404), response.status_code
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index"), response["Location"]
        # A client of its own, so the first answer's messages are not read again.
        missing = request(door, newsroom.client(role), MISSING, data)
        assert answer(response, pk) == answer(missing, pk), "it answers unlike a missing id"
    else:
        pytest.fail(f"“{word}” is not a word of the table")


CASES = [
    pytest.param(action_, role, word, id=f"{action_} | {role}")
    for action_, *words in TABLE
    for role, word in zip(ROLES, words, strict=True)
]


@pytest.mark.parametrize("action_, role, word", CASES)
def test_each_role_gets_what_the_table_says(newsroom, action_, role, word):
    check(word, DOORS[action_], newsroom, role)


def test_every_row_has_a_door_and_every_cell_a_known_word():
    assert [row[0] for row in TABLE] == list(DOORS)
    assert {word for _, *words in TABLE for word in words} <= WORDS
    assert all(len(row) == 1 + len(ROLES) for row in TABLE)


def doc_table():
    """The first table after the section's heading in docs/workflow.md, as rows of cells."""
    text = DOC.read_text()
    assert SECTION in text, f"docs/workflow.md has no “{SECTION}”"
    after = text.split(SECTION, 1)[1].splitlines()
    lines = []
    for line in after:
        if line.startswith("|"):
            lines.append(line)
        elif lines:
            break
    cells = [
        [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")] for line in lines
    ]
    header, rule, *rows = cells
    assert all(set(cell) <= set("-:") for cell in rule)
    return header, [tuple(row) for row in rows]


def test_the_table_is_the_one_in_the_docs():
    header, rows = doc_table()

    assert header == ["Page or action", *ROLES]
    assert [row[0] for row in rows] == [row[0] for row in TABLE], "the rows differ"
    differences = [
        f"{doc_row[0]} | {role}: the doc says “{doc_cell}”, the test “{test_cell}”"
        for doc_row, test_row in zip(rows, TABLE, strict=False)
        for role, doc_cell, test_cell in zip(ROLES, doc_row[1:], test_row[1:], strict=False)
        if doc_cell != test_cell
    ]
    assert not differences, "\n".join(differences)
    assert rows == TABLE
