"""Server-drawn SVG charts of the support matrix: readable without JavaScript, with a title and
a description for screen readers, and text labels on every mark (colour is never the only
signal: a missing offer is hatched, outlined in dashes and labelled).

The functions are pure: they take the matrix (``services.support_matrix``) and the already
translated words, and return the SVG markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape

SHADES = ((1, "#cfe2f3", "#1a1a1a"), (2, "#6fa8dc", "#1a1a1a"), (3, "#0b5394", "#ffffff"))
HATCH = "#a30000"
FONT = 'font-family="system-ui, sans-serif" font-size="13"'


def _shade(count: int) -> tuple[str, str]:
    fill, ink = "#ffffff", "#1a1a1a"
    for threshold, shade, text in SHADES:
        if count >= threshold:
            fill, ink = shade, text
    return fill, ink


def _short(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(uid: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{uid}-title {uid}-desc" {FONT}>',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        f'<defs><pattern id="{uid}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fff5f5"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{HATCH}" stroke-width="2" '
        f'stroke-opacity="0.35"/></pattern></defs>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def gaps_chart(matrix: dict, words: dict, pick, uid: str = "gaps") -> Markup:
    """A grid of priority areas (rows) by type of support (columns): each cell shows how many
    offers there are; a cell without any offer is hatched and labelled as missing.

    ``words``: ``title``, ``desc``, ``missing``, ``legend_missing``, ``legend_offers``
    (a format with ``%(n)s``), ``area`` and ``types`` ({type: label}). ``pick`` chooses the
    title of an area in the page's language.
    """
    kinds = matrix["support_types"]
    label_w, cell_w, row_h, head_h = 360, 130, 28, 44
    width = label_w + cell_w * len(kinds) + 10
    body_h = row_h * len(matrix["areas"])
    height = head_h + body_h + 70
    out = _open(uid, width, height, words["title"], words["desc"])
    out.append(f'<text x="8" y="{head_h - 14}" font-weight="700">{escape(words["area"])}</text>')
    for i, kind in enumerate(kinds):
        x = label_w + i * cell_w + cell_w / 2
        out.append(f'<text x="{x:.0f}" y="{head_h - 14}" text-anchor="middle" '
                   f'font-weight="700">{escape(words["types"][kind])}</text>')
    for r, row in enumerate(matrix["areas"]):
        y = head_h + r * row_h
        name = f'{row["code"]} · {pick(row["title"])}'
        out.append(f'<g><title>{escape(name)}</title>'
                   f'<text x="8" y="{y + row_h / 2 + 5:.0f}">{escape(_short(name))}</text></g>')
        for i, kind in enumerate(kinds):
            count = row["counts"][kind]
            x = label_w + i * cell_w
            cell = f'x="{x + 2}" y="{y + 2}" width="{cell_w - 4}" height="{row_h - 4}"'
            cx, cy = x + cell_w / 2, y + row_h / 2 + 5
            if count:
                fill, ink = _shade(count)
                out.append(f'<rect {cell} fill="{fill}" stroke="#8a8a8a"/>'
                           f'<text x="{cx:.0f}" y="{cy:.0f}" text-anchor="middle" fill="{ink}" '
                           f'font-weight="700">{count}</text>')
            else:
                out.append(f'<rect {cell} fill="url(#{uid}-hatch)" stroke="{HATCH}" '
                           f'stroke-dasharray="4 3"/>'
                           f'<text x="{cx:.0f}" y="{cy:.0f}" text-anchor="middle" fill="{HATCH}" '
                           f'font-weight="700">✗ {escape(words["missing"])}</text>')
    legend_y = head_h + body_h + 22
    out.append(f'<rect x="8" y="{legend_y}" width="30" height="18" fill="url(#{uid}-hatch)" '
               f'stroke="{HATCH}" stroke-dasharray="4 3"/>'
               f'<text x="46" y="{legend_y + 14}">✗ {escape(words["legend_missing"])}</text>')
    x = 330
    for threshold, shade, ink in SHADES:
        label = f"{threshold}+" if threshold == SHADES[-1][0] else str(threshold)
        out.append(f'<rect x="{x}" y="{legend_y}" width="30" height="18" fill="{shade}" '
                   f'stroke="#8a8a8a"/><text x="{x + 15}" y="{legend_y + 14}" '
                   f'text-anchor="middle" fill="{ink}" font-weight="700">{label}</text>')
        x += 38
    out.append(f'<text x="{x + 4}" y="{legend_y + 14}">'
               f'{escape(words["legend_offers"])}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))  # noqa: S704  (every text in it went through escape)


def totals_chart(matrix: dict, words: dict, pick, uid: str = "totals") -> Markup:
    """Horizontal bars: the number of offers for each priority area; an area without any
    offer gets a hatched marker and the words "no offers".

    ``words``: ``title``, ``desc``, ``none``, and ``offers``: a function of the count that
    returns its label ("3 offers").
    """
    label_w, bar_w, row_h, top = 360, 300, 26, 16
    rows = matrix["areas"]
    most = max([row["total"] for row in rows] + [1])
    width = label_w + bar_w + 150
    height = top + row_h * len(rows) + 16
    out = _open(uid, width, height, words["title"], words["desc"])
    for r, row in enumerate(rows):
        y = top + r * row_h
        name = f'{row["code"]} · {pick(row["title"])}'
        out.append(f'<g><title>{escape(name)}</title>'
                   f'<text x="8" y="{y + row_h / 2 + 5:.0f}">{escape(_short(name))}</text></g>')
        if row["total"]:
            length = max(4, bar_w * row["total"] / most)
            out.append(f'<rect x="{label_w}" y="{y + 4}" width="{length:.0f}" '
                       f'height="{row_h - 8}" fill="#0b5394"/>'
                       f'<text x="{label_w + length + 6:.0f}" y="{y + row_h / 2 + 5:.0f}">'
                       f'{escape(words["offers"](row["total"]))}</text>')
        else:
            out.append(f'<rect x="{label_w}" y="{y + 4}" width="18" height="{row_h - 8}" '
                       f'fill="url(#{uid}-hatch)" stroke="{HATCH}" stroke-dasharray="4 3"/>'
                       f'<text x="{label_w + 24}" y="{y + row_h / 2 + 5:.0f}" fill="{HATCH}" '
                       f'font-weight="700">✗ {escape(words["none"])}</text>')
    out.append(f'<line x1="{label_w}" y1="{top}" x2="{label_w}" '
               f'y2="{top + row_h * len(rows)}" stroke="#1a1a1a"/>')
    out.append("</svg>")
    return Markup("\n".join(out))  # noqa: S704  (every text in it went through escape)
