"""`roster serve` run for real: uvicorn on a free port of 127.0.0.1 serving a roster store."""

from __future__ import annotations

import base64
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner
from icalendar import Calendar
from servekit import (
    PASSWORD,
    SECOND,
    Running,
    free_socket,
    publish,
    raw_request,
    roster_with_store,
    serving,
    static_feeds,
)
from test_calendars_caldav import radicale  # noqa: F401  (a fixture)
from test_calendars_factory import ZONE

from calendars.tokens import FeedKey, Tokens, rotate
from cli import main
from server import ServeConfig
from server.auth import PASSWORD_FILE, Coordinator, MissLimiter
from store import open_store

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://roster.example.org/xingwang/feeds"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "兴旺社区"


@pytest.fixture
def server(folder: Path) -> Iterator[Running]:
    """Version 1 published, served with a public base URL and a fast watcher."""
    location = roster_with_store(folder)
    config = ServeConfig(folder=folder, db=location, base_url=BASE, poll=0.05)
    with serving(config) as running:
        yield running


def paths(folder: Path) -> dict[str, str]:
    """Token paths as index.json names them."""
    tokens = Tokens(folder)
    return {
        "p01": f"people/{tokens.token(FeedKey('person', 'p01'))}.ics",
        "p03": f"people/{tokens.token(FeedKey('person', 'p03'))}.ics",
        "p04": f"people/{tokens.token(FeedKey('person', 'p04'))}.ics",
        "gate": f"posts/gate-night-{tokens.token(FeedKey('post', 'gate-night'))}.ics",
        "all": f"all-{tokens.token(FeedKey('all'))}.ics",
    }


def auth(password: str = PASSWORD, user: str = "马书记") -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"authorization": f"Basic {token}"}


# Feeds and HTTP caching


def test_every_feed_is_served_with_the_bytes_publish_writes(server: Running, folder: Path) -> None:
    files = static_feeds(folder, server.config.db, BASE)
    index = json.loads(files["index.json"])
    feeds = [*index["people"].values(), *index["posts"].values(), index["all"]]
    assert len(feeds) == 5 + 3 + 1
    with server.client() as client:
        for path in feeds:
            response = client.get(f"/{path}", headers={"accept-encoding": "identity"})
            assert response.status_code == 200, path
            # The static copy and the server are interchangeable: same paths, same bytes.
            assert response.content == files[path], path
            assert response.headers["content-type"] == "text/calendar; charset=utf-8"
            assert response.headers["cache-control"] == "private, no-cache"
            assert response.headers["etag"].startswith('"')
            assert response.headers["last-modified"].endswith("GMT")
    # The base URL's path is served too, for a proxy that passes it on.
    with server.client() as client:
        response = client.get("/xingwang/feeds/" + feeds[0])
        assert response.status_code == 200
        assert response.content == files[feeds[0]]


