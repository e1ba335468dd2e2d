"""Printed faces of a roster: a day's sheet and a week's grid as HTML, an A4 PDF and a phone PNG.

The HTML is the source of all three: WeasyPrint lays it out into a PDF (A4 for printing, a narrow
tall page for the phone), and PDFium rasterises the phone page into the PNG posted in chat groups.
"""

from __future__ import annotations

import functools
import html
import io
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from .errors import PrintError
from .i18n import WEEKDAYS, _, pgettext_in
from .load import Roster
from .models import Contact
from .render import day_label, labels
from .schedule import Schedule, ShortageOut, SlotOut

Medium = Literal["a4", "phone"]

#: Output formats, the first being the default: a picture for chat groups, A4 for printing, and
#: one self-contained HTML file for a browser (it prints on A4 too).
FORMATS = ("png", "pdf", "html")

#: Width of the phone PNG in pixels: a full-width picture on a 1080-pixel phone screen.
DAY_PNG_WIDTH = 1080
#: A week's grid has eight columns: wider, so it stays sharp when a reader zooms in.
WEEK_PNG_WIDTH = 1920

#: Page width in CSS pixels the phone PNG is laid out at. 400 px of layout on 1080 pixels puts
#: 16 px text at 43 pixels: about 14 px on a phone that shows the picture at its screen width.
_PHONE_PAGE = {"day": 400, "week": 1000}
#: Height of the phone page, cut to the content when rasterised: longer than any day or week
#: (the PDF limit is 14,400 pt, 19,200 px).
_PHONE_PAGE_HEIGHT = 12000
_PHONE_MARGIN = 16

#: A shift this long or longer (by the clock on the wall) is the community's round-the-clock duty:
#: a day's sheet names its people (with phones where shared) at the top rather than in the grid.
LONG_TURN = timedelta(hours=24)

# Fonts named in the order a reader's machine is likely to have them; WeasyPrint finds the Noto
# CJK fonts that .ci/run installs (Debian fonts-noto-cjk), browsers on phones use their own.
_FONTS = {
    "zh": '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif',
    "en": '"Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, "Noto Sans CJK SC", '
    '"PingFang SC", "Microsoft YaHei", sans-serif',
}


@dataclass(frozen=True)
class Contacts:
    """Who to call, as a print shows it: the coordinator, and the phones that may be shown."""

    coordinator: Contact | None = None
    phones: Mapping[str, str] = field(default_factory=dict)


def contacts_of(roster: Roster) -> Contacts:
    """The coordinator of a roster folder and the phones its people agreed to share.

    The rule is the feeds' one: a person's ``share_phone`` wins, else the roster's ``share_phones``.
    """
    phones = {}
    for person in roster.people:
        share = person.share_phone
        if share is None:
            share = roster.config.share_phones
        if share and person.phone:
            phones[person.id] = person.phone
    return Contacts(roster.config.coordinator, phones)


def period_days(schedule: Schedule) -> list[date]:
    """The days of the schedule's period, in the roster's time zone."""
    zone = ZoneInfo(schedule.timezone)
    first = schedule.period.start.astimezone(zone).date()
    end = schedule.period.end.astimezone(zone).date()
    return [first + timedelta(days=i) for i in range((end - first).days)]


def check_day(schedule: Schedule, day: date, source: str) -> None:
    """Raise PrintError when ``day`` is not in the period of the schedule read from ``source``."""
    days = period_days(schedule)
    if day not in days:
        raise PrintError(
            _(
                "{file}: --day {day} is outside the roster's period ({first} to {last}); give a "
                "day in it"
            ).format(
                file=source,
                day=day.isoformat(),
                first=days[0].isoformat(),
                last=days[-1].isoformat(),
            )
        )


