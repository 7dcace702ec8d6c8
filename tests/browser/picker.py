"""Choosing in the image library's picker, a popup that closes itself."""

from playwright.sync_api import Error as PlaywrightError


def choose(picker, choice):
    """Click `choice` in the `picker` popup and wait for the popup to close.

    Choosing closes the window, sometimes while Playwright is still finishing the
    click, which it then reports as an error on a closed target. The wait for the
    close is what tells whether the choice was made: a click that never landed
    leaves the window open and the wait fails.
    """
    with picker.expect_event("close"):
        try:
            choice.click(no_wait_after=True)
        except PlaywrightError:
            if not picker.is_closed():
                raise
