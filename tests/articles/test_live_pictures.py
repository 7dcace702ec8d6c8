"""Pictures on live stories: re-describing them is an editor's action, and it is recorded.

Policy in docs/workflow.md ("Pictures on live stories"); code in articles/pictures.py.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import pictures
from articles.models import ArticleEvent, Status
from articles.workflow import PermissionRefused
from tests.factories import (
    country,
    make_article,
    make_author,
    make_editor,
    make_image,
    make_journalist,
    make_person,
)

pytestmark = pytest.mark.django_db

PICTURE = ArticleEvent.Action.PICTURE


@pytest.fixture
def photo():
    return make_image(
        "Harbour at dawn",
        alt_text="Fishing boats",
        caption="Boats at dawn",
        credit="Ann Lee",
    )


def body_with(image):
    return f'<figure><img src="/x.jpg" alt="" data-file="{image.pk}"></figure>'


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(image, **changes):
    """The image form as the admin shows it, with `changes` typed in."""
    data = {
        "title": image.title,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "source": image.source,
        "tags": "",
        "focal_x": str(image.focal_x),
        "focal_y": str(image.focal_y),
    }
    data.update(changes)
    return data


def post(user, image, **changes):
    url = reverse("admin:images_image_change", args=[image.pk])
    return logged_in(user).post(url, form_data(image, **changes))


def described(image):
    image.refresh_from_db()
    return (image.alt_text, image.caption, image.credit, image.focal_x, image.focal_y)


# --- Journalists: drafts yes, live stories no ---------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"caption": "Boats leaving at dawn"},
        {"credit": "Ann Lee / Agency"},
        {"alt_text": "Three fishing boats"},
        {"focal_x": "0.2", "focal_y": "0.7"},
    ],
    ids=["caption", "credit", "alt text", "focal point"],
)
def test_a_journalist_cannot_change_what_readers_see_of_a_picture_on_a_published_story(
    photo, changes
):
    make_article("Harbour reopens", lead_image=photo)
    before = described(photo)
    response = post(make_journalist(), photo, **changes)
    html = response.content.decode()
    assert response.status_code == 200
    assert "an editor" in html and "“Harbour reopens”" in html
    assert all(value in html for value in changes.values())  # what was typed is kept
    assert described(photo) == before
    assert not ArticleEvent.objects.filter(action=PICTURE).exists()


def test_a_journalist_cannot_change_the_caption_of_a_picture_in_a_published_story_body(
    photo,
):
    make_article("Harbour reopens", body=body_with(photo))
    response = post(make_journalist(), photo, caption="Boats leaving at dawn")
    assert "an editor" in response.content.decode()
    assert described(photo)[1] == "Boats at dawn"


def test_a_scheduled_story_counts_as_published_for_its_pictures(photo):
    make_article(
        "Harbour reopens tomorrow",
        lead_image=photo,
        published_at=timezone.now() + timedelta(days=1),
    )
    response = post(make_journalist(), photo, caption="Boats leaving at dawn")
    assert "an editor" in response.content.decode()
    assert described(photo)[1] == "Boats at dawn"


def test_a_journalist_may_re_describe_a_picture_used_only_on_drafts(photo):
    journalist = make_journalist()
    make_article("Harbour plans", status=Status.DRAFT, lead_image=photo, created_by=journalist)
    make_article("Old harbour story", status=Status.WITHDRAWN, body=body_with(photo))
    response = post(journalist, photo, caption="Boats leaving at dawn")
    assert response.status_code == 302
    assert described(photo)[1] == "Boats leaving at dawn"


def test_a_journalist_may_retitle_a_picture_on_a_published_story_readers_never_see_the_title(
    photo,
):
    make_article("Harbour reopens", lead_image=photo)
    response = post(make_journalist(), photo, title="Harbour, boats", source="Staff archive")
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.title, photo.source) == ("Harbour, boats", "Staff archive")
    assert not ArticleEvent.objects.filter(action=PICTURE).exists()


def test_the_function_refuses_a_journalist_too_and_saves_nothing(photo):
    make_article("Harbour reopens", lead_image=photo)
    photo.caption = "Boats leaving at dawn"
    with pytest.raises(PermissionRefused, match="an editor"):
        pictures.save_picture(photo, by=make_journalist())
    assert described(photo)[1] == "Boats at dawn"


# --- Editors: allowed, and each live story records it -----------------------------------------


def test_an_editor_changing_a_caption_records_it_once_on_each_published_story(photo):
    lead = make_article("Harbour reopens", lead_image=photo)
    body = make_article("Fishing season", body=body_with(photo))
    both = make_article("Port strike", lead_image=photo, body=body_with(photo))
    editor = make_editor()
    response = post(editor, photo, caption="Boats leaving at dawn")
    assert response.status_code == 302
    assert described(photo)[1] == "Boats leaving at dawn"
    for story in (lead, body, both):
        (event,) = story.events.filter(action=PICTURE)
        assert event.by == editor
        assert event.note.startswith("Caption changed on “Harbour at dawn”")
        assert "Boats at dawn" in event.note and "Boats leaving at dawn" in event.note
        assert event.from_state == event.to_state == "published"


def test_an_editor_changing_a_picture_records_nothing_on_drafts(photo):
    make_article("Harbour reopens", lead_image=photo)
    draft = make_article("Harbour plans", status=Status.DRAFT, lead_image=photo)
    post(make_editor(), photo, caption="Boats leaving at dawn")
    assert not draft.events.exists()


def test_a_scheduled_story_records_the_change_too(photo):
    scheduled = make_article(
        "Harbour reopens tomorrow",
        lead_image=photo,
        published_at=timezone.now() + timedelta(days=1),
    )
    post(make_editor(), photo, credit="Ann Lee / Agency")
    (event,) = scheduled.events.filter(action=PICTURE)
    assert event.note.startswith("Credit changed on “Harbour at dawn”")
    assert event.to_state == "scheduled"


def test_one_event_names_every_field_that_changed(photo):
    story = make_article("Harbour reopens", lead_image=photo)
    post(make_editor(), photo, caption="Boats", credit="Ann Lee / Agency", focal_x="0.2")
    (event,) = story.events.filter(action=PICTURE)
    assert event.note.startswith("Caption, credit and focal point changed on “Harbour at dawn”")


def test_saving_a_picture_unchanged_records_nothing(photo):
    make_article("Harbour reopens", lead_image=photo)
    response = post(make_editor(), photo)
    assert response.status_code == 302
    assert not ArticleEvent.objects.filter(action=PICTURE).exists()


def test_changing_only_what_readers_never_see_records_nothing(photo):
    make_article("Harbour reopens", lead_image=photo)
    post(
        make_editor(),
        photo,
        title="Harbour, boats",
        source="Staff archive",
        tags="harbour",
    )
    assert not ArticleEvent.objects.filter(action=PICTURE).exists()


def test_the_picture_is_not_saved_when_its_events_cannot_be_recorded(photo, monkeypatch):
    make_article("Harbour reopens", lead_image=photo)

    def broken(**fields):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ArticleEvent.objects, "create", broken)
    photo.caption = "Boats leaving at dawn"
    with pytest.raises(RuntimeError):
        pictures.save_picture(photo, by=make_editor())
    assert described(photo)[1] == "Boats at dawn"


# --- Alt text: required while any live story shows the picture --------------------------------


def test_alt_text_cannot_be_cleared_while_a_scheduled_story_will_show_the_picture(
    photo,
):
    make_article(
        "Harbour reopens tomorrow",
        lead_image=photo,
        published_at=timezone.now() + timedelta(days=1),
    )
    response = post(make_editor(), photo, alt_text="")
    assert "it needs alt text" in response.content.decode()
    assert described(photo)[0] == "Fishing boats"


def test_a_journalist_posting_a_live_picture_s_form_back_unchanged_saves_and_records_nothing(
    photo,
):
    journalist = make_journalist()
    make_article(
        "Harbour reopens",
        lead_image=photo,
        body=body_with(photo),
        authors=[make_author(journalist)],
        people=[make_person("Aziz Akhannouch")],
        countries=[country("MA")],
        tags=["harbour"],
    )
    client = logged_in(journalist)
    url = reverse("admin:images_image_change", args=[photo.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["tags"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert not ArticleEvent.objects.filter(action=PICTURE).exists()
