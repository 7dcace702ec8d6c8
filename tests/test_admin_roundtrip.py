"""Admin round trip on the demo newsroom: everyday editing never fails.

For every model registered in the admin, every object the demo newsroom creates,
and every demo account allowed to open it, the change form is read as a browser
reads it (tests/forms.py) and posted back:

- unchanged: a redirect, and not one row of the database changes;
- with one text field changed: a redirect, the row differs in exactly that field,
  its relations are as they were, and the save leaves one record of itself (a
  story: one revision equal to the saved story and one "edited" event; anything
  else: one entry in the admin's history);
- view-only: the page opens with nothing to edit, and a save is refused.

A model added to the admin later is covered without touching this file; if the
demo has no row of it, the tests say so (see NOT_IN_DEMO).
"""

import io
from contextlib import contextmanager
from datetime import datetime
from importlib import import_module
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import Q
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from articles import revisions, search
from articles.models import Article, ArticleEvent
from tests.forms import as_post, editable_inputs, form_values, main_form, text_inputs

pytestmark = pytest.mark.django_db

# Admins register when their modules are imported; the URLconf imports them all.
import_module(settings.ROOT_URLCONF)

MODELS = sorted(model._meta.label_lower for model in admin.site._registry)
# The demo's accounts: a superuser, a member of Editors, a member of Journalists.
ROLES = ["admin", "editor", "journalist"]


# Admin models the demo has no row of: why, and how the test makes one, so that
# their admin is round-tripped all the same.
def _deleted_draft():
    from articles import editing

    editor = get_user_model().objects.get(username="editor")
    draft = Article.objects.create(
        headline="Draft deleted by mistake", section=Article.objects.first().section
    )
    return editing.delete_story(draft, by=editor)


def _partner_key():
    from articles.api.models import PartnerKey

    key = PartnerKey(name="Aggregator Ltd")
    key.new_secret()
    key.save()
    return key


def _webhook_subscription():
    from articles.webhooks.models import Event, Subscription

    return Subscription.objects.create(
        name="Wire partner", url="https://hooks.example.org/newsroom", events=Event.values
    )


def _webhook_message():
    from articles.webhooks.models import OutboxMessage

    return OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.WEBHOOK,
        message_id="msg_roundtrip",
        subscription=_webhook_subscription(),
        event_type="story.published",
        story=Article.objects.first(),
        body="{}",
    )


def _queued_task():
    from django_tasks_db.models import DBTaskResult

    from articles.webhooks.tasks import deliver_message

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        result = deliver_message.enqueue("msg_roundtrip")
    return DBTaskResult.objects.get(pk=result.id)


def _failed_sign_in():
    from people.security import lockout

    Client().post(
        "/admin/login/",
        {"username": "editor", "password": "not the password"},
        REMOTE_ADDR="203.0.113.9",
    )
    return lockout.AccessAttempt.objects.get(username="editor")


NOT_IN_DEMO = {
    "axes.accessattempt": (
        "Nobody mistypes a password in the demo; one failed sign-in is made here.",
        _failed_sign_in,
    ),
    "api.partnerkey": (
        "The demo gives no partner an API key (its secret is shown once); one is made here.",
        _partner_key,
    ),
    "webhooks.subscription": (
        "The demo has no partners to tell of its stories; one subscription is made here.",
        _webhook_subscription,
    ),
    "webhooks.outboxmessage": (
        "Without subscriptions the demo's outbox holds only email; one webhook is made here.",
        _webhook_message,
    ),
    "django_tasks_database.dbtaskresult": (
        "Tests run tasks where they are queued; one is queued in the database here.",
        _queued_task,
    ),
    "articles.deletedstory": (
        "The demo deletes no story; one draft is deleted the way an editor does it.",
        _deleted_draft,
    ),
}

# A model with more rows than this (the ~250 ISO countries) is sampled: every row
# another demo row points to (the countries stories, people and organisations
# name), plus the first HANDFUL others. Every row of every other model is used.
MANY = 50
HANDFUL = 5

# Tables an unchanged save may write to. Django's admin history records every
# save, "No fields changed." included; it is the admin's log, not the story's
# audit trail (ArticleEvent, which must not move). The session is the test
# client's own login.
# Purge marks are bookkeeping too: a save, changed or not, tells caches to re-render.
NOT_COMPARED = {"admin.logentry", "sessions.session", "pagecache.purgedkey"}

# Fields a save with a change must move besides the changed one: a story's
# edit-conflict counter and its last-modified time (feeds and sitemaps read it).
# An unchanged save must move neither: nothing was edited, and a new version
# would refuse a colleague's save for no reason (articles/revisions.py).
BOOKKEEPING = {"articles.article": {"version", "updated_at"}}

