"""The outbox delivers each message once, whatever Slack answers: fault tests on every database.

Messages are enqueued as the features do (in a transaction), then delivered by the outbox job
against the fake Slack Web API, which can rate-limit, fail, or take a message and lose the answer.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bot.container import Container
from models.outbox import NewMessage, OutboxAction, OutboxMessage, OutboxStatus
from tests.clock import FixedClock
from tests.fakes.slack_api import FakeSlackAPI

KEY = "feedback-request:1"


def _enqueue(container: Container, *messages: NewMessage) -> None:
    with container.unit_of_work() as uow:
        uow.outbox.enqueue_all(list(messages), container.clock.now())
        uow.commit()


def _hello(key: str = KEY, **fields: object) -> NewMessage:
    values: dict[str, object] = {
        "key": key,
        "kind": "feedback_request",
        "payload": {"text": f"hello {key}"},
        "recipient": "U_ENG1",
        "summary": "the feedback request for Ada Lovelace",
        "notify_slack_id": "U_HR",
    }
    values.update(fields)
    return NewMessage(**values)  # type: ignore[arg-type]


def _row(container: Container, key: str = KEY) -> OutboxMessage:
    with container.unit_of_work() as uow:
        row = uow.outbox.by_key(key)
        assert row is not None
        return row


def _posts(fake: FakeSlackAPI, text: str = f"hello {KEY}") -> list[object]:
    return [c for c in fake.calls("chat.postMessage") if c.ok and c.params.get("text") == text]


def test_a_message_is_posted_once_with_its_key_and_its_reference_recorded(
    container: Container, fake_slack: FakeSlackAPI
) -> None:
    _enqueue(container, _hello())
    _enqueue(container, _hello())  # enqueued twice: still one message
    report = container.outbox.deliver_due()
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    call = fake_slack.last("chat.postMessage")
    assert call.params["channel"] == "U_ENG1"
    assert call.params["metadata"]["event_payload"] == {"key": KEY}
    row = _row(container)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    with container.unit_of_work() as uow:
        reference = uow.outbox.reference(KEY)
    assert reference is not None and (reference.channel, reference.ts) == (
        call.response["channel"],
        call.response["ts"],
    )
    assert container.outbox.deliver_due().sent == 0
    assert len(_posts(fake_slack)) == 1


def test_a_rate_limit_is_delivered_once_after_slacks_retry_after(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=2)
    _enqueue(container, _hello())
    assert container.outbox.deliver_due().retried == 1
    clock.advance(seconds=1)
    assert container.outbox.deliver_due().sent == 0  # not before Retry-After
    clock.advance(seconds=1)
    assert container.outbox.deliver_due().sent == 1
    assert len(fake_slack.calls("chat.postMessage")) == 2
    assert len(_posts(fake_slack)) == 1


def test_two_server_errors_then_success_is_delivered_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.fail_next("chat.postMessage", status=500, count=2)
    _enqueue(container, _hello())
    for _ in range(3):
        container.outbox.deliver_due()
        clock.advance(minutes=5)
    assert _row(container).status == OutboxStatus.SENT
    assert len(_posts(fake_slack)) == 1


def test_an_answer_lost_after_slack_took_the_message_does_not_post_it_again(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.fail_after_next("chat.postMessage", status=500)
    _enqueue(container, _hello())
    assert container.outbox.deliver_due().retried == 1
    clock.advance(minutes=5)
    assert container.outbox.deliver_due().sent == 1
    assert len(fake_slack.calls("chat.postMessage")) == 1  # found, not posted again
    assert fake_slack.calls("conversations.history")
    row = _row(container)
    assert row.slack_channel and row.slack_ts
    message = fake_slack.message(row.slack_channel, row.slack_ts)
    assert message is not None and message["metadata"]["event_payload"] == {"key": KEY}


def test_a_worker_that_died_after_posting_is_not_followed_by_a_second_post(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    _enqueue(container, _hello())
    posted = container.outbox._sender.post("U_ENG1", {"text": f"hello {KEY}"}, KEY, None)
    with container.unit_of_work() as uow:  # claimed, posted, then the worker died
        row = uow.outbox.by_key(KEY)
        assert row is not None
        assert uow.outbox.claim(row.id, clock.now(), clock.now() + timedelta(minutes=2))
        uow.commit()
    clock.advance(minutes=3)
    assert container.outbox.deliver_due().sent == 1
    assert len(_posts(fake_slack)) == 1
    assert _row(container).slack_ts == posted.ts


def test_a_permanent_error_stops_at_once_and_tells_the_scheduler_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.error_next("chat.postMessage", "account_inactive")
    _enqueue(container, _hello())
    assert container.outbox.deliver_due().failed == 1
    row = _row(container)
    assert (row.status, row.last_error, row.attempts) == (
        OutboxStatus.FAILED,
        "account_inactive",
        1,
    )
    for _ in range(5):
        clock.advance(minutes=10)
        container.outbox.deliver_due()
    attempts = [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == "U_ENG1"]
    notices = [c for c in fake_slack.calls("chat.postMessage") if c.params["channel"] == "U_HR"]
    assert len(attempts) == 1
    assert len(notices) == 1
    assert (
        "account_inactive" in notices[0].params["text"]
        and "Ada Lovelace" in notices[0].params["text"]
    )


def test_a_failing_message_does_not_hold_up_the_others(
    container: Container, fake_slack: FakeSlackAPI
) -> None:
    fake_slack.error_next("chat.postMessage", "channel_not_found")
    _enqueue(container, _hello("first"), _hello("second"), _hello("third"))
    container.outbox.deliver_due()
    assert [_row(container, k).status for k in ("first", "second", "third")] == [
        OutboxStatus.FAILED,
        OutboxStatus.SENT,
        OutboxStatus.SENT,
    ]


def test_a_temporary_error_gives_up_after_the_last_attempt_and_tells_once(
    container: Container, fake_slack: FakeSlackAPI, clock: FixedClock
) -> None:
    fake_slack.fail_next("chat.postMessage", status=503, count=50)
    _enqueue(container, _hello())
    for _ in range(12):
        container.outbox.deliver_due()
        clock.advance(hours=1)
    row = _row(container)
    assert row.status == OutboxStatus.FAILED and row.attempts == 8
    assert row.last_error is not None and row.last_error.startswith("gave up after 8 attempts")


def test_a_reply_waits_for_its_thread_and_an_update_edits_in_place(
    container: Container, fake_slack: FakeSlackAPI
) -> None:
    _enqueue(
        container,
        _hello("reminder", target_key=KEY, payload={"text": "reminder"}),
        _hello(),
        _hello("edit", action=OutboxAction.UPDATE, target_key=KEY, payload={"text": "done"}),
    )
    container.outbox.deliver_due()
    container.outbox.deliver(["reminder"])
    parent = _row(container)
    reply = fake_slack.calls("chat.postMessage")[-1]
    assert reply.params["text"] == "reminder" and reply.params["thread_ts"] == parent.slack_ts
    assert parent.slack_channel and parent.slack_ts
    message = fake_slack.message(parent.slack_channel, parent.slack_ts)
    assert message is not None and message["text"] == "done"


def test_two_dispatchers_at_once_send_each_message_once(
    container: Container, fake_slack: FakeSlackAPI
) -> None:
    keys = [f"request:{n}" for n in range(20)]
    _enqueue(container, *[_hello(k) for k in keys])
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda _: container.outbox.deliver_due(), range(2)))
    assert sum(r.sent for r in reports) == 20
    texts = [c.params["text"] for c in fake_slack.calls("chat.postMessage") if c.ok]
    assert sorted(texts) == sorted(f"hello {k}" for k in keys)
