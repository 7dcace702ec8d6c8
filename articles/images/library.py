"""Adding a picture to the library from code: the admin's upload, in one call.

For what adds pictures without a person at the upload form (a person's photo
uploaded on their page, a data migration, the demo): the same checks, the same
clean re-encode under a random name, the same renditions.
"""

from .models import Image
from .renditions import ensure_renditions
from .uploads import CheckedUpload, check_upload, discard_file, ingest


def store(checked: CheckedUpload, image: Image, *, renditions=True) -> Image:
    """Save `image` (unsaved, described) with the cleaned pixels of `checked`.

    Nothing is left on disk if saving fails. With `renditions=False` each
    rendition is made when a page first asks for it (`get_rendition`).
    """
    pixels = ingest(checked, image)
    try:
        image.save()
        if renditions:
            ensure_renditions(image, pixels)
    except BaseException:
        discard_file(image)
        raise
    return image


def add_image(upload, *, renditions=True, **description) -> Image:
    """Check `upload` (refusing it with `ValidationError`, writing nothing) and store it.

    Caption, credit and source read from the file fill those left blank.
    """
    checked = check_upload(upload)
    for name in ("caption", "credit", "source"):
        description[name] = description.get(name) or getattr(checked, name)
    return store(checked, Image(**description), renditions=renditions)
