# Varnish 7.1 in front of Newsroom, with the xkey vmod (Debian: varnish, varnish-modules).
#
#   varnishd -a :80 -f /etc/varnish/newsroom.vcl -p vcl_path=/etc/varnish -s malloc,1g
#
# The application servers are in backends.vcl, next to this file (or anywhere on
# vcl_path): edit that one, not this. docs/scaling.md has the whole picture.
#
# What it does:
# - caches what Newsroom says may be shared (Cache-Control s-maxage, which Varnish
#   reads before max-age) and nothing that says nothing;
# - each page is tagged with the surrogate keys of its `xkey` header; a
#   `PURGE` request with `xkey-purge: <keys, space-separated>` from an address in
#   the `purgers` ACL drops every page tagged with any of them
#   (NEWSROOM_PURGE_BACKEND=varnish sends exactly that after every change);
# - passes the admin, previews and share links, and any request that carries the
#   session cookie (a signed-in journalist), straight to Newsroom;
# - strips every other cookie from anonymous GET and HEAD requests, so one cached
#   copy serves every reader;
# - serves a stale page for up to a day (the pages' stale-if-error) while Newsroom
#   is down or failing, and briefly while a fresh copy is fetched.

vcl 4.1;

import std;
import xkey;

include "backends.vcl";

# Who may purge: the application servers (and send_purges' cron host). Loopback
# only by default; add your application servers' addresses.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "A purge names its keys in xkey-purge"));
        }
        # A hard purge, not xkey.softpurge(): a soft-purged page could still be
        # served once, stale, and a withdrawn story must be gone at once. (So a
        # page purged while Newsroom is down has no stale copy left to serve.)
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }

    # The newsroom's own pages: the admin (and its previews of drafts) and the
    # share links of unpublished stories (articles/urls.py: preview/<token>/).
    if (req.url ~ "^/admin(/|$)" || req.url ~ "^/preview/") {
        return (pass);
    }
    # Django's session cookie (SESSION_COOKIE_NAME, "sessionid"): a signed-in
    # user, whose pages Newsroom marks private anyway; never look them up.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    if (req.method == "GET" || req.method == "HEAD") {
        # Analytics and CSRF cookies change nothing on a public page; with them,
        # the built-in rules would pass every request that carries one.
        unset req.http.Cookie;
    }

    # Grace: while Newsroom answers its health probe, a page at most this far past
    # its lifetime is served while a fresh one is fetched (the pages'
    # stale-while-revalidate); while it does not, up to the whole grace set below.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    # Then the built-in rules: only GET and HEAD are looked up, and a request with
    # an Authorization header is passed.
}

sub vcl_backend_response {
    # Newsroom says what may be kept and for how long; a response without
    # Cache-Control (a redirect, a 404) is fetched every time, not kept for
    # Varnish's default two minutes: a 404 for a story about to go live would
    # outlive its publication, and nothing would purge it.
    if (!beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # While Newsroom fails, the stale copy is served (stale-if-error): keep every
    # page that long past its lifetime, and do not replace it with an error.
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-if-error=([0-9]+).*", "\1s"), 0s);
    }
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Then the built-in rules: Set-Cookie, private, no-cache or no-store make the
    # response uncacheable (hit-for-miss).
}

sub vcl_deliver {
    # For people looking at headers; Age and X-Varnish say the same to tools.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    # The surrogate keys are for this cache; readers need not see them.
    unset resp.http.xkey;
}
