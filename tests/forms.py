"""HTML forms read with lxml and posted back the way a browser submits them.

The test client posts whatever dict a test writes, so a form that cannot
round-trip (a value the page never renders, a field the browser would not send)
goes unnoticed unless the test posts exactly what the page offers. These
functions read that from the page: what a user sees is what gets posted.
"""

import lxml.html

# Inputs a browser never sends by itself: buttons are sent only when clicked,
# files only when chosen.
NOT_SENT = {"submit", "image", "reset", "button", "file"}


def main_form(html: str):
    """The admin's model form on a page (its id ends in `_form`), or None.

    Falls back to the POST form with the most inputs, for pages that are not
    admin change forms.
    """
    forms = [
        form
        for form in (lxml.html.fromstring(html).forms if html.strip() else [])
        if (form.get("method") or "get").lower() == "post"
    ]
    for form in forms:
        if (form.get("id") or "").endswith("_form"):
            return form
    return max(forms, key=lambda form: len(form.inputs), default=None)


def is_sent(element) -> bool:
    """Would a browser include this input when the form is submitted?"""
    name = element.name
    if not name or "disabled" in element.attrib:
        return False
    # The template row of an inline ("bylines-__prefix__-person") is cloned by
    # the admin's JavaScript for "Add another"; it is never filled in as is.
    if "__prefix__" in name:
        return False
    if element.tag == "input":
        kind = (element.get("type") or "text").lower()
        if kind in NOT_SENT:
            return False
        if kind in ("checkbox", "radio"):
            return element.checked
    return True


def _textarea_value(element) -> str:
    # HTML drops one newline right after <textarea>; Django's template writes
    # one there. lxml keeps it (and has already turned CRLF into LF).
    value = element.value or ""
    return value[1:] if value.startswith("\n") else value


def form_values(form) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser submits for `form`, no button clicked."""
    pairs = []
    for element in form.inputs:
        if not is_sent(element):
            continue
        name = element.name
        if element.tag == "textarea":
            pairs.append((name, _textarea_value(element)))
        elif element.tag == "select":
            if element.multiple:
                pairs += [(name, value) for value in element.value]
            elif element.value is not None:
                pairs.append((name, element.value))
        elif (element.get("type") or "text").lower() in ("checkbox", "radio"):
            pairs.append((name, element.get("value", "on")))
        else:
            pairs.append((name, element.get("value", "")))
    return pairs


def as_post(pairs) -> dict[str, list[str]]:
    """Pairs as the dict of lists the Django test client posts."""
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def editable_inputs(form) -> list:
    """The inputs of `form` a user can type in, tick or choose from (not hidden)."""
    return [
        element
        for element in form.inputs
        if element.name
        and "disabled" not in element.attrib
        and "readonly" not in element.attrib
        and "__prefix__" not in element.name
        and not (
            element.tag == "input"
            and (element.get("type") or "text").lower() in NOT_SENT | {"hidden"}
        )
    ]


def text_inputs(form) -> list:
    """The plain one-line text inputs and textareas a user can type in."""
    return [
        element
        for element in editable_inputs(form)
        if element.tag == "textarea"
        or (element.tag == "input" and (element.get("type") or "text").lower() == "text")
    ]


def opened_form(client, url) -> dict[str, list[str]]:
    """GET the admin change form at `url`: what pressing Save would post, unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    form = main_form(response.content.decode())
    assert form is not None, f"no form at {url}"
    return {**as_post(form_values(form)), "_save": ["Save"]}
