"""Admin forms as a browser submits them: the values a page shows, ready to post back."""

import lxml.html


def main_form(html: str):
    """The admin's model form on a page (its id ends in `_form`), or None."""
    for form in lxml.html.fromstring(html).forms:
        if (form.get("id") or "").endswith("_form"):
            return form
    return None


def form_values(form) -> dict[str, list[str]]:
    """What a browser submits for `form` without pressing a submit button."""
    data: dict[str, list[str]] = {}
    for element in form.inputs:
        name = element.name
        if not name or "disabled" in element.attrib or "__prefix__" in name:
            continue
        if element.tag == "textarea":
            # Browsers drop the line break right after <textarea>.
            value = element.value or ""
            value = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            data.setdefault(name, []).append(value)
        elif element.tag == "select":
            values = list(element.value) if element.multiple else [element.value]
            data.setdefault(name, []).extend(v for v in values if v is not None)
        else:
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "image", "reset", "file", "button"):
                continue
            if kind in ("checkbox", "radio"):
                if element.checked:
                    data.setdefault(name, []).append(element.get("value", "on"))
                continue
            data.setdefault(name, []).append(element.get("value", ""))
    return data


def opened_form(client, url) -> dict[str, list[str]]:
    """GET the change form at `url` and return what Save would post, unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    form = main_form(response.content.decode())
    assert form is not None, f"no admin form at {url}"
    return {**form_values(form), "_save": ["Save"]}
