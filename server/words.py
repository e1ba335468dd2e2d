"""The words of the server's pages, in Chinese and English, and which of them a browser gets."""

from __future__ import annotations

from dataclasses import dataclass

from calendars.words import Words as FeedWords
from calendars.words import words_for


@dataclass(frozen=True)
class PageWords:
    """Every phrase of the worker's and the coordinator's pages; ``{…}`` fields are filled in
    with format(). ``feed`` holds the feeds' own phrases (co-workers with phones, coordinator)."""

    lang: str
    feed: FeedWords
    weekdays: tuple[str, ...]
    day_format: str
    next_day: str
    person_title: str
    next_duty: str
    no_next: str
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


ZH = PageWords(
    lang="zh",
    feed=words_for("zh"),
    weekdays=("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    day_format="{month}月{day}日 {weekday}",
    next_day="次日",
    person_title="{name}的值班",
    next_duty="下一班",
    no_next="本周和下周没有你的班。",
    this_week="本周",
    next_week="下周",
    no_duties="没有班。",
    place="地点",
    instructions="须知",
    crew="同班",
    alone="本班由你一人值守",
    cancelled="已取消",
    subscribe="订阅到手机日历",
    subscribe_help=(
        "订阅一次，排班有变化时手机日历会自动更新。也可以用另一部手机扫描下面的二维码。"
    ),
    button_webcal="订阅（iPhone、Mac、安卓日历）",
    button_google="添加到 Google 日历",
    button_outlook="添加到 Outlook",
    feed_url="日历网址",
    qr_label="日历网址的二维码",
    print_view="打印版",
    back="返回",
    version_line="{first} 至 {last}：第 {number} 版，{when} 发布",
    private_note="这是你的私人链接，请勿转发到群里。",
    coordinator_title="{roster} · 值班总览",
    today="{day} 值班表",
    post="岗位",
    shift="班次",
    on_duty="在岗",
    nobody="暂无人员",
    short="缺 {n} 人",
    shortages="缺员",
    no_shortages="已发布的排班中今天起没有缺员。",
    versions="已发布的排班",
    col_period="日期",
    col_version="版本",
    col_published="发布时间",
    col_by="发布人",
    col_message="说明",
    nothing_published="还没有发布任何排班：先运行 roster publish。",
    links_title="{roster} · 订阅链接和二维码",
    links_intro="每人一格：剪下来交给本人，扫码即可订阅自己的值班日历。链接是私人的，请勿张贴。",
    links_page="打印全部订阅二维码",
    people="个人日历",
    posts="岗位日历",
    whole_roster="全部值班",
    no_password=(
        "负责人页面还没有设置密码：在服务器上运行 roster serve-password 目录，然后重新打开本页。"
    ),
    too_many="请求错误的链接太多，请稍后再试。",
    not_found="没有这个页面。",
)

EN = PageWords(
    lang="en",
    feed=words_for("en"),
    weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    day_format="{weekday} {day} {month_name}",
    next_day="next day",
    person_title="Duties of {name}",
    next_duty="Next duty",
    no_next="You have no duty this week or next.",
    this_week="This week",
    next_week="Next week",
    no_duties="No duties.",
    place="Place",
    instructions="Instructions",
    crew="On shift with",
    alone="nobody else: you hold this shift alone",
    cancelled="Cancelled",
    subscribe="Subscribe on your phone",
    subscribe_help=(
        "Subscribe once and your phone's calendar follows every change of the roster. Another "
        "phone can scan the QR code below."
    ),
    button_webcal="Subscribe (iPhone, Mac, Android calendars)",
    button_google="Add to Google Calendar",
    button_outlook="Add to Outlook",
    feed_url="Calendar address",
    qr_label="QR code of the calendar address",
    print_view="Printable view",
    back="Back",
    version_line="{first} to {last}: version {number}, published {when}",
    private_note="This is your private link: do not post it in a group chat.",
    coordinator_title="{roster} · overview",
    today="Roster of {day}",
    post="Post",
    shift="Shift",
    on_duty="On duty",
    nobody="nobody yet",
    short="short of {n}",
    shortages="Shortages",
    no_shortages="No shortages from today on in the published rosters.",
    versions="Published rosters",
    col_period="Days",
    col_version="Version",
    col_published="Published",
    col_by="By",
    col_message="Message",
    nothing_published="Nothing is published yet: run roster publish first.",
    links_title="{roster} · subscribe links and QR codes",
    links_intro=(
        "One box per person: cut it out and hand it to them; scanning the code subscribes to "
        "their duties. The links are private: do not put this sheet on a wall."
    ),
    links_page="Print every subscribe QR code",
    people="People",
    posts="Posts",
    whole_roster="Whole roster",
    no_password=(
        "The coordinator's pages have no password yet: run roster serve-password DIR on the "
        "server, then open this page again."
    ),
    too_many="Too many requests for wrong links: try again later.",
    not_found="No such page.",
)

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_day(words: PageWords, weekday: int, month: int, day: int) -> str:
    """A day as the page shows it: 2月5日 周三, or Wed 5 February."""
    return words.day_format.format(
        weekday=words.weekdays[weekday], month=month, day=day, month_name=_MONTHS[month - 1]
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
        words = ZH if tag.startswith("zh") else EN if tag.startswith("en") else None
        if words is None or quality <= 0:
            continue
        if best is None or quality > best[0]:
            best = (quality, position, words)
    if best is not None:
        return best[2]
    return ZH if roster_language.lower().startswith("zh") else EN
