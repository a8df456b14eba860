"""The share bar's WeChat path: a QR code of the article's address, drawn here as inline SVG.

Readers scan it with WeChat's 扫一扫 and share from there; no outside QR service, no script (the share bar
shows it in a <details> disclosure, and the public CSP allows no inline script anyway).
"""

import functools

import segno
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# Level M survives a screen's glare and moiré; segno raises it when the same size allows more.
QR_ERROR_LEVEL = "m"
# Pixels per module: an article address (a version 5-6 code) comes out at about 180-200 px.
QR_SCALE = 4


@functools.lru_cache(maxsize=1024)
def qr_svg(url):
    """The QR code of ``url`` as an inline <svg>. Kept per address in the process: making one costs about
    10 ms, more than the rest of the share bar, and a cold render of an article would pay it each time."""
    code = segno.make(url, error=QR_ERROR_LEVEL, micro=False)
    svg = code.svg_inline(
        scale=QR_SCALE,
        dark="#000",
        light="#fff",  # scanners need the light modules light, whatever colours the page is shown in
        title="本文网址的二维码",
        svgclass="share-qr",
        lineclass=None,
    )
    return svg.replace("<svg ", '<svg role="img" aria-label="本文网址的二维码" ', 1)


@register.simple_tag
def wechat_qr(url):
    """``{% wechat_qr url %}``: the QR code of ``url`` (an absolute address) as inline SVG."""
    if not url:
        return ""
    return mark_safe(qr_svg(url))  # noqa: S308 (segno's own markup; it escapes the title)