# The database as collection finds it, before pytest-django points the
# connection at a test database: the demo, with its known passwords, refuses it.
DEVELOPMENT_DATABASE = connection.settings_dict["NAME"]

NOTHING_TO_CHECK = "this role may open no demo object of this model this way"


# --- The demo newsroom, loaded once for the module ---------------------------------


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, demo_media):
    """Replaces conftest's: the stand-in picture's files last as long as the demo."""
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The demo newsroom (and NOT_IN_DEMO's stand-ins), undone after the module.

    Loading it takes a while; each test runs inside this transaction in a
    savepoint of its own (pytest-django), so each starts from the same rows.
    Returns how many rows of each admin model the demo itself made.
    """
    assert connection.settings_dict["NAME"] != DEVELOPMENT_DATABASE, (
        "no test database: only tests marked django_db may use the demo"
    )
    with django_db_blocker.unblock(), transaction.atomic():
        hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # This transaction never commits: search documents are written as they go.
        write_at_once = mock.patch.object(search, "after_commit", lambda callback: callback())
        with (
            write_at_once,
            override_settings(DEBUG=True, MEDIA_ROOT=demo_media, PASSWORD_HASHERS=hasher),
        ):
            call_command("load_demo", stdout=io.StringIO())
            counts = {label: model_of(label)._base_manager.count() for label in MODELS}
            for label, (_, make) in NOT_IN_DEMO.items():
                if label in MODELS:
                    make()
        yield counts
        transaction.set_rollback(True)


def model_of(label):
    return apps.get_model(label)


def account(role):
    return get_user_model().objects.get(username=role)


def signed_in(user):
    # A crash is reported with the object it happened on, not raised: the
    # other objects are still checked.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def demo_objects(label):
    """Every demo row of the model (sampled past MANY rows, see above)."""
    model = model_of(label)
    rows = model._base_manager.order_by("pk")
    if not rows.exists():
        pytest.fail(
            f"the demo has no {label}; add one to load_demo or list it in NOT_IN_DEMO with a reason"
        )
    if rows.count() <= MANY:
        return list(rows)
    used = Q(pk__in=[])
    for relation in model._meta.related_objects:
        used |= Q(**{f"{relation.name}__isnull": False})
    chosen = set(rows.filter(used).values_list("pk", flat=True))
    chosen |= set(rows.exclude(pk__in=chosen).values_list("pk", flat=True)[:HANDFUL])
    return list(rows.filter(pk__in=chosen))


def access(obj, user):
    """ "change", "view" or None: what the object's admin lets `user` do with it."""
    model_admin = admin.site._registry[type(obj)]
    request = request_as(user)
    if model_admin.has_change_permission(request, obj):
        return "change"
    if model_admin.has_view_permission(request, obj):
        return "view"
    return None


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def name_of(obj):
    return f"#{obj.pk} “{obj}”"


# --- What the database holds ----------------------------------------------------------


def database_rows():
    """Every row of every table but NOT_COMPARED, by table and primary key."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in NOT_COMPARED:
            continue
        pk = model._meta.pk.attname
        tables[label] = {row[pk]: row for row in model._base_manager.values()}
    return tables


def short(value, limit=70):
    text = value.isoformat(" ") if isinstance(value, datetime) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def changed_fields(old, new):
    return {name for name in old if old[name] != new[name]}


def differences(before, after):
    """What changed between two `database_rows()`, one readable line per row."""
    lines = []
    for label in sorted(before):
        old, new = before[label], after[label]
        for pk in sorted(new.keys() - old.keys(), key=str):
            lines.append(f"{label}: row added {short(new[pk], 160)}")
        for pk in sorted(old.keys() - new.keys(), key=str):
            lines.append(f"{label}: row removed {short(old[pk], 160)}")
        for pk in sorted(old.keys() & new.keys(), key=str):
            fields = sorted(changed_fields(old[pk], new[pk]))
            if fields:
                change = ", ".join(
                    f"{name} {short(old[pk][name])} → {short(new[pk][name])}" for name in fields
                )
                lines.append(f"{label} #{pk}: {change}")
    return lines


def row(obj):
    """The object's row: every concrete field."""
    return type(obj)._base_manager.filter(pk=obj.pk).values().get()


def relations(obj, user):
    """What the change form edits besides the row: many-to-many links and inline rows."""
    found = {}
    for field in obj._meta.many_to_many:
        found[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    model_admin = admin.site._registry[type(obj)]
    request = request_as(user)
    for inline in model_admin.get_inline_instances(request, obj):
        fk = getattr(inline.get_formset(request, obj), "fk", None)
        if fk is None:  # a generic inline: none registered today
            continue
        rows = inline.model._base_manager.filter(**{fk.name: obj}).order_by("pk")
        found[inline.model._meta.label_lower] = list(rows.values())
    return found


def records_of(obj):
    """Ids of the rows that record saves of `obj`, by kind."""
    found = {
        "log entries": set(
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
            ).values_list("pk", flat=True)
        )
    }
    if isinstance(obj, Article):
        found["revisions"] = set(obj.revisions.values_list("pk", flat=True))
        found["events"] = set(obj.events.values_list("pk", flat=True))
    return found


# --- Talking to the admin -------------------------------------------------------------


def where_it_broke(exc_info):
    """The exception and the last line of project code it passed through."""
    _, error, trace = exc_info
    project = Path(settings.BASE_DIR).resolve()
    place = None
    while trace is not None:
        path = Path(trace.tb_frame.f_code.co_filename).resolve()
        # Compiled extensions report paths relative to nothing; skip them.
        if project in path.parents and ".venv" not in path.parts and path.is_file():
            place = f"{path.relative_to(project)}:{trace.tb_lineno}"
        trace = trace.tb_next
    return f"{type(error).__name__}: {error}" + (f" (in {place})" if place else "")


def form_errors(response):
    context = response.context
    if not context or "adminform" not in context:
        return ""
    messages = [
        f"{field or 'form'}: {error['message']}"
        for field, errors in context["adminform"].form.errors.get_json_data().items()
        for error in errors
    ]
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        messages += [f"{formset.prefix}: {error}" for error in formset.non_form_errors()]
        for number, errors in enumerate(formset.errors):
            messages += [
                f"{formset.prefix}-{number}-{field}: {' '.join(texts)}"
                for field, texts in errors.items()
            ]
    return "; ".join(messages)


def answer(response):
    """The response in words, for a failure message."""
    text = f"answered {response.status_code}"
    if getattr(response, "exc_info", None):
        return f"{text}: {where_it_broke(response.exc_info)}"
    errors = form_errors(response)
    return f"{text}, the form came back with errors: {errors}" if errors else text


def open_form(client, obj):
    """(page, form) of the object's change page; form is None if it would not open."""
    page = client.get(change_url(obj))
    if page.status_code != 200:
        return page, None
    return page, main_form(page.content.decode())


def save(client, obj, pairs):
    """Post the form as a browser does when "Save" is clicked."""
    return client.post(change_url(obj), as_post([*pairs, ("_save", "Save")]))


def is_saved(response):
    login = reverse("admin:login")
    return response.status_code == 302 and not response["Location"].startswith(login)


@contextmanager
def rolled_back():
    """Whatever the block writes is undone, so every object starts from the demo."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def check_every_object(label, role, kind, check, **context):
    """Run `check(client, obj, user)` on each demo object `role` has `kind` access to."""
    user = account(role)
    client = signed_in(user)
    objects = [obj for obj in demo_objects(label) if access(obj, user) == kind]
    if not objects:
        pytest.skip(NOTHING_TO_CHECK)
    failures = []
    for obj in objects:
        with rolled_back():
            problems = check(client, obj, user, **context)
        failures += [f"{name_of(obj)}: {problem}" for problem in problems]
    assert not failures, (
        f"{len(failures)} problem(s) with {label} as {role}, "
        f"{len(objects)} object(s) checked:\n  " + "\n  ".join(failures)
    )


# --- The checks, one object at a time -------------------------------------------------


def unchanged_save_problems(client, obj, user):
    page, form = open_form(client, obj)
    if form is None:
        return [f"the change form did not open: {answer(page)}"]
    if not editable_inputs(form):
        return ["the change form has nothing to edit"]
    pairs = form_values(form)
    before = database_rows()
    response = save(client, obj, pairs)
    if not is_saved(response):
        return [f"saved unchanged, it {answer(response)}"]
    changes = differences(before, database_rows())
    return [f"saved unchanged, it changed {line}" for line in changes]


def field_to_change(form, model):
    """The first text input or textarea of the model form that a user types text into."""
    fields = {
        field.name: field
        for field in model._meta.concrete_fields
        if field.editable and not isinstance(field, models.SlugField)
    }
    for element in text_inputs(form):
        if element.name in fields and element.name != "password":
            return fields[element.name]
    return None


def edited(value, field):
    # A suffix valid in any of these fields, user names included.
    suffix = "-edited" if value else "edited"
    limit = field.max_length or len(value) + len(suffix)
    return value[: limit - len(suffix)] + suffix


def one_field_change_problems(client, obj, user):
    page, form = open_form(client, obj)
    if form is None:
        return [f"the change form did not open: {answer(page)}"]
    field = field_to_change(form, type(obj))
    if field is None:
        return ["the change form has no text field to change"]
    pairs = form_values(form)
    old = dict(pairs).get(field.name, "")
    new = edited(old, field)
    pairs = [(name, new if name == field.name else value) for name, value in pairs]
    row_before, relations_before = row(obj), relations(obj, user)
    records_before = records_of(obj)

    response = save(client, obj, pairs)
    if not is_saved(response):
        return [f"saved with {field.name} changed, it {answer(response)}"]

    problems = []
    row_after = row(obj)
    expected = {field.attname} | BOOKKEEPING.get(obj._meta.label_lower, set())
    moved = changed_fields(row_before, row_after)
    if moved != expected:
        problems.append(
            f"{field.name} was changed, but the row changed in {sorted(moved)}, "
            f"not {sorted(expected)}"
        )
    if row_after[field.attname] != new:
        problems.append(f"{field.name} is {short(row_after[field.attname])}, not {new!r}")
    if relations(obj, user) != relations_before:
        problems.append(f"changing {field.name} changed the relations")
    new_records = {kind: records_of(obj)[kind] - ids for kind, ids in records_before.items()}
    if isinstance(obj, Article):
        problems += story_record_problems(obj, user, row_before, new_records)
    else:
        problems += history_problems(user, new_records["log entries"])
    return problems


def story_record_problems(obj, user, row_before, new_records):
    story = Article.objects.get(pk=obj.pk)
    problems = []
    if story.version != row_before["version"] + 1:
        problems.append(f"version went {row_before['version']} → {story.version}, not up by one")
    found = story.revisions.filter(pk__in=new_records["revisions"])
    if len(found) != 1:
        problems.append(f"the save made {len(found)} revisions, not one")
    else:
        revision = found[0]
        if revision.version != story.version:
            problems.append(f"the revision is of version {revision.version}, not {story.version}")
        if revision.snapshot != revisions.snapshot(story):
            problems.append("the revision is not the saved story (relations included)")
    events = [
        (event.action, event.by_id) for event in story.events.filter(pk__in=new_records["events"])
    ]
    if events != [(ArticleEvent.Action.EDIT, user.pk)]:
        problems.append(
            f"the save made events {events} (action, by), not one "
            f"{ArticleEvent.Action.EDIT.value!r} by {user} (#{user.pk})"
        )
    return problems


def history_problems(user, new_entries):
    entries = LogEntry.objects.filter(pk__in=new_entries)
    if [(entry.action_flag, entry.user_id) for entry in entries] != [(CHANGE, user.pk)]:
        return [f"the save left {len(entries)} admin history entries, not one change by {user}"]
    return []


def refused(response) -> bool:
    """403, or (a story that left draft) the form back, typed text kept, nothing saved."""
    if response.status_code == 403:
        return True
    return response.status_code == 200 and "Nothing was saved" in response.content.decode()


def view_only_problems(client, obj, user, *, superuser_client):
    page, form = open_form(client, obj)
    if page.status_code != 200:
        return [f"the view-only page did not open: {answer(page)}"]
    inputs = editable_inputs(form) if form is not None else []
    offered = sorted({element.name for element in inputs})
    problems = [f"the view-only page offers fields to edit: {offered}"] if offered else []
    # What the editable form sends, so that what is refused is a real save.
    full_page, full_form = open_form(superuser_client, obj)
    if full_form is None:
        return [*problems, f"the superuser's change form did not open: {answer(full_page)}"]
    before = database_rows()
    response = save(client, obj, form_values(full_form))
    if not refused(response):
        problems.append(
            f"a save from a view-only account {answer(response)}, not 403 "
            "(or the form back with what was typed and why nothing was saved)"
        )
    changes = differences(before, database_rows())
    return [*problems, *(f"the refused save changed {line}" for line in changes)]


# --- Tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", MODELS)
def test_the_demo_has_objects_of_every_admin_model(demo, label):
    if label in NOT_IN_DEMO:
        assert demo[label] == 0, f"the demo now has {label} rows: take it out of NOT_IN_DEMO"
    else:
        assert demo[label] > 0, (
            f"the demo has no {label}; add one to load_demo or list it in NOT_IN_DEMO with a reason"
        )


def test_not_in_demo_lists_only_admin_models():
    assert set(NOT_IN_DEMO) <= set(MODELS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", MODELS)
def test_a_change_form_saved_unchanged_changes_nothing(demo, label, role):
    check_every_object(label, role, "change", unchanged_save_problems)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", MODELS)
def test_a_change_form_saved_with_one_field_changed_changes_that_field_and_records_it(
    demo, label, role
):
    check_every_object(label, role, "change", one_field_change_problems)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", MODELS)
def test_a_view_only_change_page_offers_nothing_to_edit_and_refuses_a_save(demo, label, role):
    superuser = signed_in(account("admin"))
    check_every_object(label, role, "view", view_only_problems, superuser_client=superuser)
