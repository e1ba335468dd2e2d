"""`roster print`: the reference community's day as a phone picture and its week as an A4 PDF,
checked by rendering them again (poppler's pdftoppm) and by reading their text (pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import SMALL_YAML, write_folder
from PIL import Image

from cli import main
from roster import printing
from roster.load import load_roster
from roster.printing import Contacts, Shift, contacts_of, default_name, render, render_html
from roster.report import build_schedule
from roster.schedule import Schedule, SolverInfo
from roster.slots import Period, expand, make_period

# These commands' messages are not in the catalogue yet: their English wording is tested.
pytestmark = pytest.mark.usefixtures("english")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
XINGWANG = EXAMPLES / "xingwang"
CLINIC = EXAMPLES / "clinic"

#: Monday's 24-hour duty is the secretary's, as roster.yaml pins it (her phone is shared).
SECRETARY = {"duty-24h/2020-02-03T08:00": ["p01"]}

#: Two slots left short on purpose: a temperature check on Monday, the 24-hour duty on Tuesday.
SHORT_GATE = "gate-temp/2020-02-03T06:00"
SHORT_DUTY = "duty-24h/2020-02-04T08:00"

#: The colour of a short cell (printing.py's CSS, #fde2e2): what makes a shortage visible.
SHORT_RGB = (0xFD, 0xE2, 0xE2)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def in_turn(
    folder: Path,
    period: Period,
    leave_short: dict[str, int],
    fixed: dict[str, list[str]] | None = None,
) -> Schedule:
    """A schedule of a roster folder without the solver: everyone in turn, as many as each slot's
    target, less the people taken off the slots in ``leave_short``; ``fixed`` slots as given."""
    roster = load_roster(folder)
    slots = expand(roster.config, period)
    people = [p.id for p in roster.people]
    assignment = {}
    turn = 0
    for slot in slots:
        chosen = [people[(turn + i) % len(people)] for i in range(slot.target)]
        turn += slot.target
        assignment[slot.id] = chosen[: len(chosen) - leave_short.get(slot.id, 0)]
    assignment.update(fixed or {})
    info = SolverInfo(status="FEASIBLE", objective=0, bound=0, wall_seconds=0, workers=1, seed=0)
    return build_schedule(
        roster, period, slots, assignment, info, generated_at=datetime(2020, 2, 2, 12, tzinfo=UTC)
    )


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install poppler-utils (.ci/run does)")
    return found


def pdf_text(path: Path) -> str:
    """The PDF's text as poppler reads it, without white space (so line breaks do not matter)."""
    out = subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return re.sub(r"\s+", "", out)


def pdf_pages(path: Path, out: Path) -> list[Image.Image]:
    """The PDF's pages rendered by poppler at 50 dpi."""
    subprocess.run([tool("pdftoppm"), "-r", "50", "-png", str(path), str(out / "page")], check=True)
    return [Image.open(p) for p in sorted(out.glob("page-*.png"))]


def a4(page: Image.Image) -> str:
    """How a page rendered at 50 dpi lies, when it is A4 (210 x 297 mm: 413.4 x 584.6 pixels)."""
    sizes = {"portrait": (413, 585), "landscape": (585, 413)}
    for name, (width, height) in sizes.items():
        if abs(page.width - width) <= 1 and abs(page.height - height) <= 1:
            return name
    return f"not A4: {page.width} x {page.height}"


def ink(image: Image.Image) -> float:
    """The share of an image's pixels that are dark: text and lines, not blank paper."""
    grey = image.convert("L")
    dark = sum(grey.histogram()[:128])
    return dark / (grey.width * grey.height)


def pixels_of(image: Image.Image, rgb: tuple[int, int, int]) -> int:
    colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return sum(count for count, colour in colours if colour == rgb)


@pytest.fixture(scope="module")
def xingwang(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Schedule]:
    """The reference community's week 2020-W06 (everyone in turn) as schedule.json."""
    period = make_period("Asia/Shanghai", "2020-W06", None, None)
    schedule = in_turn(XINGWANG, period, {SHORT_GATE: 1, SHORT_DUTY: 1}, SECRETARY)
    path = tmp_path_factory.mktemp("xingwang") / "schedule.json"
    path.write_text(schedule.to_json(), encoding="utf-8")
    return path, schedule


