vcl 4.1;
# Varnish in front of gunicorn for 青山 (see docs/performance.md).
#
# Readers without a session are served from Varnish; editors (sessionid cookie), the admin, POSTs and
# responses that set cookies or say private/no-store go straight to Django. Invalidation by key: every
# page Django may cache carries an `xkey` header naming what it shows (page-<id>, list-<channel id>,
# home, all, related-<id>, tag-<id>, nav, settings, ...; pagecache/keys.py), which the xkey module
# indexes and this file removes before readers see it. After a publish the site sends one PURGE with
# `xkey-purge: <keys>` (VARNISH_URL), which drops exactly the objects tagged with any of them: an
# unrelated article stays cached. A PURGE without that header (the site's "everything": settings of a
# site, privacy, images) bans every object of that host; bans are evaluated lazily (ban lurker).

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.xkey-purge) {
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.x-purged));
        }
        ban("obj.http.x-qingshan-host == " + req.http.host);
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|documents)/") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Anonymous readers: no cookie reaches the cache key or Django.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    set beresp.http.x-qingshan-host = bereq.http.host;
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-cache|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.status == 200) {
        # A page that shows something only until a moment (a 置顶 until its expiry) says how long with
        # s-maxage, which Varnish has already taken as the TTL; any other page is kept until purged, or 1h.
        if (beresp.http.Cache-Control !~ "s-maxage") {
            set beresp.ttl = 1h;
        }
    } else {
        set beresp.ttl = 10s;
    }
    set beresp.grace = 30s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-qingshan-host;
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
