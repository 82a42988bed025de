"""The morning digest through the job, the outbox, the real Slack client and the fake Slack Web API.

The job claims the day and enqueues the digest (its post, then its chart into the post's thread)
in one transaction, then hands them to the outbox; whatever was not delivered then is delivered by
the outbox job (`container.outbox.deliver_due()` here).
"""

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
from models.outbox import OutboxMessage, OutboxRepository, OutboxStatus
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
    """The day's claim."""
    with container.unit_of_work() as uow:
        return uow.session.scalar(select(DigestDelivery).where(DigestDelivery.digest_date == day))


def _digest_post(container: Container, day: date = TUESDAY) -> OutboxMessage | None:
    """The day's digest in the outbox: sent (and when, and where) once its post is delivered."""
    with container.unit_of_work() as uow:
        return uow.outbox.by_key(f"digest:{day.isoformat()}")


@pytest.mark.usefixtures("hiring_week")
def test_at_nine_paris_on_a_tuesday_the_head_gets_one_digest_with_the_funnel_chart(
    digest_container: Container, fake_slack: FakeSlackAPI
) -> None:
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED

    (post,) = _posts(fake_slack)
    assert post.params["channel"] == "U_HEAD"
    assert post.params["metadata"]["event_payload"] == {"key": "digest:2026-11-24"}
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
    assert delivery is not None and delivery.claimed_at == digest_scenario.NOW
    sent = _digest_post(digest_container)
    assert sent is not None and sent.status == OutboxStatus.SENT
    assert sent.sent_at == digest_scenario.NOW and sent.last_error is None
    assert (sent.slack_channel, sent.slack_ts) == ("DU_HEAD", post.response["ts"])
    with digest_container.unit_of_work() as uow:
        chart = uow.outbox.by_key("digest-chart:2026-11-24")
        reference = uow.outbox.reference("digest:2026-11-24")
    assert chart is not None and chart.status == OutboxStatus.SENT
    assert reference is not None and (reference.channel, reference.ts) == (
        "DU_HEAD",
        post.response["ts"],
    )


