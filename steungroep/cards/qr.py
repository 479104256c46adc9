"""Card links and their QR codes (SVG from the qrcode package; no Pillow needed)."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import url_for
from markupsafe import Markup, escape

from steungroep.core.security import public_address
from steungroep.domain.i18n import N_

LOOPBACK = re.compile(r"^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$")


def card_url(token: str) -> str:
    """The absolute card URL, built on PUBLIC_URL when configured."""
    return public_address(url_for("cards.card", token=token))


def is_loopback(url: str) -> bool:
    """True when pupils' devices could never reach this address."""
    return bool(LOOPBACK.match(urlsplit(url).hostname or ""))


def cards_unreachable() -> bool:
    """True when the card links of this request would point at this machine only."""
    return is_loopback(card_url("x"))


# marked here, translated by whoever draws the code (a translated label is part of the key)
QR_LABEL = N_("QR-code: scan hem om je kaart te openen")


@functools.lru_cache(maxsize=1024)
def qr_svg(url: str, label: str = QR_LABEL) -> Markup:
    """An inline SVG QR code (error correction M) that CSS can size, named for screen
    readers. Drawing one takes about 7 ms; a card's address changes only with a new token,
    so the drawn codes of the last thousand cards are kept (about 8 KB each)."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]+" height="[^"]+"',
                 f'<svg class="qr" role="img" aria-label="{escape(label)}"', svg)
    return Markup(svg)
