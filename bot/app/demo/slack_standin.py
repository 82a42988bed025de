"""A stand-in for the Slack Web API on loopback, for the offline demo.

It answers the methods the bot calls the way Slack does (`ok: true`, ids, timestamps, the view or
message as stored), keeps the messages and views current (so an update replaces what a person
sees), and records every call with the Slack user it reached. Besides `/api/<method>` it serves
the upload URLs that `files.getUploadURLExternal` hands out and the `response_url`s the demo puts
in its requests.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TEAM_ID = "T_DEMO"
BOT_USER_ID = "U_BOT"
BOT_ID = "B_BOT"
APP_ID = "A_DEMO"
# Form fields Slack reads as JSON.
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")


@dataclass(frozen=True)
class Member:
    """A workspace member, as users.info describes them."""

    slack_id: str
    name: str
    email: str
    timezone: str = "Europe/Paris"


@dataclass
class Call:
    """One request the stand-in answered."""

    method: str
    params: dict[str, Any]
    answer: dict[str, Any]
    user: str | None = None
    """The Slack user who sees the outcome (the DM's, modal's or App Home's owner), if any."""
    at: float = field(default_factory=time.monotonic)


class SlackStandIn:
    def __init__(self, members: Mapping[str, Member]) -> None:
        self.members = dict(members)
        self._lock = threading.Condition()
        self._calls: list[Call] = []
        self._ids = itertools.count(1)
        self._views: dict[str, dict[str, Any]] = {}
        self._view_owner: dict[str, str] = {}
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._files: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ------------------------------------------------------------------ life cycle

    def __enter__(self) -> SlackStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, user: str) -> str:
        return f"{self.base_url}/response/{user}/{next(self._ids)}"

    # ------------------------------------------------------------------ what happened

    def calls(self, start: int = 0) -> list[Call]:
        with self._lock:
            return self._calls[start:]

    def count(self) -> int:
        with self._lock:
            return len(self._calls)

    def wait_for(
        self, where: Callable[[Call], bool], start: int = 0, timeout: float = 15.0
    ) -> Call:
        """The first call from index `start` on that `where` accepts, waiting for it."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = next((c for c in self._calls[start:] if where(c)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the bot did not make the expected Slack call in time")
                self._lock.wait(left)

    def settle(self, quiet: float = 0.15, timeout: float = 10.0) -> None:
        """Wait until the bot has made no call for `quiet` seconds (its listeners are done)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                last = self._calls[-1].at if self._calls else 0.0
            idle = time.monotonic() - last
            if idle >= quiet:
                return
            time.sleep(quiet - idle)

    def view(self, view_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._views[view_id])

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._messages[(channel, ts)])

    # ------------------------------------------------------------------ serving

    def serve(self, path: str, query: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        if path.startswith("/upload/"):
            return self._receive_upload(path.removeprefix("/upload/"), body)
        params = _decode(query, body, content_type)
        if path.startswith("/response/"):
            replying_to = path.removeprefix("/response/").split("/")[0]
            self._record(Call("response_url", params, {"ok": True}, replying_to))
            return 200, b"ok"
        method = path.removeprefix("/api/")
        with self._lock:  # a Condition's lock is reentrant: answered and recorded in one go
            answer, user = self._answer(method, params)
            self._record(Call(method, params, answer, user))
        return 200, json.dumps(answer).encode()

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)
            self._lock.notify_all()

    def _receive_upload(self, file_id: str, body: bytes) -> tuple[int, bytes]:
        with self._lock:
            if file_id not in self._files:
                return 404, b"not found"
            self.uploads[file_id] = body
        return 200, f"OK - {len(body)}".encode()

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The answer and who sees the outcome; called with the lock held."""
        handler = _METHODS.get(method)
        if handler is None:
            return {"ok": True}, None
        return handler(self, params)

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ids)}.000100"

    # ------------------------------------------------------------------ Web API methods

    def _auth_test(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        return {
            "ok": True,
            "url": "https://demo.slack.com/",
            "team": "Demo",
            "user": "interview-bot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
        }, None

    def _post_message(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        channel = _dm_channel(str(params.get("channel") or ""))
        ts = self._next_ts()
        message: dict[str, Any] = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "ts": ts,
            **{k: params[k] for k in ("text", "blocks", "thread_ts", "metadata") if k in params},
        }
        self._messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}, _owner(channel)

    def _update_message(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        channel, ts = _dm_channel(str(params.get("channel") or "")), str(params.get("ts"))
        message = self._messages.setdefault((channel, ts), {"type": "message", "ts": ts})
        message.update({k: params[k] for k in ("text", "blocks", "metadata") if k in params})
        answer = {"ok": True, "channel": channel, "ts": ts, "text": message.get("text", "")}
        return answer, _owner(channel)

    def _post_ephemeral(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        return {"ok": True, "message_ts": self._next_ts()}, str(params.get("user") or "") or None

    def _open_view(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        view_id = f"V{next(self._ids):06d}"
        # The demo's trigger ids name who clicked: "<n>.<user>.demo".
        trigger = str(params.get("trigger_id") or "")
        owner = trigger.split(".")[1] if trigger.count(".") >= 2 else ""
        self._view_owner[view_id] = owner
        return {"ok": True, "view": self._store_view(view_id, params)}, owner or None

    def _update_view(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        view_id = str(params.get("view_id") or "")
        if view_id not in self._views:
            return {"ok": False, "error": "not_found"}, None
        return {"ok": True, "view": self._store_view(view_id, params)}, self._view_owner[view_id]

    def _publish_view(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        user = str(params.get("user_id") or "")
        view_id = f"VHOME{user}"
        self._view_owner[view_id] = user
        return {"ok": True, "view": self._store_view(view_id, params)}, user

    def _store_view(self, view_id: str, params: dict[str, Any]) -> dict[str, Any]:
        given = params.get("view")
        view = dict(given) if isinstance(given, dict) else {}
        view.update(
            id=view_id,
            team_id=TEAM_ID,
            app_id=APP_ID,
            bot_id=BOT_ID,
            hash=f"{next(self._ids)}.demo",
            root_view_id=view_id,
            state={"values": {}},
        )
        view.setdefault("private_metadata", "")
        view.setdefault("callback_id", "")
        self._views[view_id] = view
        return view

    def _open_conversation(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        users = str(params.get("users") or params.get("channel") or "")
        return {"ok": True, "channel": {"id": _dm_channel(users.split(",")[0])}}, None

    def _history(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        channel = _dm_channel(str(params.get("channel") or ""))
        thread = params.get("ts")
        found = [
            m
            for (where, ts), m in self._messages.items()
            if where == channel and (thread is None or thread in (ts, m.get("thread_ts")))
        ]
        found.sort(key=lambda m: float(m["ts"]), reverse=thread is None)
        return {"ok": True, "messages": found, "has_more": False}, None

    def _user_info(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        member = self.members.get(str(params.get("user") or ""))
        if member is None:
            return {"ok": False, "error": "user_not_found"}, None
        return {"ok": True, "user": _user(member)}, None

    def _lookup_by_email(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        email = str(params.get("email") or "").lower()
        member = next((m for m in self.members.values() if m.email.lower() == email), None)
        if member is None:
            return {"ok": False, "error": "users_not_found"}, None
        return {"ok": True, "user": _user(member)}, None

    def _upload_url(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        file_id = f"F{next(self._ids):06d}"
        self._files[file_id] = {"id": file_id, "name": str(params.get("filename") or "file")}
        answer = {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}
        return answer, None

    def _complete_upload(self, params: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        files = params.get("files") if isinstance(params.get("files"), list) else []
        shared = []
        for item in files or []:
            meta = self._files.get(str(item.get("id"))) if isinstance(item, dict) else None
            if meta is None:
                return {"ok": False, "error": "file_not_found"}, None
            meta["title"] = item.get("title") or meta["name"]
            shared.append({**meta, "size": len(self.uploads.get(meta["id"], b""))})
        channel = str(params.get("channel_id") or "")
        return {"ok": True, "files": shared}, _owner(channel)


_METHODS: dict[str, Callable[[SlackStandIn, dict[str, Any]], tuple[dict[str, Any], str | None]]] = {
    "auth.test": SlackStandIn._auth_test,
    "chat.postMessage": SlackStandIn._post_message,
    "chat.update": SlackStandIn._update_message,
    "chat.postEphemeral": SlackStandIn._post_ephemeral,
    "views.open": SlackStandIn._open_view,
    "views.push": SlackStandIn._open_view,
    "views.update": SlackStandIn._update_view,
    "views.publish": SlackStandIn._publish_view,
    "conversations.open": SlackStandIn._open_conversation,
    "conversations.history": SlackStandIn._history,
    "conversations.replies": SlackStandIn._history,
    "users.info": SlackStandIn._user_info,
    "users.lookupByEmail": SlackStandIn._lookup_by_email,
    "files.getUploadURLExternal": SlackStandIn._upload_url,
    "files.completeUploadExternal": SlackStandIn._complete_upload,
}


def _dm_channel(channel: str) -> str:
    """A post to a user id lands in the app's DM with them, as on Slack."""
    return "D" + channel if channel[:1] in ("U", "W") else channel


def _owner(channel: str) -> str | None:
    return channel[1:] if channel.startswith("D") else None


def _user(member: Member) -> dict[str, Any]:
    return {
        "id": member.slack_id,
        "team_id": TEAM_ID,
        "name": member.name.lower().replace(" ", "."),
        "real_name": member.name,
        "tz": member.timezone,
        "deleted": False,
        "is_bot": False,
        "profile": {
            "real_name": member.name,
            "display_name": member.name.split(" ")[0],
            "email": member.email,
        },
    }


def _decode(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    text = body.decode("utf-8", "replace")
    if content_type.startswith("application/json") and text.strip():
        loaded = json.loads(text)
        params.update(loaded if isinstance(loaded, dict) else {})
    elif content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(text, keep_blank_values=True))
    for key in JSON_FIELDS:
        value = params.get(key)
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            params[key] = json.loads(value)
    return params


def _handler_for(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                status, answer = standin.serve(
                    split.path, split.query, body, self.headers.get("Content-Type", "")
                )
            except ValueError:
                status, answer = 200, b'{"ok": false, "error": "invalid_arguments"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet: the demo prints what people see, not the HTTP log."""

    return Handler