def format_of(path: Path) -> str:
    """The output format a file name asks for (its extension), or PrintError naming the file."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "htm":
        return "html"
    if suffix not in FORMATS:
        raise PrintError(
            _(
                "{file}: cannot tell the format from the extension {extension}; name the file "
                ".png, .pdf or .html, or give --format"
            ).format(file=path, extension=path.suffix or _("(none)"))
        )
    return suffix


def default_name(schedule: Schedule, day: date | None, fmt: str) -> str:
    """The file name a print gets when no --out is given: roster-2020-02-03.png for a day,
    roster-2020-W06.pdf for an ISO week, roster-2020-02-03--2020-02-16.pdf for another period."""
    if day is not None:
        return f"roster-{day.isoformat()}.{fmt}"
    days = period_days(schedule)
    year, week, weekday = days[0].isocalendar()
    if len(days) == 7 and weekday == 1:
        return f"roster-{year}-W{week:02d}.{fmt}"
    return f"roster-{days[0].isoformat()}--{days[-1].isoformat()}.{fmt}"


# What a print shows, before it is HTML


@dataclass(frozen=True)
class Shift:
    """A shift's place in a grid: its local start and end times and the midnights between them.

    Local clock times, not a length: a night shift across a change to summer time is one hour
    shorter but is still the 22:00–06:00 row of the week.
    """

    start: time
    end: time
    days: int = 0

    @property
    def long(self) -> bool:
        """Whether the shift lasts LONG_TURN or more on the clock (the 24-hour duty)."""
        start = datetime.combine(date(2000, 1, 1), self.start)
        end = datetime.combine(date(2000, 1, 1 + self.days), self.end)
        return end - start >= LONG_TURN

    def label(self) -> str:
        """The span as people read it: 06:00–12:00, 18:00–24:00, 08:00–08:00 (+1)."""
        if self.end == time(0) and self.days == 1:
            return f"{self.start:%H:%M}–24:00"
        suffix = f" (+{self.days})" if self.days else ""
        return f"{self.start:%H:%M}–{self.end:%H:%M}{suffix}"


@dataclass(frozen=True)
class Cell:
    """One slot as a cell: the people on it, each with a phone where one is shown ("" where not),
    and how many are missing."""

    people: tuple[tuple[str, str], ...]
    short: int


@dataclass
class _Sheet:
    """The facts of a schedule a print draws on, resolved once."""

    schedule: Schedule
    contacts: Contacts
    zone: ZoneInfo = field(init=False)
    words: dict[str, str] = field(init=False)
    people: dict[str, str] = field(init=False)
    posts: dict[str, str] = field(init=False)
    order: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.schedule.timezone)
        self.words = labels(self.schedule.language)
        self.people = {p.id: p.name for p in self.schedule.people}
        self.posts = {p.id: p.name for p in self.schedule.posts}
        # Posts in the roster's order; a post missing from the list (an older file) goes last.
        self.order = [p.id for p in self.schedule.posts]
        for slot in self.schedule.slots:
            if slot.post not in self.posts:
                self.posts[slot.post] = slot.post
                self.order.append(slot.post)

    def day_of(self, slot: SlotOut) -> date:
        """The date a slot belongs to: the one it starts on, in the roster's time zone."""
        return slot.start.astimezone(self.zone).date()

    def shift_of(self, slot: SlotOut) -> Shift:
        """The slot's local start and end."""
        start = slot.start.astimezone(self.zone)
        end = slot.end.astimezone(self.zone)
        return Shift(start.time(), end.time(), (end.date() - start.date()).days)

    def cell(self, slot: SlotOut, *, phones: bool = False) -> Cell:
        """The slot's people by name, with their phones where ``phones`` and they are shared."""
        people = tuple(
            (self.people.get(pid, pid), self.contacts.phones.get(pid, "") if phones else "")
            for pid in slot.assigned
        )
        return Cell(people, slot.shortage)

    def shortages(self, slots: Sequence[SlotOut]) -> list[ShortageOut]:
        """The schedule's explained shortages of these slots, in slot order."""
        ids = {s.id for s in slots}
        return [s for s in self.schedule.shortages if s.slot in ids]