def test_etag_last_modified_304_head_and_gzip(server: Running, folder: Path) -> None:
    path = "/" + paths(folder)["p03"]
    with server.client() as client:
        first = client.get(path, headers={"accept-encoding": "identity"})
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert first.headers["content-length"] == str(len(first.content))

        same = client.get(path, headers={"if-none-match": etag})
        assert same.status_code == 304
        assert same.content == b""
        assert same.headers["etag"] in (etag, etag[:-1] + '-gzip"')
        assert client.get(path, headers={"if-none-match": f'"x", W/{etag}'}).status_code == 304
        assert client.get(path, headers={"if-none-match": '"other"'}).status_code == 200

        assert client.get(path, headers={"if-modified-since": modified}).status_code == 304
        earlier = format_datetime(first_moment(modified), usegmt=True)
        assert client.get(path, headers={"if-modified-since": earlier}).status_code == 200
        # If-None-Match decides when both are sent (RFC 9110 section 13.2.2).
        both = {"if-none-match": '"other"', "if-modified-since": modified}
        assert client.get(path, headers=both).status_code == 200
        assert client.get(path, headers={"if-modified-since": "yesterday"}).status_code == 200

        head = client.head(path, headers={"accept-encoding": "identity"})
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["content-length"] == str(len(first.content))
        assert head.headers["etag"] == etag

        zipped = client.get(path, headers={"accept-encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.headers["vary"] == "Accept-Encoding"
        assert zipped.content == first.content  # httpx decodes it
        assert zipped.headers["etag"] != etag  # another coding, another strong tag
        assert int(zipped.headers["content-length"]) < len(first.content)
        raw = client.get(path, headers={"accept-encoding": "gzip"}).read()
        assert raw == first.content
        refused = client.get(path, headers={"accept-encoding": "gzip;q=0"})
        assert "content-encoding" not in refused.headers
        # A client holding the gzip variant's tag is up to date in either coding.
        tag = zipped.headers["etag"]
        assert client.get(path, headers={"if-none-match": tag}).status_code == 304


def first_moment(http_date: str) -> object:
    from datetime import timedelta
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(http_date) - timedelta(seconds=1)


def test_gzip_body_is_the_feed(server: Running, folder: Path) -> None:
    path = "/" + paths(folder)["all"]
    with httpx.Client(base_url=server.url) as client:
        with client.stream("GET", path, headers={"accept-encoding": "gzip"}) as response:
            packed = b"".join(response.iter_raw())
        plain = client.get(path, headers={"accept-encoding": "identity"}).content
    assert gzip.decompress(packed) == plain


def test_security_headers_on_feeds_pages_and_errors(server: Running, folder: Path) -> None:
    feed = "/" + paths(folder)["p01"]
    with server.client() as client:
        for path in (feed, feed.removesuffix(".ics"), "/nothing", "/coordinator"):
            headers = client.get(path).headers
            assert "frame-ancestors 'none'" in headers["content-security-policy"]
            assert "default-src 'none'" in headers["content-security-policy"]
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "no-referrer"
            assert headers["x-frame-options"] == "DENY"
            assert headers["cross-origin-resource-policy"] == "same-origin"
            assert "camera=()" in headers["permissions-policy"]
            assert "server" not in headers
        # Answers without a body carry them too: 304, HEAD, 405.
        etag = client.get(feed).headers["etag"]
        for response in (
            client.get(feed, headers={"if-none-match": etag}),
            client.head(feed.removesuffix(".ics")),
            client.request("DELETE", feed),
        ):
            assert response.headers["x-content-type-options"] == "nosniff", response
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert client.head(feed.removesuffix(".ics")).status_code == 200


# A new version while serving


def test_a_version_published_while_serving_is_served_whole(server: Running, folder: Path) -> None:
    path = "/" + paths(folder)["p03"]
    with server.client() as client:
        before = client.get(path)
        assert server.revision() == 1
        with open_store(server.config.db, create=False) as store:
            publish(store, 2, SECOND)
            revision = store.revision("兴旺社区")
        server.wait_for_revision(revision)
        after = client.get(path)
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    # Byte for byte what publishing writes for versions 1 and 2.
    assert after.content == static_feeds(folder, server.config.db, BASE)[path[1:]]


def test_calendar_client_round_trip(server: Running, folder: Path) -> None:
    """Subscribe with the ETag: 304 while nothing changed, 200 with the change once version 2 is
    published, read back with icalendar."""
    path = "/" + paths(folder)["p03"]
    with server.client() as client:
        first = client.get(path)
        events = Calendar.from_ical(first.content).walk("VEVENT")
        night = [e for e in events if e.decoded("dtstart").day == 4 and e.decoded("dtstart").hour]
        assert [str(e["STATUS"]) for e in night] == ["CONFIRMED"]
        etag = first.headers["etag"]
        assert client.get(path, headers={"if-none-match": etag}).status_code == 304

        with open_store(server.config.db, create=False) as store:
            publish(store, 2, SECOND)
            revision = store.revision("兴旺社区")
        server.wait_for_revision(revision)
        again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 200
    events = Calendar.from_ical(again.content).walk("VEVENT")
    night = [e for e in events if e.decoded("dtstart").day == 4 and e.decoded("dtstart").hour]
    assert [str(e["STATUS"]) for e in night] == ["CANCELLED"]
    assert night[0]["SEQUENCE"] == 1
    assert str(night[0]["SUMMARY"]).startswith("已取消")


def test_a_rotated_token_is_gone_like_one_never_issued(server: Running, folder: Path) -> None:
    old = "/" + paths(folder)["p01"]
    never = "/people/" + "a" * 26 + ".ics"
    with server.client() as client:
        assert client.get(old).status_code == 200
        rotate(folder, FeedKey("person", "p01"))
        deadline = time.monotonic() + 60
        while client.get(old).status_code == 200:
            assert time.monotonic() < deadline, "the rotation was not noticed"
            time.sleep(0.02)
        gone, missing = client.get(old), client.get(never)
        assert client.get("/" + paths(folder)["p01"]).status_code == 200
    assert gone.status_code == missing.status_code == 404
    assert gone.content == missing.content
    assert {k: v for k, v in gone.headers.items() if k != "date"} == {
        k: v for k, v in missing.headers.items() if k != "date"
    }


# What must not be reachable


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/people/",
        "/people",
        "/posts/",
        "/roster.yaml",
        "/roster.db",
        "/.feeds-secret",
        "/" + PASSWORD_FILE,
        "/index.json",
        "/index.html",
        "/../roster.yaml",
        "/people/../roster.yaml",
        "/people/..%2f..%2froster.db",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/people/%00.ics",
        "//etc/passwd",
        "/people/" + "x" * 5000 + ".ics",
        "/people/p01.ics",
        "/people/杨金花.ics",
    ],
)
def test_nothing_but_feeds_and_pages_is_reachable(server: Running, target: str) -> None:
    never = raw_request(server.url, b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    request = f"GET {quote(target, safe='/%.')} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = raw_request(server.url, request.encode())
    assert answer.startswith(b"HTTP/1.1 404 "), answer[:200]
    # The same page whatever was asked for.
    assert answer.split(b"\r\n\r\n", 1)[1] == never.split(b"\r\n\r\n", 1)[1]
    assert b"BEGIN:VCALENDAR" not in answer and b"argon2" not in answer


def test_wrong_tokens_are_limited_per_address(folder: Path) -> None:
    location = roster_with_store(folder)
    config = ServeConfig(folder=folder, db=location, poll=0.05, miss_limit=5, miss_window=600)
    right = "/" + paths(folder)["p01"]
    with serving(config) as running, running.client() as client:
        assert client.get(right).status_code == 200
        guesses = [client.get(f"/people/{i:026d}.ics").status_code for i in range(5)]
        assert guesses == [404] * 5
        limited = client.get("/people/" + "b" * 26 + ".ics")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) > 0
        # The right token is refused too: otherwise the answer would tell a guesser they hit.
        assert client.get(right).status_code == 429
        assert client.get(right.removesuffix(".ics")).status_code == 429
        assert client.get("/healthz").status_code == 200


