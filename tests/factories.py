"""Newsroom test data, built with small functions that fill in sensible defaults."""

import itertools
import time
from base64 import b32decode
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article, Byline, Section, Status
from people.models import Country, Organisation, Person, Role

_sequence = itertools.count(1)


def _n():
    return next(_sequence)


def signed_in(username):
    """A test client signed in as the user `username` (a demo login, say)."""
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def make_user(username=None, *, groups=(), **fields):
    username = username or f"user{_n()}"
    fields.setdefault("email", f"{username}@newsroom.test")
    user = get_user_model().objects.create_user(username=username, password="pw", **fields)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def make_editor(username=None, **fields):
    return make_user(username or f"editor{_n()}", groups=["Editors"], is_staff=True, **fields)


def make_journalist(username=None, **fields):
    return make_user(
        username or f"journalist{_n()}", groups=["Journalists"], is_staff=True, **fields
    )


def make_superuser(username=None, **fields):
    return make_user(username or f"admin{_n()}", is_staff=True, is_superuser=True, **fields)


def make_author(user, **fields):
    """The byline-able Person of a staff account."""
    return make_person(user.get_full_name() or user.get_username(), user=user, **fields)


def make_section(name=None, **fields):
    name = name or f"Section {_n()}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Section.objects.get_or_create(name=name, defaults=fields)[0]


def country(code):
    return Country.objects.get(code=code)


def make_person(name=None, **fields):
    return Person.objects.create(name=name or f"Person {_n()}", **fields)


def make_organisation(name=None, **fields):
    return Organisation.objects.create(name=name or f"Organisation {_n()}", **fields)


def make_role(person, organisation, title="Minister", **fields):
    return Role.objects.create(person=person, organisation=organisation, title=title, **fields)


@contextmanager
def indexed_once():
    """Search documents of what the block writes are written once, at its end, as
    they are once per story at a real transaction's commit (`search.index_stories`).

    The suite's stand-in for the commit writes at each signal instead: a story
    with thirty bylines would be indexed thirty times over.
    """
    from articles import search

    write_after_commit = search.after_commit
    search.after_commit = lambda callback: None
    try:
        yield
    finally:
        search.after_commit = write_after_commit
    write_after_commit(search._write_pending)


def make_article(
    headline=None,
    *,
    status=Status.PUBLISHED,
    published_at=None,
    section=None,
    authors=(),
    people=(),
    organisations=(),
    countries=(),
    tags=(),
    **fields,
):
    """A story; published stories default to having gone live an hour ago."""
    if status == Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(hours=1)
    with indexed_once():
        article = Article.objects.create(
            headline=headline or f"Story {_n()}",
            standfirst=fields.pop("standfirst", "What happened, in one sentence."),
            body=fields.pop("body", "<p>The first paragraph.</p><p>The second paragraph.</p>"),
            section=section or make_section("News"),
            status=status,
            published_at=published_at,
            **fields,
        )
        for order, author in enumerate(authors):
            Byline.objects.create(article=article, person=author, order=order)
        article.people.set(people)
        article.organisations.set(organisations)
        article.countries.set(countries)
        if tags:
            article.tags.set(list(tags))
    return article


def make_story_about(*topics, **fields):
    """A public story about `topics` (people, organisations, countries), giving each a public page."""
    return make_article(
        people=[topic for topic in topics if isinstance(topic, Person)],
        organisations=[topic for topic in topics if isinstance(topic, Organisation)],
        countries=[topic for topic in topics if isinstance(topic, Country)],
        **fields,
    )


def make_image(title=None, *, data=None, name="photo.jpg", pixels=(800, 600), **fields):
    """A library image, ingested as an upload is: checked, cleaned, with renditions."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.images.models import Image
    from articles.images.renditions import ensure_renditions
    from articles.images.uploads import check_upload, ingest
    from tests.articles.image_files import jpeg

    checked = check_upload(SimpleUploadedFile(name, data or jpeg(*pixels)))
    image = Image(title=title or f"Picture {_n()}", **fields)
    clean = ingest(checked, image)
    image.save()
    ensure_renditions(image, clean)
    return image


def make_second_factor(user):
    """An authenticator app and ten backup codes for `user`, as enrolment leaves them.

    Returns the app's device (`current_code(device)` gives its code) and the codes.
    """
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [f"code{number:04d}" for number in range(10)]
    for code in codes:
        StaticToken.objects.create(device=backup, token=code)
    return device, codes


def current_code(key, *, steps_ahead=0):
    """The code an authenticator app shows for `key` (a TOTPDevice, or its secret as
    shown on the set-up page), `steps_ahead` 30-second steps from now."""
    if isinstance(key, str):
        secret = "".join(key.split())
        key = b32decode(secret + "=" * (-len(secret) % 8))
    else:
        key = key.bin_key
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"