# HTML


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _css(language: str, view: Literal["day", "week"], medium: Medium) -> str:
    if medium == "phone":
        page = (
            f"@page {{ size: {_PHONE_PAGE[view]}px {_PHONE_PAGE_HEIGHT}px; "
            f"margin: {_PHONE_MARGIN}px; }}"
        )
        size = "16px" if view == "day" else "14px"
    else:
        page = (
            "@page { size: A4; margin: 14mm 12mm; }"
            if view == "day"
            else "@page { size: A4 landscape; margin: 9mm 9mm; }"
        )
        size = "16pt" if view == "day" else "10pt"
        # A4 prints a week a page; the phone picture runs on as one tall image.
        page += "\nsection + section { break-before: page; }"
    return f"""{page}
* {{ box-sizing: border-box; }}
html {{ font-family: {_FONTS.get(language, _FONTS["en"])}; font-size: {size}; color: #111; }}
body {{ margin: 0; line-height: 1.3; }}
h1 {{ font-size: 1.45em; margin: 0; }}
.when {{ font-size: 1.2em; font-weight: bold; margin: .1em 0 .3em; }}
.contact {{ margin: .15em 0; }}
.duty {{ background: #fff3cd; border: 2px solid #d9a400; border-radius: .3em;
  padding: .3em .5em; margin: .4em 0; font-size: 1.1em; }}
.duty.short {{ background: #fde2e2; border-color: #b00020; }}
.duty .who {{ font-weight: bold; font-size: 1.1em; }}
.person {{ display: inline-block; margin-right: 1em; }}
a.tel {{ color: inherit; text-decoration: none; white-space: nowrap; }}
.phone {{ font-size: .85em; }}
.alert {{ color: #b00020; font-weight: bold; margin: .3em 0; }}
table {{ border-collapse: collapse; width: 100%; margin: .5em 0 .7em; table-layout: fixed; }}
th, td {{ border: 1px solid #8a8a8a; padding: .28em .25em; text-align: center;
  vertical-align: middle; overflow-wrap: anywhere; }}
thead th {{ background: #dfe7f2; font-size: .82em; font-weight: bold; }}
tbody th {{ background: #f2f5f9; text-align: left; font-weight: bold; }}
th.time, td.time {{ font-weight: normal; font-size: .82em; }}
.names span {{ display: block; }}
.nb {{ white-space: nowrap; }}
.inline span + span::before {{ content: "{labels(language)["names_sep"]}"; }}
td.short {{ background: #fde2e2; }}
.short-n {{ color: #b00020; font-weight: bold; }}
td.off {{ background: #eeeeee; color: #777; font-size: .8em; }}
tr {{ break-inside: avoid; }}
.reasons {{ font-size: .85em; margin: .2em 0 0 1.2em; padding: 0; }}
footer {{ color: #555; font-size: .8em; margin-top: .5em; }}
@media screen {{
  html {{ font-size: 16px; }}
  body {{ max-width: {"40em" if view == "day" else "none"}; margin: 1em auto; padding: 0 .6em; }}
  .wide {{ overflow-x: auto; }}
  .wide table {{ min-width: 56em; }}
}}
"""


def _tel(phone: str) -> str:
    """A phone number a phone can dial from the HTML page, kept on one line."""
    return f'<a class="tel" href="tel:{_e(phone)}">{_e(phone)}</a>'


def _name(name: str) -> str:
    # A name without spaces (any Chinese name) is never split across lines: CJK text may break
    # between any two characters, and 贾成 / 祥 on two lines reads as two people.
    css = "" if " " in name else ' class="nb"'
    return f"<span{css}>{_e(name)}</span>"


def _cell_html(cell: Cell, words: dict[str, str], layout: str) -> str:
    # In a grid a phone goes under its name; running text uses the with_phone phrase instead.
    people = "".join(
        _name(name) + (f'<span class="phone">{_tel(phone)}</span>' if phone else "")
        for name, phone in cell.people
    )
    short = ""
    if cell.short:
        short = f'<span class="short-n">{_e(words["short_n"].format(n=cell.short))}</span>'
    if not people and not short:
        return "<td>—</td>"
    css = f' class="{layout} short"' if cell.short else f' class="{layout}"'
    return f"<td{css}>{people}{short}</td>"


