"""A self-contained HTML page: the answer, headline table, figures with titles, captions and a
PNG of each (a ``data:`` link, so the page stays one file), provenance."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from dcplanner.report.figures import Drawn

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 980px;
       margin: 2em auto; padding: 0 1em; color: #1d2733; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
.meta { color: #5b6b7b; font-size: 0.9em; }
table { border-collapse: collapse; margin: 1em 0 2em; }
td, th { padding: 0.3em 0.9em; border-bottom: 1px solid #dde3ea; text-align: left; }
td.value { font-variant-numeric: tabular-nums; }
figure { margin: 2.5em 0; }
figure h2 { font-size: 1.15em; margin: 0 0 0.4em; }
h2.section { font-size: 1.35em; margin: 2em 0 0; border-bottom: 1px solid #dde3ea; }
figure svg { width: 100%; height: auto; }
figcaption { color: #3d4b5a; font-size: 0.92em; margin-top: 0.4em; }
p.answer { font-size: 1.25em; font-weight: 600; margin: 0.6em 0 1em; }
a.png { font-size: 0.85em; color: #1f5fa8; }
"""


@dataclass(frozen=True)
class Figure:
    """One figure: its heading, the drawing (SVG and PNG), and a caption saying what it shows."""

    title: str
    drawn: Drawn
    caption: str
    #: The section the figure opens or continues (a heading before its first figure).
    section: str | None = None

    @property
    def svg(self) -> str:
        return self.drawn.svg

    @property
    def png_name(self) -> str:
        """File name of the PNG download, from the title (``power-from-the-grid.png``)."""
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") + ".png"


def render_page(title: str, meta: Sequence[str], answer: str,
                headline: Sequence[tuple[str, str]], figures: Sequence[Figure]) -> str:
    """The whole page; every text is escaped, the SVGs are inlined as they are, and each
    figure's PNG is a download link (``data:image/png``) under its caption."""
    rows = "\n".join(f"<tr><th>{html.escape(k)}</th><td class=\"value\">{html.escape(v)}</td></tr>"
                     for k, v in headline)

    def heading(k: int, f: Figure) -> str:
        if f.section is None or (k and figures[k - 1].section == f.section):
            return ""
        anchor = re.sub(r"[^a-z0-9]+", "-", f.section.lower()).strip("-")
        return f'<h2 class="section" id="{anchor}">{html.escape(f.section)}</h2>\n'

    blocks = "\n".join(
        heading(k, f) + f'<figure class="plot">\n<h2>{html.escape(f.title)}</h2>\n{f.svg}\n'
        f"<figcaption>{html.escape(f.caption)}</figcaption>\n"
        f'<a class="png" download="{f.png_name}" href="data:image/png;base64,{f.drawn.png}">'
        f"PNG for slides ({f.png_name})</a>\n</figure>" for k, f in enumerate(figures))
    meta_lines = "<br>\n".join(html.escape(line) for line in meta)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="answer">{html.escape(answer)}</p>
<p class="meta">{meta_lines}</p>
<table class="headline">
{rows}
</table>
{blocks}
</body>
</html>
"""


def file_hash(text: str) -> str:
    """SHA-256 of a file's text, to tie a report to the exact config that made it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
