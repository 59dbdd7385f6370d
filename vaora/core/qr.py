"""QR codes drawn on screen. One helper for every page that shows a code to be scanned off the
screen (personal QR, travel declaration, authenticator enrolment): an SVG with a viewBox and no
fixed size, so the stylesheet scales the whole code into its box — a code drawn wider than its
box with no viewBox is cut at the right and bottom and no scanner can read it (issue 13)."""

import segno
from django.utils.safestring import SafeString, mark_safe


def screen_svg(text: str) -> SafeString:
    """Inline SVG markup of `text` as a QR (error correction M, a 4-module quiet zone, black on
    white). The markup is segno's own, with no user text inside, hence safe."""
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, light="#fff", svgclass="qr-code")
    return mark_safe(svg)  # noqa: S308
