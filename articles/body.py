"""Library pictures in a story's body: finding them, rendering them, checking them.

The body editor stores a library picture as a figure whose `<img>` names the
image by `data-file`; this module is the one place that reads that markup
(the image library itself knows nothing of stories).
"""

import re
from dataclasses import dataclass
from html import unescape

from .images.models import Image


def body_reference(pk) -> str:
    """How a body figure names a library image (the editor's `data-file`).

    The sanitiser serialises every attribute with double quotes, so this
    string finds exactly the figures of image `pk` (and not of 12 for 1).
    """
    return f'data-file="{pk}"'


# The body has been through sanitize.py, which serialises every tag the same
# way, so these simple patterns read it reliably. A figure from the editor:
# <figure><img src="…" alt="…" data-file="12"><figcaption>…</figcaption></figure>
_FIGURE_OR_IMG = re.compile(r"<figure\b[^>]*>.*?</figure>|<img\b[^>]*>", re.DOTALL)
_IMG = re.compile(r"<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
_CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


@dataclass
class BodyFigure:
    image_id: int
    alt: str
    caption_html: str  # sanitised body HTML
    start: int
    end: int


def body_figures(html: str) -> list[BodyFigure]:
    """The library pictures in a body, in order."""
    figures = []
    for match in _FIGURE_OR_IMG.finditer(html):
        img = _IMG.search(match.group(0))
        if not img:
            continue
        attributes = dict(_ATTRIBUTE.findall(img.group(0)))
        reference = attributes.get("data-file", "")
        if not reference.isdigit():
            continue
        caption = _CAPTION.search(match.group(0))
        figures.append(
            BodyFigure(
                image_id=int(reference),
                alt=unescape(attributes.get("alt", "")),
                caption_html=caption.group(1).strip() if caption else "",
                start=match.start(),
                end=match.end(),
            )
        )
    return figures


def expand_body_images(html: str, render_figure) -> str:
    """Replace each library figure in `html` with `render_figure(image, figure)`.

    One query for the images and one for their renditions, however many
    figures. A figure whose image has left the library is dropped.
    """
    figures = body_figures(html)
    if not figures:
        return html
    images = Image.objects.prefetch_related("renditions").in_bulk(
        {figure.image_id for figure in figures}
    )
    parts, position = [], 0
    for figure in figures:
        parts.append(html[position : figure.start])
        image = images.get(figure.image_id)
        if image is not None:
            parts.append(render_figure(image, figure))
        position = figure.end
    parts.append(html[position:])
    return "".join(parts)


def outside_pictures(html: str) -> list[str]:
    """The addresses of the body's pictures that are not library figures: pasted or
    typed `<img>` elements, which readers' browsers would fetch from wherever they
    point, past the library's checks (alt text, stripped metadata, renditions)."""
    figures = {(figure.start, figure.end) for figure in body_figures(html)}
    outside = []
    for match in _FIGURE_OR_IMG.finditer(html):
        if (match.start(), match.end()) in figures:
            continue
        outside += [
            unescape(dict(_ATTRIBUTE.findall(img.group(0))).get("src", ""))
            for img in _IMG.finditer(match.group(0))
        ]
    return outside


def outside_picture_problems(html: str) -> list[str]:
    """`outside_pictures()` as readable sentences, one per picture."""
    return [
        f"The picture “{src or 'without an address'}” in the body is not from the image "
        "library. Pictures in a story come from the library only: remove it, or upload "
        "it to the library and add it with the figure button's “Browse…”."
        for src in outside_pictures(html)
    ]


def publication_problems(*, lead_image: Image | None, body: str) -> list[str]:
    """What stops pictures from appearing on a published story, in readable sentences.

    Every picture a reader sees comes from the library and needs alt text: the
    lead image's own, and for body figures the figure's alt or else the
    library's. A body figure must also still point at a picture in the library.
    """
    problems = outside_picture_problems(body or "")
    if lead_image is not None and not lead_image.alt_text.strip():
        problems.append(
            f"The lead image “{lead_image.title}” has no alt text. Describe the picture "
            "in the image library before publishing."
        )
    figures = body_figures(body or "")
    library = Image.objects.in_bulk({figure.image_id for figure in figures})
    for figure in figures:
        image = library.get(figure.image_id)
        if image is None:
            problems.append(
                f"A picture in the body (library image {figure.image_id}) is no longer "
                "in the library. Remove it or pick another."
            )
        elif not (figure.alt.strip() or image.alt_text.strip()):
            problems.append(
                f"The picture “{image.title}” in the body has no alt text. Describe it "
                "in the image library before publishing."
            )
    return problems
