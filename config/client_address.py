"""The address a request really came from, for the login lockout (django-axes ``AXES_CLIENT_IP_CALLABLE``).

Behind a reverse proxy every request reaches Django from the proxy's address, so a lockout keyed by that
address would lock a user name for everyone. ``X-Forwarded-For`` names the client, but any client can
send that header too, so it is read only when ``TRUSTED_PROXIES`` (``DJANGO_TRUSTED_PROXIES``) says
which proxies are in front, and then only the entries those proxies appended are believed:

- a number N: N proxies in front; the client is the N-th address from the right of the header (the one
  the outermost proxy appended). Whatever a client put to the left of it is ignored.
- addresses or networks (``10.0.0.2,172.16.0.0/12``): a request from one of them is believed; the client
  is the right-most address in the header that is not one of them.

Without the setting, or when the header is missing or malformed, the connection's own address is used.
"""

import ipaddress

from django.conf import settings


def parse_trusted_proxies(value):
    """``DJANGO_TRUSTED_PROXIES`` as a proxy count (int), a tuple of networks, or None when unset."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value) or None
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in value.split(",") if item.strip())


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "TRUSTED_PROXIES", None)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not trusted or not forwarded:
        return remote
    hops = [_address(item) for item in forwarded.split(",")]
    if isinstance(trusted, int):
        if len(hops) < trusted or hops[-trusted] is None:
            return remote
        return str(hops[-trusted])
    if not _trusted(_address(remote), trusted):
        return remote  # not from our proxy: its header is the client's own claim
    for hop in reversed(hops):
        if hop is None:
            return remote
        if not _trusted(hop, trusted):
            return str(hop)
    return remote
