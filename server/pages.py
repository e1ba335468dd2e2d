"""The server's HTML: a worker's page (their next duty, this week and next, subscribe buttons and a
QR code), the coordinator's overview and the sheet of every subscribe link. No JavaScript."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from urllib.parse import quote

import segno

from calendars.history import Entry
from calendars.html import google_add_url, webcal_url
from roster.schedule import SlotOut

from .snapshot import Snapshot
from .words import PageWords, format_day

OUTLOOK_ADD = "https://outlook.live.com/calendar/0/addfromweb?url="

STYLE = """\
*{box-sizing:border-box}
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
margin:0 auto;max-width:46em;padding:.75em;line-height:1.5;color:#1a1a1a;background:#fff;
overflow-wrap:break-word}
h1{font-size:1.35em;margin:.2em 0 .6em}
h2{font-size:1.1em;margin:1.4em 0 .5em;border-bottom:2px solid #ddd}
.next{border:2px solid #1f6feb;border-radius:.5em;padding:.6em .8em;background:#f3f8ff}
.next .when{font-size:1.2em;font-weight:bold}
.duty{border-bottom:1px solid #e3e3e3;padding:.45em 0}
.duty .when{font-weight:bold}
.cancelled{color:#777;text-decoration:line-through}
.tag{display:inline-block;font-size:.85em;padding:0 .35em;border-radius:.3em;background:#eee;
text-decoration:none;color:#444}
dl{margin:.3em 0}dt{font-weight:bold;margin-top:.3em}
dd{margin:0 0 0 .2em;white-space:pre-line;overflow-wrap:anywhere}
.buttons a{display:block;text-align:center;margin:.45em 0;padding:.65em;border-radius:.4em;
background:#1f6feb;color:#fff;text-decoration:none;font-weight:bold}
.buttons a.alt{background:#eef2f7;color:#1f3b66}
.url{font-family:ui-monospace,monospace;font-size:.85em;overflow-wrap:anywhere;word-break:break-all}
.qr svg{width:100%;max-width:14em;height:auto;display:block;margin:.5em auto}
.note{background:#fff4e5;border-left:4px solid #f0a030;padding:.4em .8em}
.muted{color:#666;font-size:.9em}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3em .4em;text-align:left;vertical-align:top}
.short{color:#b42318;font-weight:bold}
.sheet{display:grid;grid-template-columns:repeat(auto-fill,minmax(15em,1fr));gap:.6em}
.card{border:1px dashed #999;padding:.5em;break-inside:avoid;page-break-inside:avoid}
.card .qr svg{max-width:11em}
@media print{.noprint{display:none}body{max-width:none;padding:0;font-size:11pt}
.next{background:none}a{color:#000}}
"""

#: The Content-Security-Policy source of the one inline style sheet.
STYLE_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode() + "'"


def outlook_add_url(url: str, name: str) -> str:
    """A link that opens Outlook on the web's prompt to subscribe to the feed at ``url``."""
    return OUTLOOK_ADD + quote(url, safe="") + "&name=" + quote(name, safe="")


def qr_svg(data: str, label: str) -> str:
    """An inline SVG QR code of ``data`` (error correction M, quiet zone of 4 modules)."""
    code = segno.make(data, error="m", micro=False)
    svg: str = code.svg_inline(scale=4, border=4, dark="#000", light="#fff", title=label)
    return svg


def _page(words: PageWords, title: str, body: Iterable[str], *, css_class: str = "") -> str:
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{words.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex, nofollow">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        f'<body class="{css_class}">' if css_class else "<body>",
        *body,
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"


def message_page(words: PageWords, text: str) -> str:
    """A page with one sentence: not found, too many requests, no password."""
    return _page(words, text, [f"<p>{escape(text)}</p>"])


@dataclass(frozen=True)
class Clock:
    """The moment a page is made for, in the roster's zone."""

    now: datetime

    def week_start(self) -> date:
        """Monday of the current week."""
        today = self.now.date()
        return today - timedelta(days=today.weekday())


def _time_range(words: PageWords, slot: SlotOut, snap: Snapshot) -> str:
    zone = snap.roster.zone
    start = slot.start.astimezone(zone)
    end = slot.end.astimezone(zone)
    day = format_day(words, start.weekday(), start.month, start.day)
    if end.date() == start.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    if end.date() == start.date() + timedelta(days=1):
        return f"{day} {start:%H:%M}–{words.next_day} {end:%H:%M}"
    last = format_day(words, end.weekday(), end.month, end.day)
    return f"{day} {start:%H:%M} – {last} {end:%H:%M}"


def coworker(snap: Snapshot, words: PageWords, person_id: str) -> str:
    """A co-worker's name, with their phone only where they or the community chose to share it:
    the rule the feeds follow (``calendars.feeds``)."""
    try:
        person = snap.roster.person(person_id)
    except KeyError:
        return snap.recorded_names.get(person_id, person_id)
    share = person.share_phone
    if share is None:
        share = snap.roster.config.share_phones
    if share and person.phone:
        return words.feed.with_phone.format(name=person.name, phone=person.phone)
    return person.name


def _post(snap: Snapshot, post_id: str) -> tuple[str, str, str]:
    """A post's name, place and instructions (only the name for a post that left the folder)."""
    try:
        post = snap.roster.post(post_id)
    except KeyError:
        return snap.recorded_posts.get(post_id, post_id), "", ""
    return post.name, post.location, post.instructions.strip()


def _coordinator_line(snap: Snapshot, words: PageWords) -> str:
    contact = snap.roster.config.coordinator
    if contact is None:
        return ""
    if contact.phone:
        return words.feed.coordinator_phone.format(name=contact.name, phone=contact.phone)
    return words.feed.coordinator.format(name=contact.name)


def _duty(snap: Snapshot, words: PageWords, person_id: str, entry: Entry, *, full: bool) -> str:
    """One duty: when and which post; with ``full``, its place, instructions and crew."""
    slot = entry.slot
    name, location, instructions = _post(snap, slot.post)
    others = [coworker(snap, words, pid) for pid in slot.assigned if pid != person_id]
    crew = words.feed.list_sep.join(others) if others else words.alone
    head = f'<div class="when">{escape(_time_range(words, slot, snap))}</div>'
    title = escape(name)
    if entry.cancelled:
        title = f'<span class="cancelled">{title}</span> <span class="tag">{words.cancelled}</span>'
    parts = [head, f"<div>{title}</div>"]
    if entry.cancelled:
        return "".join(parts)
    details = []
    if location:
        details.append((words.place, location))
    if full and instructions:
        details.append((words.instructions, instructions))
    details.append((words.crew, crew))
    parts.append(
        "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in details) + "</dl>"
    )
    return "".join(parts)


def person_page(
    snap: Snapshot,
    words: PageWords,
    person_id: str,
    feed_url: str,
    clock: Clock,
    *,
    printable: bool = False,
) -> str:
    """A worker's page: the next duty first (place, instructions, crew), this week's and next
    week's duties, subscribe buttons and a QR code of the feed's address. Before anything is
    published, a sentence saying so takes the place of the duties."""
    zone = snap.roster.zone
    name = snap.person_name(person_id)
    entries = snap.shown.duties.get(person_id, [])
    monday = clock.week_start()
    weeks = [(words.this_week, monday), (words.next_week, monday + timedelta(days=7))]
    upcoming = [e for e in entries if not e.cancelled and e.slot.end > clock.now]
    title = words.person_title.format(name=name)
    body = [f"<h1>{escape(title)}</h1>"]
    body.append(f'<p class="muted">{escape(snap.roster.name)}</p>')
    if not snap.shown.periods:
        # Nothing published yet: "no duty this week or next" would tell a worker they are free.
        body.append(f'<p id="next">{escape(words.nothing_yet)}</p>')
        weeks = []
    elif upcoming:
        body.append(f"<h2>{escape(words.next_duty)}</h2>")
        body.append(
            '<section class="next" id="next">'
            + _duty(snap, words, person_id, upcoming[0], full=True)
            + "</section>"
        )
    else:
        body.append(f"<h2>{escape(words.next_duty)}</h2>")
        body.append(f'<p id="next">{escape(words.no_next)}</p>')
    for heading, first in weeks:
        last = first + timedelta(days=7)
        body.append(f"<h2>{escape(heading)}</h2>")
        week = [e for e in entries if first <= e.slot.start.astimezone(zone).date() < last]
        if not week:
            body.append(f'<p class="muted">{escape(words.no_duties)}</p>')
        for entry in week:
            body.append(
                '<div class="duty">' + _duty(snap, words, person_id, entry, full=False) + "</div>"
            )
    contact = _coordinator_line(snap, words)
    if contact:
        body.append(f'<p class="muted">{escape(contact)}</p>')
    body.append(f"<h2>{escape(words.subscribe)}</h2>")
    if not printable:
        calendar_name = words.feed.person_calendar.format(roster=snap.roster.name, name=name)
        body += [
            f"<p>{escape(words.subscribe_help)}</p>",
            '<div class="buttons noprint">',
            f'<a id="subscribe" href="{escape(webcal_url(feed_url))}">'
            f"{escape(words.button_webcal)}</a>",
            f'<a class="alt" href="{escape(google_add_url(feed_url))}">'
            f"{escape(words.button_google)}</a>",
            f'<a class="alt" href="{escape(outlook_add_url(feed_url, calendar_name))}">'
            f"{escape(words.button_outlook)}</a>",
            "</div>",
        ]
    body += [
        f'<p>{escape(words.feed_url)}: <a class="url" id="feed-url" href="{escape(feed_url)}">'
        f"{escape(feed_url)}</a></p>",
        f'<div class="qr" id="qr">{qr_svg(feed_url, words.qr_label)}</div>',
        f'<p class="note">{escape(words.private_note)}</p>',
    ]
    body += _versions_lines(snap, words)
    if printable:
        body.append(f'<p class="noprint"><a href="?">{escape(words.back)}</a></p>')
    else:
        body.append(f'<p class="noprint"><a href="?print=1">{escape(words.print_view)}</a></p>')
    return _page(words, title, body, css_class="print" if printable else "")


def _versions_lines(snap: Snapshot, words: PageWords) -> list[str]:
    zone = snap.roster.zone
    lines = []
    for period in snap.shown.periods:
        latest = period.latest
        last = period.end.astimezone(zone) - timedelta(seconds=1)
        text = words.version_line.format(
            first=f"{period.start.astimezone(zone):%Y-%m-%d}",
            last=f"{last:%Y-%m-%d}",
            number=latest.number,
            when=latest.published_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        )
        lines.append(f'<p class="muted">{escape(text)}</p>')
    return lines


def coordinator_page(snap: Snapshot, words: PageWords, day: date, clock: Clock) -> str:
    """The coordinator's overview: the day's roster by post, shortages from today on, and the
    published versions."""
    zone = snap.roster.zone
    roster = snap.roster
    title = words.coordinator_title.format(roster=roster.name)
    body = [f"<h1>{escape(title)}</h1>"]
    body.append(
        f'<p class="noprint"><a href="coordinator/links">{escape(words.links_page)}</a></p>'
    )
    heading = words.today.format(day=f"{day:%Y-%m-%d} " + words.weekdays[day.weekday()])
    body.append(f"<h2>{escape(heading)}</h2>")
    live = [e for e in snap.shown.slots if not e.cancelled]
    todays = [e for e in live if e.slot.start.astimezone(zone).date() == day]
    posts = [p.id for p in roster.config.posts]
    posts += sorted({e.slot.post for e in todays} - set(posts))
    rows = []
    for post_id in posts:
        shifts = [e for e in todays if e.slot.post == post_id]
        if not shifts:
            continue
        name = _post(snap, post_id)[0]
        for i, entry in enumerate(shifts):
            slot = entry.slot
            people = [_with_phone(snap, words, pid) for pid in slot.assigned]
            crew = escape(words.feed.list_sep.join(people)) if people else escape(words.nobody)
            if slot.shortage:
                crew += f' <span class="short">{escape(words.short.format(n=slot.shortage))}</span>'
            start = slot.start.astimezone(zone)
            end = slot.end.astimezone(zone)
            cells = [
                f"<td>{escape(name)}</td>" if i == 0 else "<td></td>",
                f"<td>{start:%H:%M}–{end:%H:%M}</td>",
                f"<td>{crew}</td>",
            ]
            rows.append("<tr>" + "".join(cells) + "</tr>")
    if rows:
        head = (words.post, words.shift, words.on_duty)
        body.append('<table id="today"><thead><tr>')
        body.append("".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>")
        body += rows
        body.append("</tbody></table>")
    else:
        body.append(f'<p class="muted">{escape(words.no_duties)}</p>')
    body.append(f"<h2>{escape(words.shortages)}</h2>")
    short = [e for e in live if e.slot.shortage > 0 and e.slot.start.astimezone(zone).date() >= day]
    if short:
        body.append('<ul id="shortages">')
        for entry in short:
            slot = entry.slot
            text = (
                f"{_time_range(words, slot, snap)} {_post(snap, slot.post)[0]}: "
                f"{words.short.format(n=slot.shortage)}"
            )
            body.append(f"<li>{escape(text)}</li>")
        body.append("</ul>")
    else:
        body.append(f'<p class="muted">{escape(words.no_shortages)}</p>')
    body.append(f"<h2>{escape(words.versions)}</h2>")
    if snap.shown.periods:
        columns = (
            words.col_period,
            words.col_version,
            words.col_published,
            words.col_by,
            words.col_message,
        )
        body.append('<table id="versions"><thead><tr>')
        body.append("".join(f"<th>{escape(h)}</th>" for h in columns) + "</tr></thead><tbody>")
        for period in reversed(snap.shown.periods):
            latest = period.latest
            last = period.end.astimezone(zone) - timedelta(seconds=1)
            cells = [
                f"{period.start.astimezone(zone):%Y-%m-%d} – {last:%Y-%m-%d}",
                str(latest.number),
                latest.published_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                latest.author,
                latest.message,
            ]
            body.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
        body.append("</tbody></table>")
    else:
        body.append(f"<p>{escape(words.nothing_published)}</p>")
    return _page(words, title, body)


def _with_phone(snap: Snapshot, words: PageWords, person_id: str) -> str:
    """A name with the phone, whatever the sharing rules: the coordinator calls people."""
    try:
        person = snap.roster.person(person_id)
    except KeyError:
        return snap.recorded_names.get(person_id, person_id)
    if person.phone:
        return words.feed.with_phone.format(name=person.name, phone=person.phone)
    return person.name


def links_page(snap: Snapshot, words: PageWords, base_url: str) -> str:
    """Every person's (then every post's and the whole roster's) subscribe link with its QR code,
    one box each, to print and cut."""
    roster = snap.roster
    title = words.links_title.format(roster=roster.name)
    body = [f"<h1>{escape(title)}</h1>", f'<p class="note">{escape(words.links_intro)}</p>']

    def cards(rows: list[tuple[str, str]]) -> list[str]:
        out = ['<div class="sheet">']
        for label, path in rows:
            url = f"{base_url}/{path}"
            out.append(
                f'<div class="card"><strong>{escape(label)}</strong>'
                f'<div class="qr">{qr_svg(url, words.qr_label)}</div>'
                f'<div class="url">{escape(url)}</div></div>'
            )
        out.append("</div>")
        return out

    people = [(snap.person_name(pid), path) for pid, path in snap.index.people.items()]
    body.append(f"<h2>{escape(words.people)}</h2>")
    body += cards(people)
    posts = [(_post(snap, pid)[0], path) for pid, path in snap.index.posts.items()]
    body.append(f"<h2>{escape(words.posts)}</h2>")
    body += cards(posts)
    body.append(f"<h2>{escape(words.whole_roster)}</h2>")
    body += cards([(words.whole_roster, snap.index.all)])
    return _page(words, title, body)