def test_miss_limiter_window() -> None:
    limiter = MissLimiter(limit=2, window=10, capacity=2)
    limiter.miss("a", now=0)
    assert limiter.blocked("a", now=1) == 0
    limiter.miss("a", now=1)
    assert limiter.blocked("a", now=2) == 8
    assert limiter.blocked("b", now=2) == 0
    assert limiter.blocked("a", now=10) == 0  # the window is over
    limiter.miss("b", now=3)
    limiter.miss("c", now=3)  # over capacity: the least recent address is forgotten
    assert limiter.blocked("a", now=4) == 0


def test_oversized_and_malformed_requests(server: Running, folder: Path) -> None:
    feed = "/" + paths(folder)["p01"]
    huge = b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n"
    answer = raw_request(server.url, huge)
    assert answer == b"" or answer.split(b" ", 2)[1] in (b"400", b"413", b"431")
    garbage = raw_request(server.url, b"\x16\x03\x01 not http at all\r\n\r\n")
    assert garbage == b"" or garbage.split(b" ", 2)[1] == b"400"
    no_colon = raw_request(server.url, b"GET / HTTP/1.1\r\nHost x\r\nbroken\r\n\r\n")
    assert no_colon.split(b" ", 2)[1] == b"400"
    bad_length = raw_request(server.url, b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n")
    assert bad_length.split(b" ", 2)[1] == b"400"
    body = raw_request(
        server.url,
        f"POST {feed} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n"
        "Connection: close\r\n\r\n".encode()
        + b"x" * 1000,
    )
    assert body.split(b" ", 2)[1] == b"405"
    with server.client() as client:
        assert client.request("PUT", feed, content=b"x").status_code == 405
        assert client.request("DELETE", feed).status_code == 405
        # Still serving after all that.
        assert client.get(feed).status_code == 200


# Pages


def test_worker_page_in_the_roster_language_and_the_browsers(server: Running, folder: Path) -> None:
    feed = paths(folder)["p03"]
    page = "/" + feed.removesuffix(".ics")
    with server.client() as client:
        zh = client.get(page)
        en = client.get(page, headers={"accept-language": "en-GB,en;q=0.9,zh;q=0.5"})
        prefers_zh = client.get(page, headers={"accept-language": "fr, zh-CN;q=0.8, en;q=0.7"})
        printable = client.get(page + "?print=1")
    assert zh.status_code == 200
    assert zh.headers["content-type"] == "text/html; charset=utf-8"
    assert zh.headers["cache-control"] == "private, no-store"
    text = zh.text
    assert '<html lang="zh">' in text and "王芳的值班" in text
    # The next duty first: the night of 3 February at the north gate, with its instructions
    # and the co-worker; 李明 does not share his phone, 杨金花 does (not on this shift).
    next_duty = text.split('id="next"')[1].split("</section>")[0]
    assert "2月3日 周一 22:00–次日 06:00" in next_duty
    assert "小区北门" in next_duty and "两人一组" in next_duty
    assert "李明" in next_duty and "13900000002" not in text
    assert f'href="{BASE}/{feed}"' in text
    assert f'href="webcal://{BASE.removeprefix("https://")}/{feed}"' in text
    assert "calendar.google.com" in text and "outlook.live.com" in text
    assert "<svg" in text and "<script" not in text
    assert '<html lang="en">' in en.text and "Next duty" in en.text
    assert '<html lang="zh">' in prefers_zh.text
    assert printable.status_code == 200 and 'id="subscribe"' not in printable.text
    assert "<svg" in printable.text


def test_phones_follow_the_privacy_rules(server: Running, folder: Path) -> None:
    # 李明 (p02) works the disinfection round? No: 杨金花 (p01, shares her phone) and Zhao Lei
    # (p04) are on the round of 4 February: Zhao Lei's page shows her phone.
    page = "/" + paths(folder)["p04"].removesuffix(".ics")
    with server.client() as client:
        text = client.get(page).text
    assert "杨金花（电话 13900000001）" in text
    assert "13900000004" not in text  # his own phone is nobody's business here


def test_worker_page_before_anything_is_published(folder: Path) -> None:
    """An empty store: the page says nothing is published yet (not that the worker is free),
    in the page's language, and still offers the subscription that fills in later."""
    from test_calendars_factory import write_roster

    write_roster(folder)
    location = str(folder / "roster.db")
    open_store(location).close()
    page = "/" + paths(folder)["p03"].removesuffix(".ics")
    config = ServeConfig(folder=folder, db=location, base_url=BASE, poll=0.05)
    with serving(config) as running, running.client() as client:
        zh = client.get(page)
        en = client.get(page, headers={"accept-language": "en"})
    assert zh.status_code == 200 and en.status_code == 200
    assert zh.text.split('id="next">')[1].startswith(
        "排班还没有发布。协调人发布后，你的值班就会显示在这里；在下面订阅后，也会出现在手机日历里。"
    )
    assert "本周和下周没有你的班" not in zh.text and "本周" not in zh.text
    assert 'id="subscribe"' in zh.text and f'href="{BASE}/{paths(folder)["p03"]}"' in zh.text
    assert en.text.split('id="next">')[1].startswith(
        "No roster has been published yet. Your duties appear here, and in your phone&#x27;s "
        "calendar once you subscribe below, as soon as the coordinator publishes one."
    )
    assert "no duty this week or next" not in en.text and "This week" not in en.text


def test_coordinator_pages_need_the_password(server: Running, folder: Path) -> None:
    with server.client() as client:
        anonymous = client.get("/coordinator")
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"].startswith("Basic ")
        assert "杨金花" not in anonymous.text
        assert client.get("/coordinator", headers=auth("wrong password!")).status_code == 401
        assert client.get("/coordinator/links").status_code == 401
        assert client.get("/coordinator", headers={"authorization": "Basic %%%"}).status_code == 401
        page = client.get("/coordinator?day=2020-02-04", headers=auth())
        links = client.get("/coordinator/links", headers=auth())
        today = client.get("/coordinator", headers=auth())
    assert page.status_code == 200
    table = page.text.split('id="today"')[1].split("</table>")[0]
    assert "24小时值班" in table and "李明（电话 13900000002）" in table
    assert "消杀" in table and "杨金花" in table
    # The night of 4 February lacks one of its two: a shortage.
    assert "缺 1 人" in page.text.split('id="shortages"')[1]
    assert "第1版" in page.text.split('id="versions"')[1] and "张海燕" in page.text
    assert "2020-02-03 周一" in today.text  # the server's clock: 3 February in Xining
    assert links.status_code == 200
    assert links.text.count("<svg") == 5 + 3 + 1
    for path in paths(folder).values():
        assert f"{BASE}/{path}" in links.text


def test_coordinator_pages_closed_without_a_password(folder: Path) -> None:
    location = roster_with_store(folder)
    (folder / PASSWORD_FILE).unlink()
    config = ServeConfig(folder=folder, db=location, poll=0.05)
    with serving(config) as running, running.client() as client:
        closed = client.get("/coordinator", headers=auth())
    assert closed.status_code == 403
    assert "roster serve-password" in closed.text


def test_password_check() -> None:
    from server.auth import hash_password

    coordinator = Coordinator(hash_password(PASSWORD))
    assert coordinator.check(auth()["authorization"])
    assert coordinator.check(auth()["authorization"])  # remembered
    assert coordinator.check(auth(user="")["authorization"])
    assert not coordinator.check(auth("x" * 12)["authorization"])
    assert not coordinator.check("Bearer abc")
    assert not coordinator.check("Basic " + base64.b64encode(b"no colon").decode())
    assert not Coordinator(None).check(auth()["authorization"])


# The commands


def test_serve_password_stores_a_hash_only(folder: Path, english: None) -> None:
    folder.mkdir()
    runner = CliRunner()
    result = runner.invoke(main, ["serve-password", str(folder)], input=f"{PASSWORD}\n" * 2)
    assert result.exit_code == 0, result.output
    stored = (folder / PASSWORD_FILE).read_text(encoding="ascii")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert (folder / PASSWORD_FILE).stat().st_mode & 0o777 == 0o600
    assert Coordinator(stored.strip()).check(auth()["authorization"])
    short = runner.invoke(main, ["serve-password", str(folder)], input="short\nshort\n")
    assert short.exit_code == 1
    assert "Error: a password of 5 characters is too easy to guess" in short.output
    printed = runner.invoke(
        main, ["serve-password", str(folder), "--print-hash"], input=f"{PASSWORD}\n" * 2
    )
    assert printed.output.strip().splitlines()[-1].startswith("$argon2id$")


def test_password_errors_in_the_message_language(folder: Path) -> None:
    from roster.i18n import speaking
    from server.auth import PasswordError, hash_password, load_password_hash

    folder.mkdir()
    # The roster folder has no roster.yaml and the locale names no language: Chinese.
    short = CliRunner().invoke(main, ["serve-password", str(folder)], input="short\nshort\n")
    assert short.exit_code == 1
    assert short.output.endswith("错误：5 个字符的密码太容易被猜到；请至少用 10 个字符\n")
    with speaking("en"), pytest.raises(PasswordError) as too_short:
        hash_password("短口令")
    assert str(too_short.value) == (
        "a password of 3 characters is too easy to guess; give at least 10"
    )
    stored = folder / PASSWORD_FILE
    stored.write_text("$2b$12$not-argon2\n", encoding="ascii")
    with speaking("zh"), pytest.raises(PasswordError) as chinese:
        load_password_hash(folder)
    assert str(chinese.value) == (
        f"{stored}：不是 argon2 密码哈希；请用 `roster serve-password DIR` 重新设置"
    )
    with speaking("en"), pytest.raises(PasswordError) as english:
        load_password_hash(folder)
    assert str(english.value) == (
        f"{stored}: not an argon2 password hash; set it again with `roster serve-password DIR`"
    )
    stored.unlink()
    stored.mkdir()
    with speaking("zh"), pytest.raises(PasswordError) as unreadable:
        load_password_hash(folder)
    assert str(unreadable.value).startswith(f"{stored}：无法读取密码哈希（")


def test_serve_refuses_a_folder_without_a_store(tmp_path: Path, english: None) -> None:
    from test_calendars_factory import write_roster

    folder = write_roster(tmp_path / "社区")
    result = CliRunner().invoke(main, ["serve", str(folder)], env={"ROSTER_DB": None})
    assert result.exit_code == 1
    assert "no roster store here yet; `roster publish` creates it" in result.output
    bad = CliRunner().invoke(main, ["serve", str(folder), "--base-url", "ftp://x"])
    assert "--base-url 'ftp://x' is not a web address" in bad.output


def test_the_documented_command_serves_with_two_workers(folder: Path) -> None:
    location = roster_with_store(folder)
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_DB"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from cli import main; main()", "serve", str(folder),
         "--port", str(port), "--workers", "2", "--poll", "0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "roster serve did not start"
            time.sleep(0.1)
        feed = paths(folder)["all"]
        with httpx.Client(base_url=url) as client:
            served = {client.get(f"/{feed}").content for _ in range(10)}
            with open_store(location, create=False) as store:
                publish(store, 2, SECOND)
            expected = static_feeds(folder, location, None)[feed]
            deadline = time.monotonic() + 60
            # Both workers notice the version on their own.
            while {client.get(f"/{feed}").content for _ in range(10)} != {expected}:
                assert time.monotonic() < deadline, "the workers did not serve version 2"
                time.sleep(0.1)
        assert len(served) == 1 and served != {expected}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output = process.communicate(timeout=30)[0].decode()
        except subprocess.TimeoutExpired:
            process.kill()
            output = process.communicate()[0].decode()
    # The startup line is a message: Chinese, the roster's language.
    assert "正在提供 兴旺社区 的服务（5 人，排班库修订号 1），地址 http://127.0.0.1:" in output


def test_an_update_renders_only_changed_feeds_and_equals_a_full_build(folder: Path) -> None:
    from server.snapshot import build_snapshot

    location = roster_with_store(folder)
    with open_store(location, create=False) as store:
        first = build_snapshot(folder, store, BASE)
        kept_gzip = first.gzipped(first.feeds[paths(folder)["p01"]])
        publish(store, 2, SECOND)
        updated = build_snapshot(folder, store, BASE, previous=first)
        full = build_snapshot(folder, store, BASE)
    assert {p: f.body for p, f in updated.feeds.items()} == {
        p: f.body for p, f in full.feeds.items()
    }
    # An unchanged feed keeps its gzip coding; a changed one gets its own.
    assert updated.gzipped(updated.feeds[paths(folder)["p01"]]) is kept_gzip
    for feed in updated.feeds.values():
        assert gzip.decompress(updated.gzipped(feed)) == feed.body
    kept = {p for p, f in updated.feeds.items() if f.body is first.feeds[p].body}
    # 王芳 and Zhao Lei changed, and the night post and the whole roster; the rest kept theirs.
    names = paths(folder)
    assert names["p03"] not in kept and names["p04"] not in kept and names["all"] not in kept
    assert names["gate"] not in kept and names["p01"] in kept
    assert len(kept) == len(full.feeds) - 4
    assert all(f.last_modified == full.feeds[p].last_modified for p, f in updated.feeds.items())


def test_an_update_may_render_the_whole_roster_after_the_people(folder: Path) -> None:
    from server.snapshot import build_snapshot

    location = roster_with_store(folder)
    everything = paths(folder)["all"]
    with open_store(location, create=False) as store:
        first = build_snapshot(folder, store, BASE)
        publish(store, 2, SECOND)
        people_first = build_snapshot(folder, store, BASE, previous=first, defer_all=True)
        full = build_snapshot(folder, store, BASE)
    # The whole roster's feed is the previous one, Last-Modified included, until finished.
    assert people_first.feeds[everything] is first.feeds[everything]
    assert people_first.feeds[paths(folder)["p03"]].body == full.feeds[paths(folder)["p03"]].body
    assert people_first.finish is not None
    finished = people_first.finish(people_first)
    assert finished.finish is None
    assert {p: f.body for p, f in finished.feeds.items()} == {
        p: f.body for p, f in full.feeds.items()
    }
    assert finished.feeds[everything].last_modified == full.feeds[everything].last_modified
    assert finished.feeds[everything].last_modified > first.feeds[everything].last_modified


def test_a_caldav_copy_follows_the_server(
    server: Running,
    folder: Path,
    radicale: str,  # noqa: F811  (the fixture imported above)
) -> None:
    """A syncing client (into Radicale, over CalDAV) subscribed to the server: 304 while nothing
    changed, then version 2's cancelled duty stored and found by time range."""
    from caldav.davclient import DAVClient
    from test_calendars_caldav import sync

    dav: Any = DAVClient(url=radicale, username="p03", password="unused")
    calendar = dav.principal().make_calendar(name="王芳的值班", cal_id="duty")
    path = "/" + paths(folder)["p03"]

    def night() -> list[tuple[str, int]]:
        found = calendar.search(
            start=datetime(2020, 2, 4, 20, tzinfo=ZONE),
            end=datetime(2020, 2, 5, 7, tzinfo=ZONE),
            event=True,
        )
        return [
            (str(e.icalendar_component["STATUS"]), int(e.icalendar_component["SEQUENCE"]))
            for e in found
        ]

    with server.client() as client:
        first = client.get(path)
        sync(calendar, first.content)
        assert night() == [("CONFIRMED", 0)]
        etag = first.headers["etag"]
        assert client.get(path, headers={"if-none-match": etag}).status_code == 304
        with open_store(server.config.db, create=False) as store:
            publish(store, 2, SECOND)
            revision = store.revision("兴旺社区")
        server.wait_for_revision(revision)
        second = client.get(path, headers={"if-none-match": etag})
    assert second.status_code == 200
    sync(calendar, second.content)
    assert night() == [("CANCELLED", 1)]


# Starting: what a coordinator reads when the server cannot serve, or has nothing to serve yet


def roster_serve(folder: Path, *args: str) -> subprocess.Popen[str]:
    """The documented command in a process of its own, messages in English."""
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_DB"}
    env["ROSTER_LANG"] = "en"
    return subprocess.Popen(
        [sys.executable, "-c", "from cli import main; main()", "serve", str(folder), *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def in_another_zone(folder: Path) -> None:
    """The roster folder moved to Tokyo after version 1 was published in Xining's time."""
    roster_yaml = folder / "roster.yaml"
    text = roster_yaml.read_text(encoding="utf-8")
    assert "timezone: Asia/Shanghai" in text
    roster_yaml.write_text(text.replace("Asia/Shanghai", "Asia/Tokyo"), encoding="utf-8")


ZONE_PROBLEM = (
    "version 1 of 2020-02-03–2020-02-05: time zone Asia/Shanghai is not the roster's Asia/Tokyo"
)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_names_a_version_it_cannot_serve_in_one_sentence(folder: Path, workers: str) -> None:
    roster_with_store(folder)
    in_another_zone(folder)
    process = roster_serve(folder, "--port", "0", "--workers", workers)
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 1, output
    assert "Traceback" not in output
    last = output.strip().splitlines()[-1]
    assert last.startswith(f"Error: {ZONE_PROBLEM} (")
    assert last.endswith("publish a roster solved in the roster's time zone")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_whose_first_build_fails_says_why_once(
    folder: Path, tmp_path: Path, workers: int
) -> None:
    """Past the command's own checks (the folder edited as it starts), a uvicorn worker whose
    first build fails makes `run` say why in one sentence and fail, for one worker or two."""
    location = roster_with_store(folder)
    in_another_zone(folder)
    script = tmp_path / "serve_now.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from roster.errors import RosterError\n"
        "from server import ServeConfig, run\n"
        "if __name__ == '__main__':\n"
        "    config = ServeConfig(folder=Path(sys.argv[1]), db=sys.argv[2])\n"
        "    try:\n"
        "        run(config, '127.0.0.1', 0, int(sys.argv[3]))\n"
        "    except RosterError as exc:\n"
        "        sys.exit(f'Error: {exc}')\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "ROSTER_DB"}
    env["ROSTER_LANG"] = "en"
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, str(script), str(folder), location, str(workers)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert output.count(ZONE_PROBLEM) == 1
    assert output.strip().splitlines()[-1].startswith(f"Error: {ZONE_PROBLEM}")


def test_serve_refuses_a_broken_folder_and_an_unreachable_database(folder: Path) -> None:
    roster_with_store(folder)
    unreachable = roster_serve(
        folder, "--port", "0", "--db", "postgresql://roster@127.0.0.1:1/roster"
    )
    output = unreachable.communicate(timeout=120)[0]
    assert unreachable.returncode == 1 and "Traceback" not in output
    last = output.strip().splitlines()[-1]
    assert last.startswith("Error: postgresql+psycopg://roster@127.0.0.1:1/roster: cannot open")
    assert last.endswith("check --db or ROSTER_DB")
    (folder / "roster.yaml").write_text("posts: [\n", encoding="utf-8")
    broken = roster_serve(folder, "--port", "0")
    output = broken.communicate(timeout=120)[0]
    assert broken.returncode == 1 and "Traceback" not in output
    assert output.strip().splitlines()[-1].startswith("Error: ")
    assert "roster.yaml" in output


def test_serve_with_nothing_published_serves_empty_feeds_until_the_first_version(
    folder: Path,
) -> None:
    """A coordinator may start the server (and print the links) before the first publish:
    calendars can subscribe to the empty feeds, which fill in when version 1 is published."""
    from test_calendars_factory import write_roster

    write_roster(folder)
    location = str(folder / "roster.db")
    open_store(location).close()
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    process = roster_serve(folder, "--port", str(port), "--poll", "0.05")
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz").text == "ok 0\n":
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "roster serve did not start"
            time.sleep(0.1)
        feed = "/" + paths(folder)["p03"]
        with httpx.Client(base_url=url) as client:
            empty = client.get(feed)
            assert empty.status_code == 200
            assert Calendar.from_ical(empty.content).walk("VEVENT") == []
            with open_store(location, create=False) as store:
                publish(store, 1)
            deadline = time.monotonic() + 60
            while (
                client.get(feed, headers={"if-none-match": empty.headers["etag"]}).status_code
                == 304
            ):
                assert time.monotonic() < deadline, "version 1 was not served"
                time.sleep(0.05)
            assert client.get(feed).content == static_feeds(folder, location, None)[feed[1:]]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output = process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            process.kill()
            output = process.communicate()[0]
    assert (
        f"Nothing of 兴旺社区 is published in {location} yet: the feeds are empty calendars "
        "that people can subscribe to now, and they fill in as soon as `roster publish` "
        "records a version." in output
    )


# Consistency while versions come and go


def test_answers_during_publishes_are_whole_versions(server: Running, folder: Path) -> None:
    """Clients fetching while versions 2 and 3 are published get, each time, the bytes of one
    version (as publishing writes them) with that version's ETag: never a mixture."""
    import hashlib
    import threading

    names = paths(folder)
    watched = ["/" + names["p03"], "/" + names["p04"], "/" + names["all"]]
    expected: dict[str, set[bytes]] = {path: set() for path in watched}

    def remember() -> None:
        files = static_feeds(folder, server.config.db, BASE)
        for path in watched:
            expected[path].add(files[path[1:]])

    remember()
    answers: list[tuple[str, bytes, str]] = []
    stop = threading.Event()

    def fetch() -> None:
        with server.client() as client:
            while not stop.is_set():
                for path in watched:
                    response = client.get(path, headers={"accept-encoding": "identity"})
                    answers.append((path, response.content, response.headers["etag"]))

    fetcher = threading.Thread(target=fetch)
    fetcher.start()
    try:
        with open_store(server.config.db, create=False) as store:
            publish(store, 2, SECOND)
            server.wait_for_revision(store.revision("兴旺社区"))
            remember()
            publish(store, 3)
            server.wait_for_revision(store.revision("兴旺社区"))
            remember()
        time.sleep(0.3)
    finally:
        stop.set()
        fetcher.join()
    assert len(answers) > 3 * len(watched)
    for path, body, etag in answers:
        assert body in expected[path], path
        assert etag == '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    # Version 3 put 王芳 back: her feed went through three different bodies, all seen whole.
    assert len(expected["/" + names["p03"]]) == 3


def test_the_next_period_published_rebuilds_from_remembered_events(folder: Path) -> None:
    """Publishing the next period changes every feed's time zone block: every feed is built
    again, from the events the previous build rendered, and equals a build from scratch."""
    from datetime import UTC, date, timedelta

    from test_calendars_factory import ASSIGNMENT, make_version

    from server.snapshot import build_snapshot

    location = roster_with_store(folder)
    later = {}
    for slot_id, people in ASSIGNMENT.items():
        post, when = slot_id.split("/")
        moved = datetime.fromisoformat(when) + timedelta(days=2)
        later[f"{post}/{moved:%Y-%m-%dT%H:%M}"] = people
    next_period = make_version(
        1, datetime(2020, 2, 4, 2, tzinfo=UTC), later, (date(2020, 2, 5), date(2020, 2, 6))
    )
    with open_store(location, create=False) as store:
        first = build_snapshot(folder, store, BASE)
        store.publish(
            next_period.schedule,
            inputs_digest="0" * 64,
            author="张海燕",
            parent=None,
            published_at=next_period.published_at,
        )
        updated = build_snapshot(folder, store, BASE, previous=first)
        full = build_snapshot(folder, store, BASE)
    assert updated.rendered == len(full.feeds)
    assert updated.memo.reused > 0 and updated.memo.rendered > 0
    assert {p: f.body for p, f in updated.feeds.items()} == {
        p: f.body for p, f in full.feeds.items()
    }
