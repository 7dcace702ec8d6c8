"""Reading JSON-LD back out of pages, for the structured-data tests."""

import json
import re

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(response) -> list:
    """Every ld+json block of a response, parsed; fails if one is not JSON."""
    html = response.content.decode()
    blocks = [json.loads(text) for text in LD_JSON.findall(html)]
    # No ld+json script the pattern missed (other attributes, other spellings).
    assert html.count("application/ld+json") == len(blocks)
    return blocks


def of_type(blocks, *types) -> list:
    return [block for block in blocks if block.get("@type") in types]


def one(blocks, *types) -> dict:
    found = of_type(blocks, *types)
    got = [block.get("@type") for block in blocks]
    assert len(found) == 1, f"expected one of {types}, got {got}"
    return found[0]


URL_KEYS = {"url", "@id", "item", "sameAs", "logo", "image", "urlTemplate"}


def urls_in(data):
    """Every value under a key that holds a URL, anywhere in `data`."""
    if isinstance(data, list):
        for item in data:
            yield from urls_in(item)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in URL_KEYS and isinstance(value, str):
                yield value
            elif key == "sameAs" and isinstance(value, list):
                yield from value
            else:
                yield from urls_in(value)
