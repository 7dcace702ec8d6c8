"""The image library in the admin: list, search, filters, usage, deletion, picker, alt text."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.images.models import Image
from articles.models import Status
from tests.factories import make_article, make_editor, make_image, make_journalist

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return make_image("Harbour at dawn", alt_text="Fishing boats", credit="Ann Lee")


def body_with(image):
    return f'<figure><img src="/x.jpg" alt="" data-file="{image.pk}"></figure>'


def test_the_library_lists_images_with_thumbnails(admin_client, photo):
    html = admin_client.get(reverse("admin:images_image_changelist")).content.decode()
    assert "Harbour at dawn" in html
    assert 'class="library-thumbnail"' in html


def test_the_library_list_query_count_does_not_grow_with_images(
    admin_client, django_assert_max_num_queries
):
    make_image()
    url = reverse("admin:images_image_changelist")
    with django_assert_max_num_queries(30) as counted:
        admin_client.get(url)
    for _ in range(4):
        make_image()
    with django_assert_max_num_queries(len(counted.captured_queries)):
        admin_client.get(url)


def test_the_library_search_finds_images_by_credit(admin_client, photo):
    make_image("Other picture")
    html = admin_client.get(
        reverse("admin:images_image_changelist"), {"q": "Ann Lee"}
    ).content.decode()
    assert "Harbour at dawn" in html and "Other picture" not in html


def test_the_library_filters_images_missing_alt_text(admin_client, photo):
    make_image("Needs describing", alt_text="")
    html = admin_client.get(
        reverse("admin:images_image_changelist"), {"alt": "missing"}
    ).content.decode()
    assert "Needs describing" in html and "Harbour at dawn" not in html


def test_an_image_page_lists_the_stories_that_use_it(admin_client, photo):
    make_article("Lead story", lead_image=photo)
    make_article("Body story", body=body_with(photo))
    make_article("Unrelated story")
    html = admin_client.get(reverse("admin:images_image_change", args=[photo.pk])).content.decode()
    assert "Lead story" in html and "Body story" in html and "Unrelated story" not in html


def test_the_image_page_offers_a_focal_point_picker(admin_client, photo):
    html = admin_client.get(reverse("admin:images_image_change", args=[photo.pk])).content.decode()
    assert 'class="focal-point"' in html and "focal-point.js" in html


def test_deleting_an_image_used_as_a_lead_image_is_refused_with_the_story_named(
    admin_client, photo
):
    make_article("Lead story", lead_image=photo)
    response = admin_client.post(
        reverse("admin:images_image_delete", args=[photo.pk]), {"post": "yes"}
    )
    html = response.content.decode()
    assert "Cannot delete image" in html and "Lead story" in html
    assert Image.objects.filter(pk=photo.pk).exists()


def test_deleting_an_image_used_in_a_story_body_is_refused_with_the_story_named(
    admin_client, photo
):
    make_article("Body story", body=body_with(photo))
    response = admin_client.post(
        reverse("admin:images_image_delete", args=[photo.pk]), {"post": "yes"}
    )
    html = response.content.decode()
    assert "Cannot delete image" in html and "Body story" in html
    assert Image.objects.filter(pk=photo.pk).exists()


def test_bulk_deleting_images_refuses_when_one_is_in_use(admin_client, photo):
    unused = make_image("Unused")
    make_article("Body story", body=body_with(photo))
    response = admin_client.post(
        reverse("admin:images_image_changelist"),
        {"action": "delete_selected", "_selected_action": [photo.pk, unused.pk], "post": "yes"},
    )
    assert "Body story" in response.content.decode()
    assert Image.objects.count() == 2


def test_an_unused_image_can_be_deleted(admin_client, photo):
    admin_client.post(reverse("admin:images_image_delete", args=[photo.pk]), {"post": "yes"})
    assert not Image.objects.filter(pk=photo.pk).exists()


def test_clearing_alt_text_of_an_image_on_a_published_story_is_refused(admin_client, photo):
    make_article("Published story", lead_image=photo)
    response = admin_client.post(
        reverse("admin:images_image_change", args=[photo.pk]),
        {
            "title": "Harbour at dawn",
            "alt_text": "",
            "caption": "New caption",
            "credit": "Ann Lee",
            "source": "",
            "tags": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "it needs alt text" in html and "New caption" in html
    photo.refresh_from_db()
    assert photo.alt_text == "Fishing boats" and photo.caption == ""


def test_moving_the_focal_point_in_the_admin_regenerates_the_crops(admin_client, photo):
    old = set(photo.renditions.filter(spec__startswith="fill").values_list("spec", flat=True))
    admin_client.post(
        reverse("admin:images_image_change", args=[photo.pk]),
        {
            "title": "Harbour at dawn",
            "alt_text": "Fishing boats",
            "caption": "",
            "credit": "Ann Lee",
            "source": "",
            "tags": "",
            "focal_x": "0.2",
            "focal_y": "0.7",
        },
    )
    new = set(photo.renditions.filter(spec__startswith="fill").values_list("spec", flat=True))
    assert new and not (old & new)
    assert all("c200x700" in spec for spec in new)


def test_a_published_story_form_refuses_a_lead_image_without_alt_text(admin_client):
    story = make_article("Published story", standfirst="Kept as typed")
    bare = make_image("Bare", alt_text="")
    url = reverse("admin:articles_article_change", args=[story.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        lead_image=bare.pk,
        headline="Published story, edited",
        people=[],
        organisations=[],
        countries=[],
        related=[],
        **{
            "bylines-TOTAL_FORMS": 0,
            "bylines-INITIAL_FORMS": 0,
            "corrections-TOTAL_FORMS": 0,
            "corrections-INITIAL_FORMS": 0,
        },
    )
    response = admin_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "has no alt text" in html and "Published story, edited" in html
    story.refresh_from_db()
    assert story.lead_image is None and story.headline == "Published story"


def test_a_draft_may_use_a_picture_still_waiting_for_alt_text():
    story = make_article(status=Status.DRAFT, lead_image=make_image(alt_text=""))
    assert story.lead_image is not None


def test_the_body_editor_picker_lists_library_images_for_a_figure(admin_client, photo):
    response = admin_client.get(reverse("admin:images_image_picker"), {"CKEditorFuncNum": "3"})
    html = response.content.decode()
    assert f'data-id="{photo.pk}"' in html and 'data-alt="Fishing boats"' in html
    assert 'data-func-num="3"' in html and "image-picker.js" in html


def test_the_body_editor_is_configured_with_the_library_picker(admin_client):
    story = make_article()
    html = admin_client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()
    assert reverse("admin:images_image_picker") in html


def test_journalists_may_upload_and_describe_pictures_but_not_delete_them():
    journalist = make_journalist()
    assert journalist.has_perms(["images.add_image", "images.change_image", "images.view_image"])
    assert not journalist.has_perm("images.delete_image")


def test_editors_may_delete_pictures():
    assert make_editor().has_perm("images.delete_image")


# --- "Used in" shows a journalist only what they may see ---------------------------------------


def used_in(user, image):
    """The "Used in" box of the image page, as `user` sees it."""
    client = Client()
    client.force_login(user)
    html = client.get(reverse("admin:images_image_change", args=[image.pk])).content.decode()
    start = html.index(">Used in</h2>")
    return html[start : html.index("</fieldset>", start)]


def test_a_journalist_sees_public_stories_and_their_own_drafts_that_use_a_picture(photo):
    journalist = make_journalist()
    make_article("Harbour reopens", lead_image=photo)
    make_article(
        "My harbour draft", status=Status.DRAFT, body=body_with(photo), created_by=journalist
    )
    box = used_in(journalist, photo)
    assert "Harbour reopens" in box and "My harbour draft" in box


def test_a_journalist_is_not_shown_someone_elses_draft_that_uses_a_picture(photo):
    secret = make_article("Minister to resign", status=Status.DRAFT, lead_image=photo)
    box = used_in(make_journalist(), photo)
    assert "Minister to resign" not in box
    assert reverse("admin:articles_article_change", args=[secret.pk]) not in box


def test_a_journalist_is_not_shown_someone_elses_scheduled_story_that_uses_a_picture(photo):
    tomorrow = timezone.now() + timedelta(days=1)
    make_article("Embargoed results", lead_image=photo, published_at=tomorrow)
    assert "Embargoed results" not in used_in(make_journalist(), photo)


def test_a_picture_used_only_on_hidden_drafts_looks_to_a_journalist_like_an_unused_one(photo):
    journalist = make_journalist()
    unused = make_image("Unused")
    make_article("Minister to resign", status=Status.DRAFT, body=body_with(photo))
    assert used_in(journalist, photo) == used_in(journalist, unused)


def test_an_editor_sees_every_story_that_uses_a_picture(photo):
    make_article("Harbour reopens", lead_image=photo)
    make_article("Minister to resign", status=Status.DRAFT, lead_image=photo)
    box = used_in(make_editor(), photo)
    assert "Harbour reopens" in box and "Minister to resign" in box


def test_the_refusal_to_re_describe_a_live_picture_names_only_stories_the_journalist_may_see(photo):
    make_article("Harbour reopens", lead_image=photo)
    tomorrow = timezone.now() + timedelta(days=1)
    make_article("Embargoed results", body=body_with(photo), published_at=tomorrow)
    client = Client()
    client.force_login(make_journalist())
    response = client.post(
        reverse("admin:images_image_change", args=[photo.pk]),
        {
            "title": "Harbour at dawn",
            "alt_text": "Fishing boats",
            "caption": "New caption",
            "credit": "Ann Lee",
            "source": "",
            "tags": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    html = response.content.decode()
    assert "“Harbour reopens”" in html and "an editor" in html
    assert "Embargoed results" not in html


def test_the_delete_page_does_not_name_drafts_the_user_may_not_open(photo):
    # A picture desk account: may delete pictures, may not open other people's stories.
    picture_desk = make_journalist()
    picture_desk.user_permissions.add(Permission.objects.get(codename="delete_image"))
    make_article("Minister to resign", status=Status.DRAFT, body=body_with(photo))
    client = Client()
    client.force_login(picture_desk)
    url = reverse("admin:images_image_delete", args=[photo.pk])
    html = client.post(url, {"post": "yes"}).content.decode()
    assert "Cannot delete image" in html
    assert "Minister to resign" not in html
    assert Image.objects.filter(pk=photo.pk).exists()
