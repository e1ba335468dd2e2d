"""The coordinator's page of subscribe links (index.html), in the community's language."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from roster.load import Roster

from .words import Words

if TYPE_CHECKING:  # feeds imports this module; the index type is only needed for annotations
    from .feeds import FeedIndex

GOOGLE_ADD = "https://calendar.google.com/calendar/render?cid="

_STYLE = """\
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto;
       max-width: 60em; padding: 0 1em; line-height: 1.5; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .4em .6em; text-align: left; vertical-align: top; }
td.url { font-family: ui-monospace, monospace; font-size: .85em; word-break: break-all; }
.private { background: #fff4e5; border-left: 4px solid #f0a030; padding: .5em 1em; }
"""


def webcal_url(url: str) -> str:
    """The webcal:// form of an http(s) feed URL, which phones open in their calendar app."""
    return "webcal://" + url.split("://", 1)[1]


def google_add_url(url: str) -> str:
    """A link that opens Google Calendar's prompt to subscribe to the feed at ``url``."""
    return GOOGLE_ADD + quote(webcal_url(url), safe="")


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def _table(
    words: Words, first: str, rows: list[tuple[str, str, str]], index: FeedIndex
) -> list[str]:
    """A table of (name, id, feed path) rows: subscribe links when there is a base URL, else the
    paths. The id tells apart two people of the same name."""
    if index.base_url:
        head = [first, words.col_subscribe, words.col_url, words.col_google]
    else:
        head = [first, words.col_url]
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    out.append("</thead><tbody>")
    for name, ident, path in rows:
        label = escape(name) + (f" <small>{escape(ident)}</small>" if ident else "")
        url = index.url(path)
        if url:
            cells = [
                f"<td>{label}</td>",
                f"<td>{_link(webcal_url(url), words.link_subscribe)}</td>",
                f'<td class="url">{_link(url, url)}</td>',
                f"<td>{_link(google_add_url(url), words.link_google)}</td>",
            ]
        else:
            cells = [f"<td>{label}</td>", f'<td class="url">{_link(path, path)}</td>']
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out


def render_index(roster: Roster, index: FeedIndex, words: Words) -> str:
    """The whole page: people, then posts, then the whole roster; byte-stable for one schedule."""
    title = words.page_title.format(roster=roster.name)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{words.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # The page lists private links: keep it out of search engines and out of Referer headers.
        '<meta name="robots" content="noindex, nofollow">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(words.page_intro)}</p>",
        f'<p class="private">{escape(words.page_private)}</p>',
    ]
    if index.updated is not None:
        local = index.updated.astimezone(roster.zone).strftime("%Y-%m-%d %H:%M %Z")
        lines.append(f"<p>{escape(words.generated.format(when=local))}</p>")
    if index.versions:
        lines.append(f"<p>{escape(words.page_versions)}</p>")
        lines.append("<ul>")
        for shown in index.versions:
            # The period's end is the midnight after its last day.
            last = shown.period_end.astimezone(roster.zone) - timedelta(seconds=1)
            text = words.version_line.format(
                first=f"{shown.period_start.astimezone(roster.zone):%Y-%m-%d}",
                last=f"{last:%Y-%m-%d}",
                number=shown.number,
                when=shown.published_at.astimezone(roster.zone).strftime("%Y-%m-%d %H:%M"),
            )
            lines.append(f"<li>{escape(text)}</li>")
        lines.append("</ul>")
    if not index.base_url:
        lines.append(f"<p>{escape(words.page_no_base_url)}</p>")
    lines.append(f"<h2>{escape(words.page_people)}</h2>")
    people = [(roster.person(pid).name, pid, path) for pid, path in index.people.items()]
    lines += _table(words, words.col_name, people, index)
    lines.append(f"<h2>{escape(words.page_posts)}</h2>")
    posts = [(roster.post(pid).name, pid, path) for pid, path in index.posts.items()]
    lines += _table(words, words.col_post, posts, index)
    lines.append(f"<h2>{escape(words.page_all)}</h2>")
    lines += _table(words, words.col_feed, [(words.page_all, "", index.all)], index)
    lines += ["</body>", "</html>"]
    return "\n".join(lines) + "\n"
