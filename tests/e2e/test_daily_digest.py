"""The morning digest through the job, the real Slack client and the fake Slack Web API."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app.bootstrap import bootstrap
from bot.app.startup import load_pipelines
from bot.container import Container
from bot.digest import delivery as digest_delivery
from bot.digest.delivery import Outcome
from models import DigestDelivery
from tests import digest_scenario
from tests.clock import FixedClock
from tests.conftest import make_settings, prepared_container
from tests.fakes.slack_api import FakeSlackAPI, RecordedCall

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TUESDAY = date(2026, 11, 24)


def _container(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock, **kw: object
) -> Container:
    settings = make_settings(database_url, fake_slack.url, **{"digest_recipient": "U_HEAD", **kw})
    built = bootstrap(settings, clock=clock)
    return built


@pytest.fixture
def digest_container(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> Iterator[Container]:
    settings = make_settings(database_url, fake_slack.url, digest_recipient="U_HEAD")
    with prepared_container(settings, clock) as built:
        yield built


@pytest.fixture
def hiring_week(digest_container: Container) -> None:
    with digest_container.unit_of_work() as uow:
        digest_scenario.hiring_week(uow.session, digest_scenario.team(uow.session))
        uow.commit()


def _posts(fake_slack: FakeSlackAPI) -> list[RecordedCall]:
    return [call for call in fake_slack.calls("chat.postMessage") if call.ok]


def _delivery(container: Container, day: date = TUESDAY) -> DigestDelivery | None:
    with container.unit_of_work() as uow:
        return uow.session.scalar(select(DigestDelivery).where(DigestDelivery.digest_date == day))


@pytest.mark.usefixtures("hiring_week")
def test_at_nine_paris_on_a_tuesday_the_head_gets_one_digest_with_the_funnel_chart(
    digest_container: Container, fake_slack: FakeSlackAPI
) -> None:
    assert digest_container.digest.send_daily_digest() == Outcome.SENT

    (post,) = _posts(fake_slack)
    assert post.params["channel"] == "U_HEAD"
    assert post.params["text"].startswith("Hiring digest · Tuesday 24 November: 1 interview today")
    sections = [b["text"]["text"] for b in post.params["blocks"] if b["type"] == "section"]
    titles = [text.split("\n")[0] for text in sections if text.startswith("*:")]
    assert [title.split(" ")[0] for title in titles] == [
        "*:calendar:",
        "*:inbox_tray:",
        "*:hourglass:",
        "*:scales:",
        "*:bar_chart:",
        "*:busts_in_silhouette:",
        "*:chart_with_downwards_trend:",
    ]
    text = "\n".join(sections)
    assert "*Ada* · HR screening · <@U_HR>" in text
    assert "<@U_ENG> for *Cleo* · Technical test – 3 d late" in text
    assert "*Dan* · Onsite: 1 strong yes, 1 yes" in text

    (url_call,) = fake_slack.calls("files.getUploadURLExternal")
    assert url_call.params["filename"] == "hiring-funnel-2026-11-24.png"
    (upload,) = fake_slack.calls("file_upload")
    assert upload.body.startswith(PNG_SIGNATURE)
    assert fake_slack.uploaded().startswith(PNG_SIGNATURE)
    (complete,) = fake_slack.calls("files.completeUploadExternal")
    assert complete.params["channel_id"] == post.response["channel"] == "DU_HEAD"
    assert complete.params["thread_ts"] == post.response["ts"]

    delivery = _delivery(digest_container)
    assert delivery is not None
    assert delivery.sent_at == digest_scenario.NOW and delivery.last_error is None
    assert (delivery.slack_channel, delivery.slack_ts) == ("DU_HEAD", post.response["ts"])


@pytest.mark.usefixtures("hiring_week")
def test_nothing_before_nine(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    clock.advance(minutes=-1)
    assert digest_container.digest.send_daily_digest() == Outcome.NOT_DUE
    assert fake_slack.calls() == []
    assert _delivery(digest_container) is None


@pytest.mark.usefixtures("hiring_week")
def test_nothing_on_saturday_and_sunday(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    clock.advance(days=4)
    assert digest_container.digest.send_daily_digest() == Outcome.NOT_DUE
    clock.advance(days=1, hours=5)
    assert digest_container.digest.send_daily_digest() == Outcome.NOT_DUE
    assert fake_slack.calls() == []


@pytest.mark.usefixtures("hiring_week")
def test_the_job_fired_twice_sends_once(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    assert digest_container.digest.send_daily_digest() == Outcome.SENT
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    clock.advance(minutes=1)
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    assert len(_posts(fake_slack)) == 1
    assert len(fake_slack.calls("files.completeUploadExternal")) == 1


@pytest.mark.usefixtures("hiring_week")
def test_a_worker_restarted_after_nine_catches_up_the_same_day_only(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    clock.advance(hours=8, minutes=30)  # 17:30 in Paris
    assert digest_container.digest.send_daily_digest() == Outcome.SENT
    clock.advance(days=1, hours=-9)  # Wednesday 08:30 Paris: nothing for Tuesday any more
    assert digest_container.digest.send_daily_digest() == Outcome.NOT_DUE
    assert len(_posts(fake_slack)) == 1


@pytest.mark.usefixtures("hiring_week")
def test_two_workers_at_once_send_one_digest(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock, database_url: str
) -> None:
    other = _container(database_url, fake_slack, clock)
    start = threading.Barrier(2)
    outcomes: list[Outcome] = []

    def run(container: Container) -> None:
        start.wait()
        outcomes.append(container.digest.send_daily_digest())

    workers = [threading.Thread(target=run, args=(c,)) for c in (digest_container, other)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    other.engine.dispose()
    assert sorted(outcomes) == sorted([Outcome.SENT, Outcome.HANDLED])
    assert len(_posts(fake_slack)) == 1


@pytest.mark.usefixtures("hiring_week")
def test_a_failed_post_is_retried_on_the_next_run(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.error_next("chat.postMessage", "channel_not_found")
    assert digest_container.digest.send_daily_digest() == Outcome.FAILED
    failed = _delivery(digest_container)
    assert failed is not None and failed.sent_at is None
    assert failed.last_error is not None and "channel_not_found" in failed.last_error
    assert fake_slack.calls("files.getUploadURLExternal") == []

    clock.advance(minutes=1)
    assert digest_container.digest.send_daily_digest() == Outcome.SENT
    assert len(fake_slack.calls("chat.postMessage")) == 2
    assert len(_posts(fake_slack)) == 1
    sent = _delivery(digest_container)
    assert sent is not None and sent.sent_at is not None and sent.last_error is None


@pytest.mark.usefixtures("hiring_week")
def test_a_failed_chart_upload_is_retried_without_posting_again(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.error_next("files.getUploadURLExternal", "internal_error")
    assert digest_container.digest.send_daily_digest() == Outcome.FAILED
    clock.advance(minutes=1)
    assert digest_container.digest.send_daily_digest() == Outcome.SENT
    (post,) = _posts(fake_slack)
    (complete,) = fake_slack.calls("files.completeUploadExternal")
    assert complete.params["thread_ts"] == post.response["ts"]


@pytest.mark.usefixtures("hiring_week")
def test_a_claim_abandoned_by_a_dead_worker_is_taken_over(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    with digest_container.unit_of_work() as uow:
        uow.session.add(
            DigestDelivery(digest_date=TUESDAY, recipient="U_HEAD", claimed_at=clock.now())
        )
        uow.commit()
    clock.advance(minutes=5)  # still being sent, as far as we know
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    clock.advance(minutes=11)
    assert digest_container.digest.send_daily_digest() == Outcome.SENT
    assert len(_posts(fake_slack)) == 1


def test_without_a_recipient_nothing_is_sent_and_it_is_logged_once(
    database_url: str,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    digest_delivery._warn_no_recipient.cache_clear()
    container = _container(database_url, fake_slack, clock, digest_recipient=None)
    with caplog.at_level(logging.WARNING, logger="bot.digest.delivery"):
        assert container.digest.send_daily_digest() == Outcome.NO_RECIPIENT
        clock.advance(minutes=1)
        assert container.digest.send_daily_digest() == Outcome.NO_RECIPIENT
    container.engine.dispose()
    assert [r.message for r in caplog.records if r.name == "bot.digest.delivery"] == [
        "DIGEST_RECIPIENT is not set: the daily digest is not sent"
    ]
    assert fake_slack.calls() == []


def test_a_channel_recipient_gets_the_digest_in_the_channel(
    database_url: str, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    container = _container(database_url, fake_slack, clock, digest_recipient="C_HIRING")
    load_pipelines(container)
    with container.unit_of_work() as uow:
        digest_scenario.hiring_week(uow.session, digest_scenario.team(uow.session))
        uow.commit()
    assert container.digest.send_daily_digest() == Outcome.SENT
    container.engine.dispose()
    (post,) = _posts(fake_slack)
    assert post.params["channel"] == "C_HIRING"
    assert fake_slack.last("files.completeUploadExternal").params["channel_id"] == "C_HIRING"


def test_a_day_with_nothing_gets_one_line_and_no_chart(
    digest_container: Container, fake_slack: FakeSlackAPI
) -> None:
    assert digest_container.digest.send_daily_digest() == Outcome.SENT
    (post,) = _posts(fake_slack)
    assert len(post.params["blocks"]) == 1
    assert "nothing today" in post.params["text"]
    assert fake_slack.calls("files.getUploadURLExternal") == []


@pytest.mark.usefixtures("hiring_week")
def test_the_next_day_reports_feedback_since_the_previous_digest(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    assert digest_container.digest.send_daily_digest() == Outcome.SENT
    clock.advance(days=1)
    assert digest_container.digest.send_daily_digest() == Outcome.SENT
    first, second = _posts(fake_slack)
    assert second.params["text"].startswith("Hiring digest · Wednesday 25 November")
    # Bob's feedback came on Monday: in Tuesday's digest, not in Wednesday's.
    assert "*Bob*" in str(first.params["blocks"]) and "*Bob* ·" not in str(
        [b for b in second.params["blocks"] if ":inbox_tray:" in str(b)]
    )
    since = int(digest_scenario.NOW.timestamp())
    assert f"Feedback since <!date^{since}^" not in str(second.params["blocks"])


@pytest.mark.usefixtures("hiring_week")
def test_the_real_scheduler_sends_the_digest(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    from bot.app.scheduler import build_scheduler

    # APScheduler plans its runs on the wall clock; the job reads the test's clock: Tuesday 09:00
    # in Paris.
    scheduler = build_scheduler(digest_container)
    scheduler.start()
    try:
        fake_slack.wait_for("files.completeUploadExternal", timeout=20)
    finally:
        scheduler.shutdown(wait=True)
    # The other jobs ran too (feedback requests...): one of the posts is the digest.
    digests = [p for p in _posts(fake_slack) if p.params["text"].startswith("Hiring digest")]
    assert len(digests) == 1
    delivery = _delivery(digest_container)
    assert delivery is not None and delivery.sent_at == datetime(2026, 11, 24, 8, tzinfo=UTC)
    assert clock.now() - delivery.sent_at == timedelta(0)
