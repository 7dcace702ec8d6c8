"""The image library, a Django app of its own (label "images") inside `articles`."""

import uuid


def image_path(instance, filename):
    """A random path: the uploaded file name (maybe a scoop's headline) is never used.

    Here rather than in models.py because migrations name it
    `articles.images.image_path`, from the days of a single images module.
    """
    name = uuid.uuid4().hex
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"images/{name[:2]}/{name}.{extension}"
