"""The fake Slack Web API and the signed-request builders are faithful to the real libraries.

Real ``slack_sdk.WebClient`` / ``WebhookClient`` talk to :class:`FakeSlackAPI` over loopback HTTP,
and a real ``slack_bolt.App`` accepts (or rejects) the requests built by ``slack_requests``.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.fakes.slack_api import FakeSlackAPI, RecordedCall
from tests.fakes.slack_requests import (
    DEFAULT_TRIGGER_ID,
    FORM_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    SlackRequest,
    app_home_opened,
    block_actions,
    block_suggestion,
    checkboxes,
    datepicker,
    event_callback,
    external_select,
    multi_static_select,
    multi_users_select,
    plain_text_input,
    post_signed,
    radio_buttons,
    retry_headers,
    sign,
    slash_command,
    static_select,
    url_verification,
    users_select,
    view_submission,
)

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
WAIT = 5.0

BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Interview* with Ada"}},
    {
        "type": "actions",
        "block_id": "decision",
        "elements": [
            {
                "type": "button",
                "action_id": "approve",
                "text": {"type": "plain_text", "text": "Approve"},
                "value": "cand-1",
            }
        ],
    },
]
MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "schedule_interview",
    "private_metadata": '{"candidate_id": 7}',
    "title": {"type": "plain_text", "text": "Schedule"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "candidate",
            "label": {"type": "plain_text", "text": "Name"},
            "element": {"type": "plain_text_input", "action_id": "name"},
        }
    ],
}


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as api:
        yield api


@pytest.fixture
def web(fake_slack: FakeSlackAPI) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake_slack.url, timeout=5)


# ====================================================================== Web API fake


def test_url_shape(fake_slack: FakeSlackAPI) -> None:
    assert fake_slack.url == f"http://127.0.0.1:{fake_slack.port}/api/"
    assert fake_slack.response_url("r9") == f"http://127.0.0.1:{fake_slack.port}/response/r9"


def test_post_message_records_decoded_blocks(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    resp = web.chat_postMessage(channel="C1", text="fallback", blocks=BLOCKS)

    assert resp["ok"] is True
    assert resp["channel"] == "C1"
    assert resp["ts"] == "1700000000.000100"
    assert resp["message"]["blocks"] == BLOCKS
    assert resp["message"]["bot_id"] == fake_slack.bot_id

    call = fake_slack.last("chat.postMessage")
    assert call.method == "chat.postMessage"
    assert call.params["channel"] == "C1"
    assert call.params["blocks"] == BLOCKS  # decoded, not a JSON string
    assert call.token == TOKEN
    assert call.header("authorization") == f"Bearer {TOKEN}"
    assert (call.header("content-type") or "").startswith("application/json")
    assert call.answered_status == 200 and call.ok and not call.injected
    assert call.time == pytest.approx(time.time(), abs=5)
    assert fake_slack.message("C1", resp["ts"]) == resp["message"]


def test_form_encoded_json_fields_are_decoded(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    # api_call(params=...) is sent form-encoded, with blocks as a JSON string.
    web.api_call(
        "chat.postMessage",
        params={"channel": "C1", "text": "[x] not json", "blocks": json.dumps(BLOCKS)},
    )

    call = fake_slack.last("chat.postMessage")
    assert call.header("content-type") == FORM_CONTENT_TYPE
    assert call.params["blocks"] == BLOCKS
    assert call.params["text"] == "[x] not json"
    assert call.token == TOKEN


def test_message_lifecycle_and_ts(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    first = web.chat_postMessage(channel="C1", text="one")
    second = web.chat_postMessage(channel="U_ADA", text="dm")  # user id -> app DM, as Slack does
    assert second["channel"] == "DU_ADA"
    assert float(second["ts"]) > float(first["ts"])
    assert second["ts"] > first["ts"]

    updated = web.chat_update(channel="C1", ts=first["ts"], text="one (edited)", blocks=BLOCKS)
    assert (updated["channel"], updated["ts"]) == ("C1", first["ts"])
    message = fake_slack.message("C1", first["ts"])
    assert message is not None and message["text"] == "one (edited)"
    assert message["blocks"] == BLOCKS

    ephemeral = web.chat_postEphemeral(channel="C1", user="U_ADA", text="psst")
    assert ephemeral["message_ts"] > second["ts"]

    deleted = web.chat_delete(channel="C1", ts=first["ts"])
    assert deleted["ts"] == first["ts"]
    assert fake_slack.message("C1", first["ts"]) is None

    with pytest.raises(SlackApiError) as err, pytest.warns(UserWarning, match="text"):
        web.chat_postMessage(channel="C1")
    assert err.value.response["error"] == "no_text"
    assert fake_slack.methods() == [
        "chat.postMessage",
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
        "chat.delete",
        "chat.postMessage",
    ]


def test_auth_test(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    resp = web.auth_test()
    assert resp["user_id"] == "U_BOT"
    assert resp["bot_id"] == "B_BOT"
    assert resp["team_id"] == "T1"
    assert resp["url"] == "https://acme.slack.com/"


def test_tokens_are_required(fake_slack: FakeSlackAPI) -> None:
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=fake_slack.url).auth_test()
    assert err.value.response["error"] == "not_authed"

    strict = FakeSlackAPI(valid_tokens=[TOKEN]).start()
    try:
        WebClient(token=TOKEN, base_url=strict.url).auth_test()
        with pytest.raises(SlackApiError) as bad:
            WebClient(token="xoxb-wrong", base_url=strict.url).auth_test()
        assert bad.value.response["error"] == "invalid_auth"
    finally:
        strict.stop()


def test_views(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    opened = web.views_open(trigger_id="trig-1", view=MODAL)
    view = opened["view"]
    assert view["id"].startswith("V")
    assert view["callback_id"] == "schedule_interview"
    assert view["private_metadata"] == MODAL["private_metadata"]
    assert view["blocks"] == MODAL["blocks"]
    assert view["hash"]
    call = fake_slack.last("views.open")
    assert call.params["view"] == MODAL
    assert call.params["trigger_id"] == "trig-1"

    pushed = web.views_push(trigger_id="trig-2", view=MODAL)
    assert pushed["view"]["id"] != view["id"]

    updated = web.views_update(view_id=view["id"], hash=view["hash"], view=MODAL)
    assert updated["view"]["id"] == view["id"]
    assert updated["view"]["hash"] != view["hash"]
    with pytest.raises(SlackApiError) as conflict:
        web.views_update(view_id=view["id"], hash=view["hash"], view=MODAL)  # stale hash
    assert conflict.value.response["error"] == "hash_conflict"

    home = {"type": "home", "blocks": BLOCKS}
    published = web.views_publish(user_id="U_ADA", view=home)
    assert published["view"]["type"] == "home"
    assert fake_slack.home_view("U_ADA") == published["view"]

    with pytest.raises(SlackApiError) as missing:
        web.api_call("views.open", json={"view": MODAL})
    assert missing.value.response["error"] == "invalid_arguments"


def test_users_and_conversations(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    fake_slack.add_user("U_ADA", "ada@example.com", "Ada Lovelace")
    fake_slack.add_user("U_BOB", "bob@example.com", "Bob Ny", tz="America/New_York")

    info = web.users_info(user="U_ADA")["user"]
    assert info["profile"]["email"] == "ada@example.com"
    assert info["real_name"] == "Ada Lovelace"
    assert info["tz"] == "Europe/Paris"
    assert info["tz_offset"] in (3600, 7200)

    found = web.users_lookupByEmail(email="BOB@example.com")["user"]
    assert found["id"] == "U_BOB" and found["tz"] == "America/New_York"

    with pytest.raises(SlackApiError) as unknown:
        web.users_info(user="U_NOBODY")
    assert unknown.value.response["error"] == "user_not_found"
    with pytest.raises(SlackApiError) as nobody:
        web.users_lookupByEmail(email="nobody@example.com")
    assert nobody.value.response["error"] == "users_not_found"

    assert web.conversations_open(users="U_ADA")["channel"]["id"] == "DU_ADA"
    assert web.conversations_open(users=["U_ADA"])["channel"]["id"] == "DU_ADA"


def test_unknown_method_is_ok_and_recorded(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    resp = web.reactions_add(channel="C1", timestamp="1700000000.000100", name="tada")
    assert resp.data == {"ok": True}
    assert fake_slack.last("reactions.add").params["name"] == "tada"


def test_set_response_overrides_answer(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    fake_slack.set_response("conversations.members", {"members": ["U1", "U2"]})
    assert web.conversations_members(channel="C1")["members"] == ["U1", "U2"]

    fake_slack.set_response(
        "chat.postMessage", lambda call: {"channel": call.params["channel"], "ts": "1.000001"}
    )
    assert web.chat_postMessage(channel="C9", text="x")["ts"] == "1.000001"


# ---------------------------------------------------------------------- failure injection


def test_rate_limit_is_retried_after_retry_after(
    fake_slack: FakeSlackAPI, web: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []

    class _Clock:
        @staticmethod
        def sleep(seconds: float) -> None:
            slept.append(seconds)

    monkeypatch.setattr(builtin_handlers, "time", _Clock)  # no real waiting
    web.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=3, count=2)

    resp = web.chat_postMessage(channel="C1", text="hi")

    assert resp["ok"] is True
    calls = fake_slack.calls("chat.postMessage")
    assert [c.answered_status for c in calls] == [429, 429, 200]
    assert calls[0].injected and calls[0].error == "ratelimited"
    assert len(slept) == 2 and all(3 <= s < 4 for s in slept)  # Retry-After honoured


def test_rate_limit_without_handler_raises(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as err:
        web.chat_postMessage(channel="C1", text="hi")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"
    # the failure was consumed: the next call succeeds
    assert web.chat_postMessage(channel="C1", text="hi")["ok"] is True


def test_server_error_raises(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    fake_slack.fail_next("views.open", status=500)
    with pytest.raises(SlackApiError) as err:
        web.views_open(trigger_id="t", view=MODAL)
    assert err.value.response.status_code == 500
    call = fake_slack.last("views.open")
    assert call.answered_status == 500 and call.injected and not call.ok


def test_server_error_is_retried_by_server_error_handler(
    fake_slack: FakeSlackAPI, web: WebClient
) -> None:
    web.retry_handlers.append(
        ServerErrorRetryHandler(
            max_retry_count=1, interval_calculator=FixedValueRetryIntervalCalculator(0.0)
        )
    )
    fake_slack.fail_next("chat.update", status=503)
    resp = web.chat_update(channel="C1", ts="1700000000.000100", text="x")
    assert resp["ok"] is True
    assert [c.answered_status for c in fake_slack.calls("chat.update")] == [503, 200]


def test_error_next(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    fake_slack.error_next("chat.postMessage", error="channel_not_found", count=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            web.chat_postMessage(channel="C404", text="hi")
        assert err.value.response.status_code == 200
        assert err.value.response["error"] == "channel_not_found"
    assert web.chat_postMessage(channel="C404", text="hi")["ok"] is True
    assert [c.error for c in fake_slack.calls("chat.postMessage")] == [
        "channel_not_found",
        "channel_not_found",
        None,
    ]


# ---------------------------------------------------------------------- files & response_url


def test_files_upload_v2(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    resp = web.files_upload_v2(content=b"png bytes", filename="x.png", channel="C1")

    assert fake_slack.methods() == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]
    get_url = fake_slack.last("files.getUploadURLExternal")
    assert get_url.params["filename"] == "x.png"
    assert get_url.params["length"] == str(len(b"png bytes"))
    file_id = get_url.response["file_id"]
    assert get_url.response["upload_url"].startswith(fake_slack.base_url + "/upload/")

    upload = fake_slack.last("file_upload")
    assert upload.body == b"png bytes"
    assert fake_slack.uploaded(file_id) == b"png bytes" == fake_slack.uploaded()

    complete = fake_slack.last("files.completeUploadExternal")
    assert complete.params["files"] == [{"id": file_id, "title": "x.png"}]  # decoded JSON field
    assert complete.params["channel_id"] == "C1"
    assert resp["files"][0]["id"] == file_id
    assert resp["file"]["title"] == "x.png"
    assert resp["file"]["size"] == len(b"png bytes")


def test_multipart_body_is_parsed(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    web.api_call("files.upload", files={"file": b"\x89PNG..."}, data={"channels": "C1"})
    call = fake_slack.last("files.upload")
    assert call.params["channels"] == "C1"
    assert call.files == {"file": b"\x89PNG..."}


def test_response_url_records_json(fake_slack: FakeSlackAPI) -> None:
    url = fake_slack.response_url("r1")
    result = WebhookClient(url).send(text="done", replace_original=True, blocks=BLOCKS)
    assert result.status_code == 200

    call = fake_slack.last("response_url")
    assert call.response_name == "r1"
    assert call.params["text"] == "done"
    assert call.params["replace_original"] is True
    assert call.params["blocks"] == BLOCKS

    fake_slack.fail_next("response_url", status=500)
    assert WebhookClient(fake_slack.response_url("r2")).send(text="x").status_code == 500


# ---------------------------------------------------------------------- recording helpers


def test_wait_for_across_threads(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    def later() -> None:
        time.sleep(0.1)
        web.chat_postMessage(channel="C1", text="one")
        web.chat_postMessage(channel="C2", text="two")

    worker = threading.Thread(target=later)
    worker.start()
    calls = fake_slack.wait_for("chat.postMessage", count=2, timeout=WAIT)
    worker.join()
    assert [c.params["channel"] for c in calls] == ["C1", "C2"]
    assert fake_slack.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "C2")

    started = time.monotonic()
    with pytest.raises(AssertionError, match="views.open"):
        fake_slack.wait_for("views.open", timeout=0.1)
    assert time.monotonic() - started < 1

    fake_slack.clear()
    assert fake_slack.calls() == []
    with pytest.raises(AssertionError):
        fake_slack.last("chat.postMessage")


def test_recorded_call_is_dict_like(fake_slack: FakeSlackAPI, web: WebClient) -> None:
    web.chat_postMessage(channel="C1", text="hi")
    call: RecordedCall = fake_slack.last("chat.postMessage")
    assert call["method"] == "chat.postMessage"
    assert call["params"]["text"] == "hi"
    assert call["answered_status"] == 200
    assert isinstance(call["headers"], dict) and isinstance(call["time"], float)


# ====================================================================== signing and builders

# Worked example from Slack's "Verifying requests from Slack" documentation.
DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DOC_TIMESTAMP = 1531420618
DOC_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
    "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_sign_matches_slack_documented_example() -> None:
    headers = sign(DOC_BODY, DOC_SECRET, DOC_TIMESTAMP)
    assert headers == {
        "Content-Type": FORM_CONTENT_TYPE,
        "X-Slack-Request-Timestamp": str(DOC_TIMESTAMP),
        "X-Slack-Signature": DOC_SIGNATURE,
    }
    assert sign(DOC_BODY.encode(), DOC_SECRET, DOC_TIMESTAMP) == headers


def _all_builders() -> list[SlackRequest]:
    return [
        slash_command("/interview", "schedule <@U_ADA> ünïcødé & co"),
        view_submission("schedule_interview", {"candidate": {"name": plain_text_input("Ada")}}),
        block_actions("approve", "cand-1"),
        block_suggestion("pick_candidate", "ad"),
        event_callback(app_home_opened("U_ADA")),
        url_verification("challenge-123"),
    ]


@pytest.mark.parametrize("req", _all_builders(), ids=lambda r: r.payload.get("type", "command"))
def test_signature_verifier_accepts_builders(req: SlackRequest) -> None:
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(req.body, req.signed_headers(SECRET))
    assert verifier.is_valid_request(req.body.encode(), sign(req.body.encode(), SECRET))
    assert not verifier.is_valid_request(req.body, req.signed_headers("wrong-secret"))
    assert not verifier.is_valid_request(req.body + " ", req.signed_headers(SECRET))
    stale = req.signed_headers(SECRET, timestamp=int(time.time()) - 600)
    assert not verifier.is_valid_request(req.body, stale)
    body, content_type = req
    assert sign(body, SECRET)["Content-Type"] == content_type


def test_slash_command_shape() -> None:
    req = slash_command("/interview", "help", trigger_id="t1", response_url="https://r")
    assert req.content_type == FORM_CONTENT_TYPE
    fields = dict(parse_qsl(req.body, keep_blank_values=True))
    assert set(fields) >= {
        "token",
        "team_id",
        "team_domain",
        "channel_id",
        "channel_name",
        "user_id",
        "user_name",
        "command",
        "text",
        "api_app_id",
        "response_url",
        "trigger_id",
    }
    assert fields["command"] == "/interview" and fields["text"] == "help"
    assert fields["user_id"] == "U_RECRUITER" and fields["channel_id"] == "C_GENERAL"
    assert fields["team_id"] == "T1"
    assert (fields["trigger_id"], fields["response_url"]) == ("t1", "https://r")


def test_interactive_payload_shapes() -> None:
    values = {
        "candidate": {"name": plain_text_input("Ada")},
        "role": {"pick": static_select("eng", "Engineer")},
        "source": {"pick": external_select("ref")},
        "panel": {"who": multi_users_select(["U1", "U2"])},
        "owner": {"who": users_select("U3")},
        "day": {"when": datepicker("2025-03-04")},
        "remote": {"choice": radio_buttons("yes")},
        "checks": {"boxes": checkboxes(["a", ("b", "Bee")])},
        "tags": {"pick": multi_static_select(["x"])},
    }
    sub = view_submission("cb", values, user_id="U9", private_metadata="m", view_id="V7", hash="hh")
    assert sub.content_type == FORM_CONTENT_TYPE
    assert list(dict(parse_qsl(sub.body))) == ["payload"]
    p = sub.payload
    assert p["type"] == "view_submission"
    assert p["user"]["id"] == "U9" and p["user"]["team_id"] == "T1"
    assert p["team"]["id"] == "T1" and p["api_app_id"] and p["token"] and p["trigger_id"]
    view = p["view"]
    assert (view["id"], view["type"], view["callback_id"]) == ("V7", "modal", "cb")
    assert (view["private_metadata"], view["hash"]) == ("m", "hh")
    assert view["state"]["values"] == values
    assert values["role"]["pick"]["selected_option"] == {
        "text": {"type": "plain_text", "text": "Engineer", "emoji": True},
        "value": "eng",
    }
    assert values["checks"]["boxes"]["selected_options"][1]["text"]["text"] == "Bee"

    in_message = block_actions("approve", "cand-1", channel_id="C5").payload
    assert in_message["type"] == "block_actions"
    assert in_message["container"]["type"] == "message"
    assert in_message["container"]["channel_id"] == "C5" == in_message["channel"]["id"]
    assert in_message["response_url"].startswith("https://hooks.slack.com/")
    action = in_message["actions"][0]
    assert (action["action_id"], action["block_id"], action["type"]) == ("approve", "b", "button")
    assert action["value"] == "cand-1"

    in_view = block_actions(
        "role", view={"id": "V3", "callback_id": "cb"}, selected_option="eng"
    ).payload
    assert in_view["container"] == {"type": "view", "view_id": "V3"}
    assert in_view["view"]["callback_id"] == "cb" and "response_url" not in in_view
    assert in_view["actions"][0]["type"] == "static_select"
    assert in_view["actions"][0]["selected_option"]["value"] == "eng"

    suggestion = block_suggestion("pick_candidate", "ad", block_id="cand").payload
    assert suggestion["type"] == "block_suggestion"
    assert (suggestion["action_id"], suggestion["block_id"], suggestion["value"]) == (
        "pick_candidate",
        "cand",
        "ad",
    )

    ev = event_callback({"type": "app_mention", "text": "hi"}, event_id="Ev9")
    assert ev.content_type == JSON_CONTENT_TYPE
    doc = json.loads(ev.body)
    assert (doc["type"], doc["event_id"], doc["team_id"]) == ("event_callback", "Ev9", "T1")
    assert doc["event"]["type"] == "app_mention" and doc["authorizations"][0]["is_bot"]
    assert isinstance(doc["event_time"], int)
    assert url_verification("c").payload == {
        "token": "verification-token",
        "challenge": "c",
        "type": "url_verification",
    }


# ====================================================================== Bolt accepts the builders


class BoltHarness:
    def __init__(self, app: App, seen: queue.Queue[tuple[str, Any]]) -> None:
        self.app = app
        self.seen = seen

    def dispatch(
        self, req: SlackRequest, secret: str = SECRET, timestamp: int | None = None
    ) -> BoltResponse:
        headers: dict[str, str | Sequence[str]] = {**req.signed_headers(secret, timestamp)}
        return self.app.dispatch(BoltRequest(body=req.body, headers=headers))

    def next_seen(self, name: str) -> Any:
        got_name, data = self.seen.get(timeout=WAIT)
        assert got_name == name
        return data


@pytest.fixture
def bolt(fake_slack: FakeSlackAPI) -> BoltHarness:
    seen: queue.Queue[tuple[str, Any]] = queue.Queue()
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=TOKEN, base_url=fake_slack.url, timeout=5),
        token_verification_enabled=False,
    )

    @app.command("/interview")
    def on_command(
        ack: Callable[..., None], body: dict[str, Any], client: WebClient, context: Any
    ) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)
        ids = {
            "user_id": context.user_id,
            "team_id": context.team_id,
            "channel_id": context.channel_id,
        }
        seen.put(("command", {"body": body, **ids}))

    @app.view("schedule_interview")
    def on_submit(ack: Callable[..., None], view: dict[str, Any], body: dict[str, Any]) -> None:
        name = view["state"]["values"]["candidate"]["name"]["value"]
        if not name:
            ack(response_action="errors", errors={"candidate": "Name is required"})
            return
        ack()
        seen.put(("view", {"view": view, "user": body["user"]["id"]}))

    @app.action("approve")
    def on_approve(
        ack: Callable[..., None], body: dict[str, Any], respond: Callable[..., Any]
    ) -> None:
        ack()
        respond(text="Approved", replace_original=True)
        seen.put(("action", body))

    @app.action("set_role")
    def on_set_role(ack: Callable[..., None], body: dict[str, Any]) -> None:
        ack()
        seen.put(("action", body))

    @app.options("pick_candidate")
    def on_options(ack: Callable[..., None], payload: dict[str, Any]) -> None:
        ack(options=[{"text": {"type": "plain_text", "text": "Ada"}, "value": payload["value"]}])

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": BLOCKS})

    return BoltHarness(app, seen)


def test_bolt_handles_slash_command(fake_slack: FakeSlackAPI, bolt: BoltHarness) -> None:
    resp = bolt.dispatch(slash_command("/interview", "schedule", channel_id="C7"))
    assert resp.status == 200

    seen = bolt.next_seen("command")
    assert seen["body"]["text"] == "schedule"
    assert (seen["user_id"], seen["team_id"], seen["channel_id"]) == ("U_RECRUITER", "T1", "C7")
    opened = fake_slack.wait_for("views.open", timeout=WAIT)[0]
    assert opened.params["trigger_id"] == DEFAULT_TRIGGER_ID
    assert opened.params["view"]["callback_id"] == "schedule_interview"
    assert "auth.test" in fake_slack.methods()  # Bolt's single-team authorization


def test_bolt_handles_view_submission(bolt: BoltHarness) -> None:
    req = view_submission(
        "schedule_interview",
        {"candidate": {"name": plain_text_input("Ada")}},
        user_id="U_ADA",
        private_metadata='{"candidate_id": 7}',
    )
    resp = bolt.dispatch(req)
    assert resp.status == 200 and resp.body == ""

    seen = bolt.next_seen("view")
    assert seen["user"] == "U_ADA"
    assert seen["view"]["private_metadata"] == '{"candidate_id": 7}'
    assert seen["view"]["state"]["values"]["candidate"]["name"]["value"] == "Ada"


def test_bolt_view_submission_errors_come_back_in_ack(bolt: BoltHarness) -> None:
    req = view_submission("schedule_interview", {"candidate": {"name": plain_text_input(None)}})
    resp = bolt.dispatch(req)
    assert resp.status == 200
    assert json.loads(resp.body) == {
        "response_action": "errors",
        "errors": {"candidate": "Name is required"},
    }


def test_bolt_handles_block_actions_and_respond(
    fake_slack: FakeSlackAPI, bolt: BoltHarness
) -> None:
    req = block_actions("approve", "cand-1", response_url=fake_slack.response_url("r1"))
    resp = bolt.dispatch(req)
    assert resp.status == 200

    body = bolt.next_seen("action")
    assert body["actions"][0]["value"] == "cand-1"
    responded = fake_slack.wait_for("response_url", timeout=WAIT)[0]
    assert responded.response_name == "r1"
    assert responded.params == {"text": "Approved", "replace_original": True}


def test_bolt_handles_block_actions_in_view(bolt: BoltHarness) -> None:
    req = block_actions("set_role", view={"id": "V42"}, selected_option=("eng", "Engineer"))
    resp = bolt.dispatch(req)
    assert resp.status == 200
    body = bolt.next_seen("action")
    assert body["container"] == {"type": "view", "view_id": "V42"}
    assert body["view"]["id"] == "V42"
    assert body["actions"][0]["selected_option"]["value"] == "eng"
    assert "response_url" not in body  # Slack sends none for actions in modals


def test_bolt_handles_block_suggestion(bolt: BoltHarness) -> None:
    resp = bolt.dispatch(block_suggestion("pick_candidate", "ad"))
    assert resp.status == 200
    assert json.loads(resp.body)["options"][0]["value"] == "ad"


def test_bolt_handles_event_callback(fake_slack: FakeSlackAPI, bolt: BoltHarness) -> None:
    resp = bolt.dispatch(event_callback(app_home_opened("U_ADA")))
    assert resp.status == 200
    published = fake_slack.wait_for("views.publish", timeout=WAIT)[0]
    assert published.params["user_id"] == "U_ADA"
    assert published.params["view"]["blocks"] == BLOCKS


def test_bolt_answers_url_verification(bolt: BoltHarness) -> None:
    resp = bolt.dispatch(url_verification("challenge-123"))
    assert resp.status == 200
    assert json.loads(resp.body) == {"challenge": "challenge-123"}


@pytest.mark.parametrize(
    ("secret", "age"),
    [("wrong-secret", 0), (SECRET, 600)],
    ids=["wrong-secret", "10-minutes-old"],
)
@pytest.mark.parametrize("req", _all_builders()[:3], ids=["command", "view", "action"])
def test_bolt_rejects_bad_signatures(
    fake_slack: FakeSlackAPI, bolt: BoltHarness, req: SlackRequest, secret: str, age: int
) -> None:
    resp = bolt.dispatch(req, secret=secret, timestamp=int(time.time()) - age)
    assert resp.status == 401
    assert bolt.seen.empty()
    assert fake_slack.calls() == []


# ---------------------------------------------------------------------- over real HTTP


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def bolt_server(bolt: BoltHarness) -> Iterator[str]:
    server: WSGIServer = make_server(
        "127.0.0.1", 0, SlackRequestHandler(bolt.app), handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_post_signed_over_http(
    fake_slack: FakeSlackAPI, bolt: BoltHarness, bolt_server: str
) -> None:
    command_body, content_type = slash_command("/interview")
    status, body, elapsed = post_signed(bolt_server, command_body, content_type, SECRET)
    assert status == 200 and body == ""
    assert elapsed < 3  # acknowledged within Slack's 3-second budget
    fake_slack.wait_for("views.open", timeout=WAIT)
    bolt.next_seen("command")

    req = event_callback(app_home_opened("U_ADA"), event_id="Ev2")
    retried = req.post(bolt_server, SECRET, headers=retry_headers(1, "http_timeout"))
    assert retried.status == 200
    fake_slack.wait_for("views.publish", timeout=WAIT)

    bad = post_signed(bolt_server, req.body, req.content_type, "wrong-secret")
    assert bad.status == 401
    old = post_signed(
        bolt_server, req.body, req.content_type, SECRET, timestamp=int(time.time()) - 600
    )
    assert old.status == 401