@pytest.mark.usefixtures("hiring_week")
def test_nothing_before_nine(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    clock.advance(minutes=-1)
    assert digest_container.digest.send_daily_digest() == Outcome.NOT_DUE
    assert fake_slack.calls() == []
    assert _delivery(digest_container) is None
    assert _digest_post(digest_container) is None


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
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    clock.advance(minutes=1)
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    digest_container.outbox.deliver_due()
    assert len(_posts(fake_slack)) == 1
    assert len(fake_slack.calls("files.completeUploadExternal")) == 1


@pytest.mark.usefixtures("hiring_week")
def test_a_worker_restarted_after_nine_catches_up_the_same_day_only(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    clock.advance(hours=8, minutes=30)  # 17:30 in Paris
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
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
    assert sorted(outcomes) == sorted([Outcome.ENQUEUED, Outcome.HANDLED])
    digest_container.outbox.deliver_due()
    assert len(_posts(fake_slack)) == 1
    assert len(fake_slack.calls("files.completeUploadExternal")) == 1


@pytest.mark.usefixtures("hiring_week")
def test_a_failed_post_is_retried_by_the_outbox_and_posted_once(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.fail_next("chat.postMessage", status=500)
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
    failed = _digest_post(digest_container)
    assert failed is not None and failed.sent_at is None
    assert failed.status == OutboxStatus.PENDING
    assert failed.last_error == "internal_error"  # the fake's 500 answer
    assert fake_slack.calls("files.getUploadURLExternal") == []

    clock.advance(minutes=1)
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    assert digest_container.outbox.deliver_due().sent == 2  # the digest, then its chart
    assert len(fake_slack.calls("chat.postMessage")) == 2
    assert len(_posts(fake_slack)) == 1
    sent = _digest_post(digest_container)
    assert sent is not None and sent.sent_at is not None and sent.last_error is None
    assert len(fake_slack.calls("files.completeUploadExternal")) == 1


@pytest.mark.usefixtures("hiring_week")
def test_a_digest_slack_refuses_fails_once_and_the_admins_are_told(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.error_next("chat.postMessage", "channel_not_found")
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
    failed = _digest_post(digest_container)
    assert failed is not None and failed.sent_at is None
    assert failed.status == OutboxStatus.FAILED
    assert failed.last_error is not None and "channel_not_found" in failed.last_error
    assert fake_slack.calls("files.getUploadURLExternal") == []

    for _ in range(3):  # later runs send nothing more, and tell nobody twice
        clock.advance(minutes=1)
        assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
        digest_container.outbox.deliver_due()
    to_head = [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == "U_HEAD"]
    assert len(to_head) == 1
    (notice,) = [c for c in _posts(fake_slack) if c.params["channel"] == "U_ADMIN"]
    assert "channel_not_found" in str(notice.params)
    assert fake_slack.calls("files.getUploadURLExternal") == []


@pytest.mark.usefixtures("hiring_week")
def test_a_digest_posted_whose_recording_failed_is_not_posted_again(
    digest_container: Container,
    fake_slack: FakeSlackAPI,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Slack took the post, then recording it failed (the database went away): the key names the
    digest for good, so neither the next runs of the job nor the outbox post it a second time."""
    record = OutboxRepository.mark_sent
    failures = iter([RuntimeError("the database went away")])

    def mark_sent_failing_once(self: OutboxRepository, *args: object, **kw: object) -> None:
        error = next(failures, None)
        if error is not None:
            raise error
        record(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(OutboxRepository, "mark_sent", mark_sent_failing_once)
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
    assert len(_posts(fake_slack)) == 1
    unrecorded = _digest_post(digest_container)
    assert unrecorded is not None and unrecorded.status == OutboxStatus.SENDING

    clock.advance(minutes=15)  # when the digest used to go out a second time
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    # The chart comes first in the queue and waits for the post, found in Slack, not posted.
    assert digest_container.outbox.deliver_due().sent == 1
    assert digest_container.outbox.deliver_due().sent == 1
    (post,) = _posts(fake_slack)
    assert fake_slack.calls("conversations.history")  # looked for before posting again
    sent = _digest_post(digest_container)
    assert sent is not None and (sent.slack_channel, sent.slack_ts) == (
        "DU_HEAD",
        post.response["ts"],
    )
    (complete,) = fake_slack.calls("files.completeUploadExternal")
    assert complete.params["thread_ts"] == post.response["ts"]
    clock.advance(minutes=15)
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    assert digest_container.outbox.deliver_due().sent == 0
    assert len(_posts(fake_slack)) == 1


@pytest.mark.usefixtures("hiring_week")
def test_a_digest_whose_answer_was_lost_is_found_not_posted_again(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.fail_after_next("chat.postMessage", status=500)  # taken, then the answer is lost
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
    clock.advance(minutes=5)
    assert digest_container.outbox.deliver_due().sent == 2
    assert len(fake_slack.calls("chat.postMessage")) == 1
    (complete,) = fake_slack.calls("files.completeUploadExternal")
    sent = _digest_post(digest_container)
    assert sent is not None and complete.params["thread_ts"] == sent.slack_ts


@pytest.mark.usefixtures("hiring_week")
def test_a_failed_chart_upload_is_retried_without_posting_again(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.error_next("files.getUploadURLExternal", "internal_error")
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
    assert fake_slack.calls("files.completeUploadExternal") == []
    clock.advance(minutes=1)
    assert digest_container.digest.send_daily_digest() == Outcome.HANDLED
    assert digest_container.outbox.deliver_due().sent == 1
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
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
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
    assert container.digest.send_daily_digest() == Outcome.ENQUEUED
    container.engine.dispose()
    (post,) = _posts(fake_slack)
    assert post.params["channel"] == "C_HIRING"
    assert fake_slack.last("files.completeUploadExternal").params["channel_id"] == "C_HIRING"


def test_a_day_with_nothing_gets_one_line_and_no_chart(
    digest_container: Container, fake_slack: FakeSlackAPI
) -> None:
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
    (post,) = _posts(fake_slack)
    assert len(post.params["blocks"]) == 1
    assert "nothing today" in post.params["text"]
    assert fake_slack.calls("files.getUploadURLExternal") == []


@pytest.mark.usefixtures("hiring_week")
def test_the_next_day_reports_feedback_since_the_previous_digest(
    digest_container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
    clock.advance(days=1)
    assert digest_container.digest.send_daily_digest() == Outcome.ENQUEUED
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
    assert _delivery(digest_container) is not None
    delivery = _digest_post(digest_container)
    assert delivery is not None and delivery.sent_at == datetime(2026, 11, 24, 8, tzinfo=UTC)
    assert clock.now() - delivery.sent_at == timedelta(0)
