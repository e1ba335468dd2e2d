"""The words of the server's pages, in Chinese and English, and which of them a browser gets.

The phrases are msgids of the message catalogue in the context "pages" (docs/i18n.md): a page
follows the browser's ``Accept-Language``, else the roster's language, and takes its words from
the catalogue of that language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from calendars.words import Words as FeedWords
from calendars.words import words_for
from roster.i18n import MONTH_NAMES, NP_, WEEKDAYS, pgettext_in


@dataclass(frozen=True)
class PageWords:
    """Every phrase of the worker's and the coordinator's pages; ``{…}`` fields are filled in
    with format(). ``feed`` holds the feeds' own phrases (co-workers with phones, coordinator)."""

    lang: str
    feed: FeedWords
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    day_format: str
    next_day: str
    person_title: str
    next_duty: str
    no_next: str
    nothing_yet: str
    this_week: str
    next_week: str
    no_duties: str
    place: str
    instructions: str
    crew: str
    alone: str
    cancelled: str
    subscribe: str
    subscribe_help: str
    button_webcal: str
    button_google: str
    button_outlook: str
    feed_url: str
    qr_label: str
    print_view: str
    back: str
    version_line: str
    private_note: str
    coordinator_title: str
    today: str
    post: str
    shift: str
    on_duty: str
    nobody: str
    short: str
    shortages: str
    no_shortages: str
    versions: str
    col_period: str
    col_version: str
    col_published: str
    col_by: str
    col_message: str
    nothing_published: str
    links_title: str
    links_intro: str
    links_page: str
    people: str
    posts: str
    whole_roster: str
    no_password: str
    too_many: str
    not_found: str


#: A day as a page shows it: ``Wed 5 February``, ``2月5日 周三`` (the month's name is ``2月``).
_DAY = NP_("pages", "{weekday} {day} {month}")
#: Every phrase by field, as its msgid in the context "pages".
_MSGIDS: dict[str, tuple[str, str]] = {
    "next_day": NP_("pages", "next day"),
    "person_title": NP_("pages", "Duties of {name}"),
    "next_duty": NP_("pages", "Next duty"),
    "no_next": NP_("pages", "You have no duty this week or next."),
    "nothing_yet": NP_(
        "pages",
        "No roster has been published yet. Your duties appear here, and in your phone's "
        "calendar once you subscribe below, as soon as the coordinator publishes one.",
    ),
    "this_week": NP_("pages", "This week"),
    "next_week": NP_("pages", "Next week"),
    "no_duties": NP_("pages", "No duties."),
    "place": NP_("pages", "Place"),
    "instructions": NP_("pages", "Instructions"),
    "crew": NP_("pages", "On shift with"),
    "alone": NP_("pages", "nobody else: you hold this shift alone"),
    "cancelled": NP_("pages", "Cancelled"),
    "subscribe": NP_("pages", "Subscribe on your phone"),
    "subscribe_help": NP_(
        "pages",
        "Subscribe once and your phone's calendar follows every change of the roster. "
        "Another phone can scan the QR code below.",
    ),
    "button_webcal": NP_("pages", "Subscribe (iPhone, Mac, Android calendars)"),
    "button_google": NP_("pages", "Add to Google Calendar"),
    "button_outlook": NP_("pages", "Add to Outlook"),
    "feed_url": NP_("pages", "Calendar address"),
    "qr_label": NP_("pages", "QR code of the calendar address"),
    "print_view": NP_("pages", "Printable view"),
    "back": NP_("pages", "Back"),
    "version_line": NP_("pages", "{first} to {last}: version {number}, published {when}"),
    "private_note": NP_("pages", "This is your private link: do not post it in a group chat."),
    "coordinator_title": NP_("pages", "{roster} · overview"),
    "today": NP_("pages", "Roster of {day}"),
    "post": NP_("pages", "Post"),
    "shift": NP_("pages", "Shift"),
    "on_duty": NP_("pages", "On duty"),
    "nobody": NP_("pages", "nobody yet"),
    "short": NP_("pages", "short of {n}"),
    "shortages": NP_("pages", "Shortages"),
    "no_shortages": NP_("pages", "No shortages from today on in the published rosters."),
    "versions": NP_("pages", "Published rosters"),
    "col_period": NP_("pages", "Days"),
    "col_version": NP_("pages", "Version"),
    "col_published": NP_("pages", "Published"),
    "col_by": NP_("pages", "By"),
    "col_message": NP_("pages", "Message"),
    "nothing_published": NP_("pages", "Nothing is published yet: run roster publish first."),
    "links_title": NP_("pages", "{roster} · subscribe links and QR codes"),
    "links_intro": NP_(
        "pages",
        "One box per person: cut it out and hand it to them; scanning the code subscribes"
        " to their duties. The links are private: do not put this sheet on a wall.",
    ),
    "links_page": NP_("pages", "Print every subscribe QR code"),
    "people": NP_("pages", "People"),
    "posts": NP_("pages", "Posts"),
    "whole_roster": NP_("pages", "Whole roster"),
    "no_password": NP_(
        "pages",
        "The coordinator's pages have no password yet: run roster serve-password DIR on "
        "the server, then open this page again.",
    ),
    "too_many": NP_("pages", "Too many requests for wrong links: try again later."),
    "not_found": NP_("pages", "No such page."),
}


@cache
def page_words(lang: str) -> PageWords:
    """The phrases of the pages in ``lang`` (zh or en), from the catalogue."""
    return PageWords(
        lang=lang,
        feed=words_for(lang),
        weekdays=tuple(pgettext_in(lang, *w) for w in WEEKDAYS),
        months=tuple(pgettext_in(lang, *m) for m in MONTH_NAMES),
        day_format=pgettext_in(lang, *_DAY),
        **{key: pgettext_in(lang, *msg) for key, msg in _MSGIDS.items()},
    )


def format_day(words: PageWords, weekday: int, month: int, day: int) -> str:
    """A day as the page shows it: 2月5日 周三, or Wed 5 February."""
    return words.day_format.format(
        weekday=words.weekdays[weekday], month=words.months[month - 1], day=day
    )


def choose(roster_language: str, accept_language: str | None) -> PageWords:
    """The page's language: the first of zh and en the browser's ``Accept-Language`` prefers
    (by q-value, then order), else the roster's language."""
    best: tuple[float, int, PageWords] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        fields = part.strip().split(";")
        tag = fields[0].strip().lower()
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        lang = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        if lang is None or quality <= 0:
            continue
        if best is None or quality > best[0]:
            best = (quality, position, page_words(lang))
    if best is not None:
        return best[2]
    return page_words("zh" if roster_language.lower().startswith("zh") else "en")
