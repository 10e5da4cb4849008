"""A self-contained HTML page: headline table, figures with titles and captions, provenance."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

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
figure svg { width: 100%; height: auto; }
figcaption { color: #3d4b5a; font-size: 0.92em; margin-top: 0.4em; }
"""


@dataclass(frozen=True)
class Figure:
    """One figure: its heading, the SVG, and a caption saying what it shows."""

    title: str
    svg: str
    caption: str


def render_page(title: str, meta: Sequence[str], headline: Sequence[tuple[str, str]],
                figures: Sequence[Figure]) -> str:
    """The whole page; every text is escaped, the SVGs are inlined as they are."""
    rows = "\n".join(f"<tr><th>{html.escape(k)}</th><td class=\"value\">{html.escape(v)}</td></tr>"
                     for k, v in headline)
    blocks = "\n".join(
        f'<figure class="plot">\n<h2>{html.escape(f.title)}</h2>\n{f.svg}\n'
        f"<figcaption>{html.escape(f.caption)}</figcaption>\n</figure>" for f in figures)
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
