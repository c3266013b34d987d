"""CSS colours compared as colours: ``#0066cc``, ``#06C``, ``rgb(0,102,204)`` and ``blue``-style
names all become one ``(red, green, blue, alpha)`` tuple.

Mermaid's flowchart grammar rejects parentheses in ``style``/``classDef`` values, so ``rgb()`` and
``hsl()`` only reach the MP rules from other sources; they are still understood, so that a value
is never mistaken for a different colour because of how it is spelled.
"""

from __future__ import annotations

import re
from functools import lru_cache

Colour = tuple[int, int, int, int]  # red, green, blue, alpha; each 0-255

_HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})")
_FUNCTION = re.compile(r"(rgba?|hsla?)\(\s*([^)]*)\)")
# Arguments of rgb()/hsl(): separated by commas, spaces or the `/` before alpha.
_ARGUMENT_SEPARATOR = re.compile(r"\s*[,/]\s*|\s+")

# The CSS named colours (CSS Color Module Level 4), as 24-bit integers: every name an author may
# write in a `fill:`, so that `fill:orange` is compared like `fill:#FFA500`.
_NAMED_SOURCE = """
aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc
bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a
burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50
cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff darkblue 00008b darkcyan 008b8b
darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9 darkkhaki bdb76b
darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred 8b0000
darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b darkslategray 2f4f4f
darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff
dimgray 696969 dimgrey 696969 dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0
forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc ghostwhite f8f8ff gold ffd700
goldenrod daa520 gray 808080 green 008000 greenyellow adff2f grey 808080 honeydew f0fff0
hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa
lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080
lightcyan e0ffff lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3
lightpink ffb6c1 lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa
lightslategray 778899 lightslategrey 778899 lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00
limegreen 32cd32 linen faf0e6 magenta ff00ff maroon 800000 mediumaquamarine 66cdaa
mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371
mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc mediumvioletred c71585
midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead
navy 000080 oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 orangered ff4500
orchid da70d6 palegoldenrod eee8aa palegreen 98fb98 paleturquoise afeeee palevioletred db7093
papayawhip ffefd5 peachpuff ffdab9 peru cd853f pink ffc0cb plum dda0dd powderblue b0e0e6
purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue 4169e1
saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee
sienna a0522d silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090
snow fffafa springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8
tomato ff6347 turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5
yellow ffff00 yellowgreen 9acd32
"""


def _named() -> dict[str, int]:
    words = _NAMED_SOURCE.split()
    return {name: int(value, 16) for name, value in zip(words[::2], words[1::2], strict=True)}


NAMED: dict[str, int] = _named()


@lru_cache(maxsize=2048)  # the same few colours are written over and over
def parse_colour(text: str) -> Colour | None:
    """The colour ``text`` names, or None when it is not a colour this module understands
    (``var(--x)``, ``transparent``, a typo)."""
    value = text.strip().lower()
    if value.endswith("!important"):  # Mermaid passes it through to the CSS; not part of it
        value = value[: -len("!important")].rstrip()
    if value.startswith("#"):
        return _parse_hex(value)
    if value in NAMED:
        rgb = NAMED[value]
        return (rgb >> 16, (rgb >> 8) & 0xFF, rgb & 0xFF, 255)
    match = _FUNCTION.fullmatch(value)
    if match is None:
        return None
    args = [a for a in _ARGUMENT_SEPARATOR.split(match.group(2).strip()) if a]
    if match.group(1).startswith("rgb"):
        return _parse_rgb(args)
    return _parse_hsl(args)


def _parse_hex(value: str) -> Colour | None:
    if _HEX.fullmatch(value) is None:
        return None
    digits = value[1:]
    if len(digits) <= 4:  # #rgb and #rgba: each digit doubled
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i:i + 2], 16) for i in range(0, len(digits), 2)]
    alpha = channels[3] if len(channels) == 4 else 255
    return (channels[0], channels[1], channels[2], alpha)


def _number(text: str, scale: float) -> float | None:
    """A CSS number; a percentage is a fraction of ``scale``."""
    try:
        if text.endswith("%"):
            return float(text[:-1]) * scale / 100
        return float(text)
    except ValueError:
        return None


def _alpha(args: list[str]) -> int | None:
    if len(args) < 4:
        return 255
    alpha = _number(args[3], 1.0)
    return None if alpha is None else _clamp(round(alpha * 255))


def _clamp(value: float) -> int:
    return max(0, min(255, round(value)))


def _parse_rgb(args: list[str]) -> Colour | None:
    if len(args) not in (3, 4):
        return None
    channels = [_number(a, 255.0) for a in args[:3]]
    alpha = _alpha(args)
    if alpha is None or any(c is None for c in channels):
        return None
    red, green, blue = (_clamp(c or 0.0) for c in channels)
    return (red, green, blue, alpha)


def _parse_hsl(args: list[str]) -> Colour | None:
    if len(args) not in (3, 4):
        return None
    hue = _number(args[0].removesuffix("deg"), 360.0)
    saturation = _number(args[1] if args[1].endswith("%") else args[1] + "%", 1.0)
    lightness = _number(args[2] if args[2].endswith("%") else args[2] + "%", 1.0)
    alpha = _alpha(args)
    if hue is None or saturation is None or lightness is None or alpha is None:
        return None
    red, green, blue = _hsl_to_rgb(hue % 360, saturation, lightness)
    return (red, green, blue, alpha)


def _hsl_to_rgb(hue: float, saturation: float, lightness: float) -> tuple[int, int, int]:
    # The CSS Color 4 reference algorithm.
    def channel(n: int) -> int:
        k = (n + hue / 30) % 12
        a = saturation * min(lightness, 1 - lightness)
        return _clamp((lightness - a * max(-1.0, min(k - 3, 9 - k, 1.0))) * 255)

    return channel(0), channel(8), channel(4)


def same_colour(left: str, right: str) -> bool:
    """Whether two CSS colour values name the same colour (False when either is not one)."""
    a, b = parse_colour(left), parse_colour(right)
    return a is not None and a == b


def hex_of(colour: Colour) -> str:
    """``#RRGGBB`` (or ``#RRGGBBAA`` when translucent), upper case like the palettes."""
    red, green, blue, alpha = colour
    text = f"#{red:02X}{green:02X}{blue:02X}"
    return text if alpha == 255 else f"{text}{alpha:02X}"