@pytest.fixture(scope="module")
def day_png(xingwang: tuple[Path, Schedule]) -> Path:
    path, _ = xingwang
    out = path.parent / "monday.png"
    result = run("print", path, "--day", "2020-02-03", "--roster", XINGWANG, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"→ {out}\n"
    return out


@pytest.fixture(scope="module")
def week_pdf(xingwang: tuple[Path, Schedule]) -> Path:
    path, _ = xingwang
    out = path.parent / "week.pdf"
    result = run("print", path, "--week", "--format", "pdf", "--roster", XINGWANG, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def names_on(schedule: Schedule, day: date) -> set[str]:
    people = {p.id: p.name for p in schedule.people}
    return {
        people[pid] for slot in schedule.slots if slot.start.date() == day for pid in slot.assigned
    }


# The day's picture


def test_the_day_picture_is_phone_width_tall_and_not_blank(day_png: Path) -> None:
    image = Image.open(day_png)
    assert image.format == "PNG"
    assert image.width == 1080
    assert image.height > image.width  # a phone scrolls down, never sideways
    assert 0.02 < ink(image) < 0.5


def test_the_day_picture_shows_its_shortage_in_red(day_png: Path) -> None:
    # Monday's 06:00 temperature check is one short: its cell is filled with the shortage colour.
    assert pixels_of(Image.open(day_png), SHORT_RGB) > 5000


def test_a_full_day_has_no_red(xingwang: tuple[Path, Schedule], tmp_path: Path) -> None:
    path, _ = xingwang
    out = tmp_path / "wednesday.png"
    assert run("print", path, "--day", "2020-02-05", "--out", out).exit_code == 0
    assert pixels_of(Image.open(out), SHORT_RGB) == 0


# The week's PDF


def test_the_week_pdf_is_one_a4_page_across_with_ink(week_pdf: Path, tmp_path: Path) -> None:
    pages = pdf_pages(week_pdf, tmp_path)
    assert len(pages) == 1
    page = pages[0]
    assert a4(page) == "landscape"
    assert ink(page) > 0.02
    assert pixels_of(page, SHORT_RGB) > 0


def test_the_week_pdf_holds_every_post_and_name_in_chinese(
    week_pdf: Path, xingwang: tuple[Path, Schedule]
) -> None:
    _, schedule = xingwang
    text = pdf_text(week_pdf)
    assert "兴旺社区·值班表" in text
    assert "2020-02-03至2020-02-09" in text
    assert "负责人：马秀英（社区党委书记），电话13809713306" in text
    for post in schedule.posts:
        assert post.name in text
    everyone = {n for d in range(7) for n in names_on(schedule, date(2020, 2, 3 + d))}
    assert len(everyone) == 45
    assert everyone <= {name for name in everyone if name in text}
    assert "缺员：2个班次缺员，共缺2人" in text
    assert "周二02-04" in text
    # Phones of the people on 24-hour duty, only where they agreed to share them.
    roster = load_roster(XINGWANG)
    seen = set()
    for slot in schedule.slots:
        if slot.post == "duty-24h" and slot.assigned:
            person = roster.person(slot.assigned[0])
            assert (person.phone in text) == bool(person.share_phone), person.name
            seen.add(bool(person.share_phone))
    assert seen == {True, False}


def test_the_day_pdf_has_the_duty_phone_at_the_top(
    xingwang: tuple[Path, Schedule], tmp_path: Path
) -> None:
    path, schedule = xingwang
    out = tmp_path / "monday.pdf"
    assert (
        run("print", path, "--day", "2020-02-03", "--roster", XINGWANG, "--out", out).exit_code == 0
    )
    text = pdf_text(out)
    header = text.split("岗位")[0]  # everything above the first table
    assert "2020-02-03周一" in header
    assert "24小时值班08:00–08:00(+1)：马秀英（电话13809713306）" in header
    assert "体温检测岗06:00–12:00：缺1人：" in header
    for name in names_on(schedule, date(2020, 2, 3)):
        assert name in text
    (page,) = pdf_pages(out, tmp_path)
    assert a4(page) == "portrait"


# HTML


def test_the_html_is_one_self_contained_page_with_the_names(
    xingwang: tuple[Path, Schedule], tmp_path: Path
) -> None:
    path, schedule = xingwang
    result = run("print", path, "--day", "2020-02-03", "--roster", XINGWANG, "--format", "html")
    assert result.exit_code == 0, result.output
    out = path.parent / "roster-2020-02-03.html"
    assert result.output == f"→ {out}\n"
    page = out.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in page
    assert "<style>" in page and "@page { size: A4;" in page
    assert not re.search(r"<link|<script|src=|@import|url\(", page)
    for name in names_on(schedule, date(2020, 2, 3)):
        assert name in page
    assert '<a class="tel" href="tel:13809713306">13809713306</a>' in page


def test_a_day_groups_posts_by_their_shifts_and_puts_the_duty_on_top(
    xingwang: tuple[Path, Schedule],
) -> None:
    _, schedule = xingwang
    page = render_html(schedule, date(2020, 2, 4))
    header, tables = page.split("<table", 1)
    # The 24-hour duty is in the header (short today), not in a table.
    assert '<div class="duty short"><div>24小时值班 08:00–08:00 (+1)：</div>' in header
    assert "24小时值班" not in tables
    # The three gate posts share four shifts, the two disinfection posts two; broadcast and
    # screening have one shift each and share a table of post, time and people.
    assert page.count("<table") == 3
    gate, disinfection, single = tables.split("<table")
    assert gate.count("<tr>") == 4 and gate.count('class="time"') == 4
    assert disinfection.count("<tr>") == 3 and disinfection.count('class="time"') == 2
    assert "广播防疫提醒" in single and "网格入户摸排" in single


def test_an_english_roster_prints_in_english(tmp_path: Path) -> None:
    period = make_period("Europe/London", "2020-W06", None, None)
    schedule = in_turn(CLINIC, period, {})
    page = render_html(schedule, None, contacts_of(load_roster(CLINIC)))
    assert '<html lang="en">' in page
    assert "Riverside Walk-in Clinic · roster" in page
    assert "2020-02-03 to 2020-02-09" in page
    assert "Coordinator: Sam Okafor (practice manager), phone" in page
    # Weekend sessions run 10:00-16:00 only: the weekday rows say so on Saturday and Sunday.
    assert page.count("no shift") > 0
    assert "缺" not in page


# Periods, names and contacts


def test_a_period_longer_than_a_week_is_a_page_a_week_and_one_picture(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "社区")
    period = make_period("Asia/Shanghai", None, date(2020, 2, 3), date(2020, 2, 12))
    path = tmp_path / "schedule.json"
    path.write_text(in_turn(folder, period, {}).to_json(), encoding="utf-8")
    assert run("print", path, "--format", "pdf").exit_code == 0
    pdf = tmp_path / "roster-2020-02-03--2020-02-12.pdf"
    assert len(pdf_pages(pdf, tmp_path)) == 2
    assert "2020-02-10至2020-02-12" in pdf_text(pdf)
    assert run("print", path).exit_code == 0
    picture = Image.open(tmp_path / "roster-2020-02-03--2020-02-12.png")
    assert picture.width == 1920 and picture.height > 1000


def test_default_names() -> None:
    period = make_period("Asia/Shanghai", "2020-W06", None, None)
    schedule = in_turn(XINGWANG, period, {})
    assert default_name(schedule, None, "pdf") == "roster-2020-W06.pdf"
    assert default_name(schedule, date(2020, 2, 3), "png") == "roster-2020-02-03.png"


def test_shift_labels() -> None:
    assert Shift(time(18), time(0), 1).label() == "18:00–24:00"
    assert Shift(time(8), time(8), 1).label() == "08:00–08:00 (+1)"
    assert Shift(time(22), time(8), 1).label() == "22:00–08:00 (+1)"
    assert Shift(time(6), time(12)).label() == "06:00–12:00"


def test_the_24_hour_duty_is_a_turn_of_24_hours_or_more_on_the_clock() -> None:
    assert Shift(time(8), time(8), 1).long
    assert Shift(time(8), time(9), 1).long
    assert not Shift(time(8), time(7, 59), 1).long
    assert not Shift(time(0), time(0), 0).long


def test_contacts_follow_the_feeds_privacy_rule(tmp_path: Path) -> None:
    # Nobody shares by default; the community sharing shows everyone's; a person's own "no" wins.
    people = "id,name,tags,skills,phone,share_phone\np01,杨金花,committee,,13800000001,\n"
    people += "p02,李明,committee,,13800000002,false\np03,王芳,committee,,,\n"
    closed = contacts_of(load_roster(write_folder(tmp_path / "a", SMALL_YAML, people)))
    assert closed == Contacts(closed.coordinator, {})
    assert closed.coordinator is not None and closed.coordinator.phone == "13800000000"
    shared = SMALL_YAML + "share_phones: true\n"
    open_ = contacts_of(load_roster(write_folder(tmp_path / "b", shared, people)))
    assert dict(open_.phones) == {"p01": "13800000001"}


# Errors a coordinator can make


def test_a_day_outside_the_period(xingwang: tuple[Path, Schedule]) -> None:
    path, _ = xingwang
    result = run("print", path, "--day", "2020-02-10")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: --day 2020-02-10 is outside the roster's period "
        "(2020-02-03 to 2020-02-09); give a day in it\n"
    )


def test_an_output_file_of_unknown_format(xingwang: tuple[Path, Schedule]) -> None:
    path, _ = xingwang
    out = path.parent / "roster.gif"
    result = run("print", path, "--out", out)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out}: cannot tell the format from the extension .gif; "
        "name the file .png, .pdf or .html, or give --format\n"
    )
    assert not out.exists()


