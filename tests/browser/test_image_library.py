import pytest

from articles.images.models import Image
from tests.browser.picker import choose
from tests.factories import make_article, make_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.browser.urls_with_media"),
]


@pytest.fixture
def signed_in(live_server, page, admin_user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    return page


def test_clicking_the_picture_sets_the_focal_point_and_saving_recrops(
    live_server, signed_in, screenshot
):
    page = signed_in
    image = make_image("Harbour", pixels=(1600, 1000), alt_text="Boats")
    page.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
    picture = page.locator(".focal-point__image")
    picture.wait_for()
    box = picture.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.25)
    assert abs(float(page.input_value("#id_focal_x")) - 0.8) < 0.01
    assert abs(float(page.input_value("#id_focal_y")) - 0.25) < 0.01
    screenshot(page, "image-focal-point")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    image = Image.objects.get(pk=image.pk)
    card = image.renditions.get(spec__startswith="fill-1200x630")
    assert card.spec.startswith("fill-1200x630-c80")


def test_the_figure_dialog_browses_the_library_and_inserts_a_library_figure(
    live_server, signed_in, screenshot
):
    page = signed_in
    image = make_image(
        "Parliament", pixels=(1200, 800), alt_text="MPs in the chamber", caption="The vote"
    )
    story = make_article("Vote passes", body="<p>Text.</p>")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.locator(".tiptap.ProseMirror").click()
    page.locator(
        ".prose-menubar__button[title='figure'], .prose-menubar__button:has-text('image')"
    ).first.click()
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    with page.expect_popup() as opened:
        dialog.get_by_text("Browse...").click()
    picker = opened.value
    choose(picker, picker.locator(f".image-picker__choice[data-id='{image.pk}']"))
    assert dialog.locator("input[name=altText]").input_value() == "MPs in the chamber"
    screenshot(page, "body-figure-dialog")
    dialog.locator("button[type=submit], button:has-text('Insert')").first.click()
    page.locator(f".tiptap img[data-file='{image.pk}']").wait_for()
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    story.refresh_from_db()
    assert f'data-file="{image.pk}"' in story.body
    reader_page = page.context.new_page()
    reader_page.goto(f"{live_server.url}{story.get_absolute_url()}")
    figure = reader_page.locator(".story__figure img")
    assert figure.get_attribute("alt") == "MPs in the chamber"
    assert " 960w" in figure.get_attribute("srcset")
    # Body figures load lazily and their renditions are made on first request,
    # which can take a while on a busy machine: bring it into view and wait.
    figure.scroll_into_view_if_needed()
    reader_page.wait_for_function(
        "() => { const img = document.querySelector('.story__figure img');"
        " return img.complete && img.naturalWidth > 0; }",
        timeout=20_000,
    )
    screenshot(reader_page, "body-figure-public")
