vcl 4.1;
# Varnish in front of gunicorn for 青山 (see docs/performance.md).
#
# Readers without a session are served from Varnish; editors (sessionid cookie), the admin, POSTs and
# responses that set cookies or say private/no-store go straight to Django. Invalidation: the site sends
# one PURGE (Wagtail's frontend-cache HTTPBackend, VARNISH_URL) after every content change, and any PURGE
# bans every object of that host: a publish can change the home page, channel pages, related lists,
# 上一篇/下一篇, feeds and the sitemap, and a ban is the simple way to be sure none of them stays stale.
# Bans are evaluated lazily (ban lurker), so a ban costs nothing per object until it is next requested.

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
        set beresp.ttl = 1h;
    } else {
        set beresp.ttl = 10s;
    }
    set beresp.grace = 30s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-qingshan-host;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
