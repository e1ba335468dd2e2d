"""The words feeds and the index page show people, in the community's language (zh or en)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from roster.i18n import NP_, pgettext_in


@dataclass(frozen=True)
class Words:
    """Every phrase of the feeds and the index page; ``{…}`` fields are filled in with format()."""

    lang: str
    list_sep: str
    with_phone: str
    person_calendar: str
    post_calendar: str
    all_calendar: str
    coworkers: str
    alone: str
    on_duty: str
    nobody: str
    short: str
    coordinator: str
    coordinator_phone: str
    reminder: str
    cancelled: str
    cancelled_duty: str
    cancelled_shift: str
    page_title: str
    page_intro: str
    page_private: str
    page_no_base_url: str
    page_people: str
    page_posts: str
    page_all: str
    col_name: str
    col_post: str
    col_feed: str
    col_subscribe: str
    col_url: str
    col_google: str
    link_subscribe: str
    link_google: str
    generated: str
    page_versions: str
    version_line: str


#: Every phrase by field: its English text, the catalogue's msgid in the context "feeds" (the
#: words people on duty read; a few read differently from the same English word elsewhere).
_MSGIDS: dict[str, tuple[str, str]] = {
    "list_sep": NP_("feeds", ", "),
    "with_phone": NP_("feeds", "{name} (phone {phone})"),
    "person_calendar": NP_("feeds", "{roster} · duties of {name}"),
    "post_calendar": NP_("feeds", "{roster} · {post}"),
    "all_calendar": NP_("feeds", "{roster} · roster"),
    "coworkers": NP_("feeds", "On shift with: {names}"),
    "alone": NP_("feeds", "On shift with: nobody else"),
    "on_duty": NP_("feeds", "On duty: {names}"),
    "nobody": NP_("feeds", "On duty: nobody yet"),
    "short": NP_("feeds", "Short of {n}"),
    "coordinator": NP_("feeds", "Coordinator: {name}"),
    "coordinator_phone": NP_("feeds", "Coordinator: {name}, phone {phone}"),
    "reminder": NP_("feeds", "Duty reminder: {post}"),
    "cancelled": NP_("feeds", "Cancelled: {post}"),
    "cancelled_duty": NP_("feeds", "This duty is cancelled: you are not needed."),
    "cancelled_shift": NP_("feeds", "This shift is cancelled."),
    "page_title": NP_("feeds", "{roster} · calendar feeds"),
    "page_intro": NP_(
        "feeds",
        "Send each person their own link: tapping Subscribe on a phone, or "
        "adding the URL to a calendar app, keeps their calendar in step with "
        "the roster.",
    ),
    "page_private": NP_(
        "feeds",
        "This page lists everyone's private links: keep it private. When "
        "publishing, upload the .ics files only, not index.html or index.json.",
    ),
    "page_no_base_url": NP_(
        "feeds",
        "No --base-url was given, so only file paths are listed; give one to get subscribe links.",
    ),
    "page_people": NP_("feeds", "People"),
    "page_posts": NP_("feeds", "Posts"),
    "page_all": NP_("feeds", "Whole roster"),
    "col_name": NP_("feeds", "Name"),
    "col_post": NP_("feeds", "Post"),
    "col_feed": NP_("feeds", "Calendar"),
    "col_subscribe": NP_("feeds", "Subscribe"),
    "col_url": NP_("feeds", "URL"),
    "col_google": NP_("feeds", "Google Calendar"),
    "link_subscribe": NP_("feeds", "Subscribe"),
    "link_google": NP_("feeds", "Add to Google Calendar"),
    "generated": NP_("feeds", "Roster last changed {when}"),
    "page_versions": NP_("feeds", "Rosters in the calendars:"),
    "version_line": NP_("feeds", "{first} to {last}: version {number}, published {when}"),
}


def words_for(language: str) -> Words:
    """The phrases for a roster's ``language``: Chinese for zh (zh-CN, zh-Hans…), else English."""
    lang = "zh" if language.lower().startswith("zh") else "en"
    return _words(lang)


@cache
def _words(lang: str) -> Words:
    return Words(lang=lang, **{key: pgettext_in(lang, *msg) for key, msg in _MSGIDS.items()})
