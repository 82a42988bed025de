"""The candidate's page over real HTTP (the bot served by waitress): the times in the link's
language and Paris time, a booking made once however often it is posted, its `.ics`, the
cancellation until a day before, the refusals, the security headers and the rate limits.
Run on every database: `--databases=sqlite,mariadb,postgresql`."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from icalendar import Calendar  # type: ignore[import-untyped]
from sqlalchemy import select

from bot.container import Container
from bot.settings import Settings
from models import Interview, InterviewStatus
from tests.candidate_links_world import HANNA_BUSY, hr_screening_request, token_of
from tests.clock import FixedClock
from tests.conftest import make_settings, prepared_container, serve_bot
from tests.fakes.slack_api import FakeSlackAPI

PARIS = ZoneInfo("Europe/Paris")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlackAPI) -> Settings:
    return make_settings(database_url, fake_slack.url, public_url="https://jobs.example.com/")


def _link(container: Container, bot_url: str, language: str = "fr") -> str:
    uid = hr_screening_request(container)
    url = container.candidate_links.create("U_ADMIN", uid, language).url
    return f"{bot_url}/schedule/{token_of(url)}"


def _options(html: str) -> list[str]:
    return re.findall(r'name="option" value="([^"]+)"', html)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page carries a CSRF token"
    return found.group(1)


def _start(option: str) -> datetime:
    return datetime.fromisoformat(option.split(";")[0].split("=", 1)[1])


def _live(container: Container) -> list[Interview]:
    with container.unit_of_work() as uow:
        query = select(Interview).where(Interview.status != InterviewStatus.CANCELLED)
        return list(uow.session.scalars(query))


def _book(session: requests.Session, link: str, html: str, option: str) -> requests.Response:
    data = {"csrf_token": _csrf(html), "option": option, "tz": "Europe/Paris"}
    return session.post(f"{link}/book", data=data, allow_redirects=False, timeout=30)


def _secure(response: requests.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)


def test_a_french_link_shows_only_the_free_times_in_french_and_paris_time(
    container: Container, bot_url: str
) -> None:
    link = _link(container, bot_url, "fr")

    page = requests.get(link, timeout=30)

    assert page.status_code == 200
    _secure(page)
    assert '<html lang="fr">' in page.text and "Choisissez un horaire" in page.text
    assert '<option value="Europe/Paris" selected>' in page.text
    options = _options(page.text)
    assert options
    busy_from, busy_to = HANNA_BUSY
    for option in options:
        start = _start(option)
        assert start + timedelta(minutes=30) <= busy_from or start >= busy_to, option
    first = _start(options[0]).astimezone(PARIS)
    assert f">{first:%H:%M}</button>" in page.text
    assert "mercredi 25 novembre 2026" in page.text
    english = requests.get(link, params={"lang": "en"}, timeout=30)
    assert english.status_code == 200 and '<html lang="en">' in english.text
    assert "Choose a time" in english.text and "Wednesday, November 25, 2026" in english.text
    assert _options(english.text) == options
    _secure(english)


def test_the_time_zone_can_be_changed_and_the_script_is_served_by_the_page(
    container: Container, bot_url: str
) -> None:
    link = _link(container, bot_url, "en")

    page = requests.get(link, params={"tz": "America/New_York"}, timeout=30)

    first = _start(_options(page.text)[0]).astimezone(ZoneInfo("America/New_York"))
    assert f">{first:%-I:%M\N{NARROW NO-BREAK SPACE}%p}</button>" in page.text
    script = re.search(r'<script src="([^"]+)"></script>', page.text)
    assert script and "<script>" not in page.text
    served = requests.get(bot_url + script.group(1), timeout=30)
    assert served.status_code == 200 and "Intl.DateTimeFormat" in served.text
    _secure(served)


def test_a_post_books_one_event_once_then_the_ics_and_the_cancellation(
    container: Container, bot_url: str, fake_slack: FakeSlackAPI
) -> None:
    link = _link(container, bot_url, "fr")
    session = requests.Session()
    page = session.get(link, timeout=30)
    option = _options(page.text)[-1]

    first = _book(session, link, page.text, option)
    second = _book(session, link, page.text, option)

    assert first.status_code == second.status_code == 303
    [interview] = _live(container)
    with container.unit_of_work() as uow:
        loaded = uow.interviews.interview_with_events(interview.id)
        assert loaded is not None
        [event] = loaded.events
        event_id, starts_at = event.calendar_event_id, event.starts_at
    assert starts_at == _start(option)
    [calendar_event] = [
        e for e in container.calendar.list_changes(None).events if e.event_id == event_id
    ]
    attendees = sorted(a.email for a in calendar_event.attendees)
    assert attendees == ["ada@example.com", "u_hr@example.com"]
    posted = fake_slack.calls("chat.postMessage")
    assert len(posted) == 2 and all("Ada Lovelace" in str(c.params) for c in posted)

    confirmation = session.get(bot_url + first.headers["Location"], timeout=30)
    assert confirmation.status_code == 200
    assert "Votre entretien est réservé" in confirmation.text
    assert "Choisir un autre horaire" in confirmation.text
    _secure(confirmation)
    ics = session.get(f"{link}/invite.ics", timeout=30)
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")
    _secure(ics)
    [vevent] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(vevent["UID"]) == event_id
    assert vevent.decoded("DTSTART") == starts_at

    cancelled = session.post(
        f"{link}/cancel", data={"csrf_token": _csrf(confirmation.text)}, timeout=30
    )
    assert cancelled.status_code == 200 and "Votre entretien est annulé" in cancelled.text
    assert _live(container) == []
    assert requests.get(link, timeout=30).status_code == 410


def test_a_post_without_the_csrf_token_is_refused(container: Container, bot_url: str) -> None:
    link = _link(container, bot_url, "en")
    session = requests.Session()
    option = _options(session.get(link, timeout=30).text)[0]

    refused = session.post(f"{link}/book", data={"option": option}, timeout=30)

    assert refused.status_code == 400
    _secure(refused)
    assert _live(container) == []


def test_the_cancellation_is_refused_a_day_before(
    container: Container, bot_url: str, clock: FixedClock
) -> None:
    link = _link(container, bot_url, "en")
    session = requests.Session()
    page = session.get(link, timeout=30)
    option = _options(page.text)[-1]
    _book(session, link, page.text, option)
    clock.at = _start(option) - timedelta(hours=23)

    refused = session.post(f"{link}/cancel", data={"csrf_token": _csrf(page.text)}, timeout=30)

    assert refused.status_code == 410
    assert "can no longer be changed" in refused.text
    assert len(_live(container)) == 1


def test_an_altered_link_is_not_found_and_an_expired_one_is_gone(
    container: Container, bot_url: str, clock: FixedClock
) -> None:
    link = _link(container, bot_url, "fr")
    altered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")

    not_found = requests.get(altered, headers={"Accept-Language": "fr"}, timeout=30)
    clock.advance(days=4)  # past the end of the request's window
    gone = requests.get(link, timeout=30)

    assert not_found.status_code == 404 and "Ce lien n'est pas valide" in not_found.text
    assert gone.status_code == 410 and "This link has expired" in gone.text
    _secure(not_found)
    _secure(gone)


def test_requests_are_limited_per_token_and_per_address(bot_url: str) -> None:
    per_token = [requests.get(f"{bot_url}/schedule/same", timeout=30) for _ in range(31)]
    per_address = [requests.get(f"{bot_url}/schedule/t{i}", timeout=30) for i in range(30)]

    assert {r.status_code for r in per_token[:30]} == {404}
    assert per_token[30].status_code == 429
    _secure(per_token[30])
    # 61 requests from this address in the minute: the 61st is refused whatever its token.
    assert {r.status_code for r in per_address[:29]} == {404}
    assert per_address[29].status_code == 429


def test_without_a_public_url_there_is_no_page_and_the_other_routes_are_unchanged(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    plain = make_settings(database_url, fake_slack.url)
    with prepared_container(plain, clock) as container, serve_bot(container) as url:
        page = requests.get(f"{url}/schedule/anything", timeout=30)
        health = requests.get(f"{url}/healthz", timeout=30)

    assert page.status_code == 404 and page.text == "Not Found"
    assert health.status_code == 200 and health.json()["status"] == "ok"