def _header(sheet: _Sheet, title_date: str) -> list[str]:
    words = sheet.words
    out = [
        f"<h1>{_e(words['roster_title'].format(roster=sheet.schedule.roster))}</h1>",
        f'<p class="when">{_e(title_date)}</p>',
    ]
    contact = sheet.contacts.coordinator
    if contact is not None:
        key = "coordinator_phone" if contact.phone else "coordinator"
        text = _e(words[key]).format(name=_e(contact.name), phone=_tel(contact.phone))
        out.append(f'<p class="contact">{text}</p>')
    return out


def _shortage_lines(sheet: _Sheet, slots: Sequence[SlotOut], *, with_day: bool) -> list[str]:
    """The alert line and the list of explained shortages, when any slot is short."""
    words = sheet.words
    short = [s for s in slots if s.shortage]
    if not short:
        return []
    missing = sum(s.shortage for s in short)
    summary = f"{len(short)} {words['slots_short']} {missing} {words['persons']}"
    out = [
        f'<p class="alert">{_e(words["field"].format(label=words["shortages"], value=summary))}</p>'
    ]
    explained = {s.slot: s for s in sheet.shortages(short)}
    items = []
    for slot in short:
        when = sheet.shift_of(slot).label()
        if with_day:
            when = f"{day_label(sheet.schedule.language, sheet.day_of(slot))} {when}"
        # The explanation starts with the count missing (roster/explain.py); without one, say it.
        reason = explained[slot.id].text if slot.id in explained else ""
        value = reason or words["short_n"].format(n=slot.shortage)
        text = words["field"].format(label=f"{sheet.posts[slot.post]} {when}", value=value)
        items.append(f"<li>{_e(text)}</li>")
    out.append(f'<ul class="reasons">{"".join(items)}</ul>')
    return out


def _footer(sheet: _Sheet) -> str:
    stamp = sheet.schedule.generated_at
    if stamp is None:
        return ""
    when = stamp.astimezone(sheet.zone).strftime("%Y-%m-%d %H:%M")
    return f"<footer>{_e(sheet.words['generated'].format(when=when))}</footer>"


def _day_body(sheet: _Sheet, day: date) -> list[str]:
    words = sheet.words
    slots = [s for s in sheet.schedule.slots if sheet.day_of(s) == day]
    out = _header(sheet, day_label(sheet.schedule.language, day))
    long_turns = [s for s in slots if sheet.shift_of(s).long]
    for slot in long_turns:
        cell = sheet.cell(slot, phones=True)
        who = [
            _e(words["with_phone"]).format(name=_e(name), phone=_tel(phone)) if phone else _e(name)
            for name, phone in cell.people
        ]
        if cell.short:
            short = _e(words["short_n"].format(n=cell.short))
            who.append(f'<span class="short-n">{short}</span>')
        label = _e(words["field"]).format(
            label=_e(f"{sheet.posts[slot.post]} {sheet.shift_of(slot).label()}"), value=""
        )
        people = "".join(f'<span class="person">{w}</span>' for w in who) or "—"
        css = "duty short" if cell.short else "duty"
        out.append(f'<div class="{css}"><div>{label}</div><div class="who">{people}</div></div>')
    out += _shortage_lines(sheet, slots, with_day=False)
    # Posts with the same shifts that day share a table: posts down, shifts across. Posts with a
    # single shift go together into one table of post, time and people.
    by_post: dict[str, list[SlotOut]] = {}
    shown = {s.id for s in long_turns}
    for slot in slots:
        if slot.id not in shown:
            by_post.setdefault(slot.post, []).append(slot)
    groups: dict[tuple[Shift, ...], list[str]] = {}
    for post in sheet.order:
        if post in by_post:
            by_post[post].sort(key=lambda s: s.start)
            pattern = tuple(sheet.shift_of(s) for s in by_post[post])
            groups.setdefault(pattern if len(pattern) > 1 else (), []).append(post)
    for pattern, posts in groups.items():
        if pattern:
            out.append(_grid_table(sheet, pattern, [(p, by_post[p]) for p in posts]))
    if () in groups:
        out.append(_list_table(sheet, [by_post[p][0] for p in groups[()]]))
    out.append(_footer(sheet))
    return out


