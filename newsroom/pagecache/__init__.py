"""Django's own page cache for anonymous readers, invalidated by surrogate keys.

Public views name what each response was built from (`keys.tag()`); changes
purge those names (`purge()`), which marks them purged in the database, in the
transaction of the change and again after it commits. A cached page is served
only while none of its keys was purged since its render began, so any number
of processes, each with its own local-memory cache, never serves a page older
than the last change to what it shows. The same keys go out in a header for a
cache in front (Varnish's xkey, Fastly, Cloudflare). docs/caching.md.
"""
