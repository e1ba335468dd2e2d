"""The words feeds and the index page show people, in the community's language (zh or en)."""

from __future__ import annotations

from dataclasses import dataclass


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


ZH = Words(
    lang="zh",
    list_sep="、",
    with_phone="{name}（电话 {phone}）",
    person_calendar="{roster} · {name}的值班",
    post_calendar="{roster} · {post}",
    all_calendar="{roster} · 值班表",
    coworkers="同班：{names}",
    alone="同班：无（本班由你一人值守）",
    on_duty="在岗：{names}",
    nobody="在岗：暂无人员",
    short="缺 {n} 人",
    coordinator="负责人：{name}",
    coordinator_phone="负责人：{name}，电话 {phone}",
    reminder="值班提醒：{post}",
    cancelled="已取消：{post}",
    cancelled_duty="此班已取消，不用到岗。",
    cancelled_shift="此班次已取消。",
    page_title="{roster} · 值班日历订阅",
    page_intro=(
        "把每人的订阅链接发给本人：在手机上点“订阅”，或把网址加到日历应用里，"
        "排班更新后日历会自动同步。"
    ),
    page_private=(
        "本页列出每个人的私人链接，请勿公开。"
        "发布时只上传 .ics 文件，不要上传 index.html 和 index.json。"
    ),
    page_no_base_url="生成时没有给出 --base-url，下面只列出文件路径；给出网址后会列出订阅链接。",
    page_people="个人日历",
    page_posts="岗位日历",
    page_all="全部值班",
    col_name="姓名",
    col_post="岗位",
    col_feed="日历",
    col_subscribe="订阅",
    col_url="网址",
    col_google="Google 日历",
    link_subscribe="订阅",
    link_google="添加到 Google 日历",
    generated="排班更新于 {when}",
    page_versions="日历中的排班：",
    version_line="{first} 至 {last}：第 {number} 版，{when} 发布",
)

EN = Words(
    lang="en",
    list_sep=", ",
    with_phone="{name} (phone {phone})",
    person_calendar="{roster} · duties of {name}",
    post_calendar="{roster} · {post}",
    all_calendar="{roster} · roster",
    coworkers="On shift with: {names}",
    alone="On shift with: nobody else",
    on_duty="On duty: {names}",
    nobody="On duty: nobody yet",
    short="Short of {n}",
    coordinator="Coordinator: {name}",
    coordinator_phone="Coordinator: {name}, phone {phone}",
    reminder="Duty reminder: {post}",
    cancelled="Cancelled: {post}",
    cancelled_duty="This duty is cancelled: you are not needed.",
    cancelled_shift="This shift is cancelled.",
    page_title="{roster} · calendar feeds",
    page_intro=(
        "Send each person their own link: tapping Subscribe on a phone, or adding the URL to a "
        "calendar app, keeps their calendar in step with the roster."
    ),
    page_private=(
        "This page lists everyone's private links: keep it private. When publishing, upload the "
        ".ics files only, not index.html or index.json."
    ),
    page_no_base_url=(
        "No --base-url was given, so only file paths are listed; give one to get subscribe links."
    ),
    page_people="People",
    page_posts="Posts",
    page_all="Whole roster",
    col_name="Name",
    col_post="Post",
    col_feed="Calendar",
    col_subscribe="Subscribe",
    col_url="URL",
    col_google="Google Calendar",
    link_subscribe="Subscribe",
    link_google="Add to Google Calendar",
    generated="Roster last changed {when}",
    page_versions="Rosters in the calendars:",
    version_line="{first} to {last}: version {number}, published {when}",
)


def words_for(language: str) -> Words:
    """The phrases for a roster's ``language``: Chinese for zh (zh-CN, zh-Hans…), else English."""
    return ZH if language.lower().startswith("zh") else EN