def _grid_table(
    sheet: _Sheet, pattern: tuple[Shift, ...], rows: list[tuple[str, list[SlotOut]]]
) -> str:
    words = sheet.words
    head = "".join(f'<th class="time">{_e(s.label()).replace("–", "–<wbr>")}</th>' for s in pattern)
    body = []
    for post, slots in rows:
        cells = "".join(_cell_html(sheet.cell(s), words, "names") for s in slots)
        body.append(f"<tr><th>{_e(sheet.posts[post])}</th>{cells}</tr>")
    post_width = 26 if len(pattern) > 2 else 30
    cols = f'<col style="width: {post_width}%">' + "<col>" * len(pattern)
    return (
        f"<table><colgroup>{cols}</colgroup><thead><tr><th>{_e(words['post'])}</th>{head}"
        f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _list_table(sheet: _Sheet, slots: list[SlotOut]) -> str:
    words = sheet.words
    body = []
    for slot in slots:
        cell = _cell_html(sheet.cell(slot), words, "inline")
        when = _e(sheet.shift_of(slot).label()).replace("–", "–<wbr>")
        body.append(
            f'<tr><th>{_e(sheet.posts[slot.post])}</th><td class="time">{when}</td>{cell}</tr>'
        )
    return (
        '<table><colgroup><col style="width: 30%"><col style="width: 28%"><col></colgroup>'
        f"<thead><tr><th>{_e(words['post'])}</th><th>{_e(words['time'])}</th>"
        f"<th>{_e(words['people'])}</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _week_body(sheet: _Sheet, days: list[date]) -> list[str]:
    words = sheet.words
    language = sheet.schedule.language
    period = words["period"].format(start=days[0].isoformat(), end=days[-1].isoformat())
    out = _header(sheet, period)
    slots = [s for s in sheet.schedule.slots if sheet.day_of(s) in days]
    out += _shortage_lines(sheet, slots, with_day=True)
    table: dict[str, dict[Shift, dict[date, SlotOut]]] = {}
    for slot in slots:
        table.setdefault(slot.post, {}).setdefault(sheet.shift_of(slot), {})[sheet.day_of(slot)] = (
            slot
        )
    head = "".join(
        f"<th>{_e(pgettext_in(language, *WEEKDAYS[d.weekday()]))}<br>{d:%m-%d}</th>" for d in days
    )
    body = []
    for post in sheet.order:
        shifts = sorted(table.get(post, {}), key=lambda s: (s.start, s.days, s.end))
        for i, shift in enumerate(shifts):
            first = ""
            if i == 0:
                first = f'<th rowspan="{len(shifts)}">{_e(sheet.posts[post])}</th>'
            cells = []
            for day in days:
                on_day = table[post][shift].get(day)
                if on_day is None:
                    cells.append(f'<td class="off">{_e(words["not_run"])}</td>')
                else:
                    long_turn = shift.long
                    cell = sheet.cell(on_day, phones=long_turn)
                    cells.append(_cell_html(cell, words, "names" if long_turn else "inline"))
            label = _e(shift.label()).replace("–", "–<wbr>")
            body.append(f'<tr>{first}<th class="time">{label}</th>{"".join(cells)}</tr>')
    cols = '<col style="width: 14%"><col style="width: 8%">' + "<col>" * len(days)
    out.append(
        f'<div class="wide"><table><colgroup>{cols}</colgroup><thead><tr>'
        f"<th>{_e(words['post'])}</th><th>{_e(words['time'])}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
    out.append(_footer(sheet))
    return out


def render_html(
    schedule: Schedule,
    day: date | None = None,
    contacts: Contacts | None = None,
    medium: Medium = "a4",
) -> str:
    """One self-contained HTML page (inline CSS) of a day's roster, or of the whole period as a
    grid per week when ``day`` is None. ``medium`` picks the page: A4 (prints from a browser too)
    or the narrow page the phone picture is made from."""
    sheet = _Sheet(schedule, contacts or Contacts())
    language = schedule.language
    view: Literal["day", "week"] = "week" if day is None else "day"
    if day is not None:
        sections = [_day_body(sheet, day)]
        title = f"{schedule.roster} {day.isoformat()}"
    else:
        days = period_days(schedule)
        sections = [_week_body(sheet, days[i : i + 7]) for i in range(0, len(days), 7)]
        title = f"{schedule.roster} {days[0].isoformat()}–{days[-1].isoformat()}"
    lang = "zh-Hans" if language.lower().startswith("zh") else "en"
    body = "\n".join("<section>\n" + "\n".join(part) + "\n</section>" for part in sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>\n{_css(language, view, medium)}</style>\n</head>\n"
        f'<body>\n{body}\n<div id="end"></div>\n</body>\n</html>\n'
    )


# PDF and PNG


@functools.cache
def _has_cjk_font() -> bool | None:
    """Whether fontconfig knows a font for Chinese (None when fc-list is not there to ask)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    found = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=60
    )
    return bool(found.stdout.strip())


def _needs_cjk(text: str) -> bool:
    # CJK radicals, punctuation, kana, ideographs and full-width forms all start at U+2E80.
    return any(ord(c) >= 0x2E80 for c in text)


def _layout(text: str) -> object:
    """The WeasyPrint document of an HTML page, after checking a font can show its characters."""
    if _needs_cjk(text) and _has_cjk_font() is False:
        raise PrintError(
            _(
                "no Chinese font is installed, so names would print as empty boxes; install one "
                "(Debian or Ubuntu: apt-get install fonts-noto-cjk) and print again"
            )
        )
    # Imported here: WeasyPrint takes a while to load, and only printing needs it.
    from weasyprint import HTML

    return HTML(string=text).render()


def render_pdf(
    schedule: Schedule, day: date | None = None, contacts: Contacts | None = None
) -> bytes:
    """The roster on A4: a day's sheet upright, a week's grid across, one week a page."""
    document = _layout(render_html(schedule, day, contacts, "a4"))
    data: bytes = document.write_pdf()  # type: ignore[attr-defined]
    return data


def render_png(
    schedule: Schedule, day: date | None = None, contacts: Contacts | None = None
) -> bytes:
    """The roster as a picture for a chat group: 1080 pixels wide for a day (1920 for a week), as
    tall as its content."""
    import pypdfium2

    document = _layout(render_html(schedule, day, contacts, "phone"))
    pages = document.pages  # type: ignore[attr-defined]
    if len(pages) > 1:
        raise PrintError(
            _(
                "the roster of {days} days is too long for one picture; print it as a PDF "
                "(--format pdf) or a day at a time (--day)"
            ).format(days=len(period_days(schedule)))
        )
    # The page is taller than any roster; cut it at the empty block closing the body, whose box
    # WeasyPrint reports as the anchor "end" (x1, y1, x2, y2 in CSS pixels from the top left).
    end_y = pages[0].anchors["end"][3]
    width = DAY_PNG_WIDTH if day is not None else WEEK_PNG_WIDTH
    pdf = pypdfium2.PdfDocument(document.write_pdf())  # type: ignore[attr-defined]
    try:
        page = pdf[0]
        page_width, page_height = page.get_size()  # PDF points: 0.75 of a CSS pixel
        keep = min(page_height, (end_y + _PHONE_MARGIN) * 0.75)
        bitmap = page.render(scale=width / page_width, crop=(0, page_height - keep, 0, 0))
        image = bitmap.to_pil()
    finally:
        pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def render(
    schedule: Schedule, fmt: str, day: date | None = None, contacts: Contacts | None = None
) -> bytes:
    """The roster in ``fmt`` (png, pdf or html) as the bytes of the file to write."""
    if fmt == "png":
        return render_png(schedule, day, contacts)
    if fmt == "pdf":
        return render_pdf(schedule, day, contacts)
    if fmt == "html":
        return render_html(schedule, day, contacts, "a4").encode("utf-8")
    raise PrintError(_("unknown format {format!r}; use png, pdf or html").format(format=fmt))