def test_an_unknown_format_option_is_a_usage_error(xingwang: tuple[Path, Schedule]) -> None:
    # Like every command's --format: Click's usage error, exit status 2.
    path, _ = xingwang
    result = run("print", path, "--format", "gif")
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for '--format': 'gif' is not one of 'png', 'pdf', 'html'.\n"
    )


def test_day_and_week_together(xingwang: tuple[Path, Schedule]) -> None:
    path, _ = xingwang
    result = run("print", path, "--day", "2020-02-03", "--week")
    assert result.exit_code == 2
    assert result.output.endswith("Error: give --day or --week, not both\n")
    chinese = run("--lang", "zh", "print", path, "--day", "2020-02-03", "--week")
    assert chinese.exit_code == 2
    assert chinese.output.endswith("Error: 请给出 --day 或 --week，不要同时给出\n")


def test_the_roster_folder_of_another_community(
    xingwang: tuple[Path, Schedule], tmp_path: Path
) -> None:
    path, _ = xingwang
    other = write_folder(tmp_path / "社区")
    result = run("print", path, "--roster", other)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {other}: this is the roster folder of 测试社区, but {path} is the roster of "
        "兴旺社区; give the folder it was solved from\n"
    )


def test_no_chinese_font(
    xingwang: tuple[Path, Schedule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = xingwang
    monkeypatch.setattr(printing, "_has_cjk_font", lambda: False)
    out = tmp_path / "x.pdf"
    result = run("print", path, "--out", out)
    assert result.exit_code == 1
    assert result.output == (
        "Error: no Chinese font is installed, so names would print as empty boxes; install one "
        "(Debian or Ubuntu: apt-get install fonts-noto-cjk) and print again\n"
    )
    assert not out.exists()


def test_the_same_schedule_prints_the_same_bytes(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "社区")
    period = make_period("Asia/Shanghai", None, date(2020, 2, 3), date(2020, 2, 4))
    schedule = in_turn(folder, period, {})
    for fmt in ("pdf", "png"):
        assert render(schedule, fmt, date(2020, 2, 3)) == render(schedule, fmt, date(2020, 2, 3))


BERLIN = """\
name: Nachtwache
timezone: Europe/Berlin
language: en
posts:
  - id: night
    name: Night watch
    shifts: [{start: "22:00", end: "06:00"}]
"""


def test_a_night_across_the_change_to_summer_time_stays_in_its_row(tmp_path: Path) -> None:
    # 2020-03-29 02:00 the clocks go forward: that night is seven hours, still 22:00-06:00.
    folder = write_folder(tmp_path / "berlin", BERLIN, "id,name\nn1,Anna\nn2,Ben\n")
    period = make_period("Europe/Berlin", "2020-W13", None, None)
    page = render_html(in_turn(folder, period, {}), None)
    assert page.count("<tr>") == 2  # the heading and one row for the night watch
    assert page.count("22:00–<wbr>06:00 (+1)") == 1
    assert "no shift" not in page


def test_a_period_too_long_for_one_picture(
    xingwang: tuple[Path, Schedule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = xingwang
    monkeypatch.setattr(printing, "_PHONE_PAGE_HEIGHT", 400)  # a week is about 725 px tall
    result = run("print", path, "--out", tmp_path / "week.png")
    assert result.exit_code == 1
    assert result.output == (
        "Error: the roster of 7 days is too long for one picture; print it as a PDF "
        "(--format pdf) or a day at a time (--day)\n"
    )
