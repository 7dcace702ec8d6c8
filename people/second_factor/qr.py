"""QR codes drawn on our own server as inline SVG: the secret never leaves it.

Only this module imports `qrcode`.
"""

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def svg(data: str, *, title: str) -> SafeString:
    """`data` as an inline SVG QR code, one path, no style attributes (CSP-friendly)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    root = image.get_image()
    # The stylesheet sizes it; millimetres from the library would print tiny.
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    root.set("role", "img")
    root.set("aria-label", title)
    root.set("class", "second-factor-qr")
    # The markup is the library's own output for our data: nothing typed by a user.
    return mark_safe(image.to_string(encoding="unicode"))
