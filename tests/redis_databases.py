from urllib.parse import urlsplit, urlunsplit


def redis_database(url: str, offset: int) -> str:
    """`url` with its database number moved down by `offset` (of Redis's 16)."""
    parts = urlsplit(url)
    db = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(db - offset) % 16}"))
