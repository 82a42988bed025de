"""Telling the demo: what each person does, and what they then see in Slack, as text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.app.demo.cast import Colleague
from bot.app.demo.render import Renderer
from bot.app.demo.slack_standin import Call
from handlers.feedback.scorecard_modal import SCORECARD_CALLBACK_ID

# Calls nobody sees: the bot asking Slack things, or preparing an upload.
_BEHIND_THE_SCENES = {
    "auth.test",
    "users.info",
    "users.lookupByEmail",
    "conversations.open",
    "conversations.history",
    "conversations.replies",
    "files.getUploadURLExternal",
}
_BAR = "│ "


class Narrator:
    def __init__(self, out: TextIO, team: Iterable[Colleague], zone: ZoneInfo) -> None:
        self._out = out
        self._team = {person.slack_id: person for person in team}
        self._zone = zone
        self.render = Renderer({k: v.first_name for k, v in self._team.items()}, zone)
        self.brief = False
        """One line per thing seen (the team set-up, the mornings' digests)."""
        self.full_digest = False

    def line(self, text: str = "") -> None:
        try:
            print(text, file=self._out)
        except UnicodeEncodeError:  # a terminal that cannot show "│" or "→"
            encoding = getattr(self._out, "encoding", None) or "ascii"
            print(text.encode(encoding, "replace").decode(encoding), file=self._out)

    def heading(self, text: str) -> None:
        self.line()
        self.line(f"━━━ {text} " + "━" * max(3, 72 - len(text)))

    def step(self, now: datetime, text: str) -> None:
        self.line(f"{now.astimezone(self._zone):%a %d %b %H:%M}  {text}")

    def who(self, slack_id: str | None) -> str:
        person = self._team.get(slack_id or "")
        return f"{person.first_name} ({person.title})" if person else (slack_id or "someone")

    def name(self, slack_id: str) -> str:
        person = self._team.get(slack_id)
        return person.first_name if person else slack_id

    # ------------------------------------------------------------------ what people see

    def answer(self, user: str, answer: Mapping[str, Any]) -> None:
        """The bot's direct answer to a request (a modal's next view, errors, an ephemeral)."""
        action = answer.get("response_action")
        if action in ("update", "push") and isinstance(answer.get("view"), dict):
            self._show([user], "the modal change to", self._view(answer["view"]))
        elif action == "errors":
            self._show([user], "errors on the form", [str(answer.get("errors") or {})])
        elif answer.get("text") or answer.get("blocks"):
            self._show([user], "a private reply", self.render.message(answer))

    def calls(self, calls: Iterable[Call]) -> None:
        """What the calls showed people; the same thing shown to several people is told once."""
        told: list[tuple[list[str], str, list[str]]] = []
        for call in calls:
            seen = self._seen(call)
            if seen is None:
                continue
            what, lines = seen
            last = told[-1] if told else None
            if last is not None and (last[1], last[2]) == (what, lines):
                last[0].append(call.user or "")
            else:
                told.append(([call.user or ""], what, lines))
        for users, what, lines in told:
            self._show(users, what, lines)

    def _seen(self, call: Call) -> tuple[str, list[str]] | None:
        params = call.params
        if call.method in _BEHIND_THE_SCENES or not call.answer.get("ok", True):
            return None
        if call.method == "chat.postMessage":
            what = "a reply in the DM's thread" if params.get("thread_ts") else "a new DM"
            return what, self._message(params)
        if call.method == "chat.update":
            return "their DM updated in place", self._message(params)
        if call.method in ("chat.postEphemeral", "response_url"):
            return "a private reply", self.render.message(params)
        if call.method in ("views.open", "views.push"):
            return "a modal", self._view(params.get("view") or {})
        if call.method == "views.update":
            return "the modal change to", self._view(params.get("view") or {})
        if call.method == "views.publish":
            return "the bot's App Home tab", self._view(params.get("view") or {})
        if call.method == "files.completeUploadExternal":
            shared = call.answer.get("files") or [{}]
            size = sum(int(f.get("size") or 0) for f in shared)
            title = shared[0].get("title", "a file")
            return "a file in the thread", [f"[image: {title}, {size:,} bytes]"]
        return None

    def _message(self, params: Mapping[str, Any]) -> list[str]:
        key = str(((params.get("metadata") or {}).get("event_payload") or {}).get("key", ""))
        if key.startswith("digest:") and not self.full_digest:
            return [self.render.text(str(params.get("text", "")))]
        return self.render.message(params)

    def _view(self, view: Mapping[str, Any]) -> list[str]:
        title = self.render.plain(view.get("title")) or "App Home"
        if view.get("callback_id") == SCORECARD_CALLBACK_ID:
            return [f"«{title}»", *self._scorecard_form(view)]
        return [f"«{title}»", *self.render.view(view)]

    def _scorecard_form(self, view: Mapping[str, Any]) -> list[str]:
        """The scorecard's questions in a few lines rather than two inputs each."""
        blocks = view.get("blocks", [])
        head = [line for b in blocks if b.get("type") == "section" for line in self.render.block(b)]
        rated = [
            self.render.plain(b.get("label"))
            for b in blocks
            if str(b.get("block_id", "")).startswith("rating:")
        ]
        return [
            *head,
            "Rate 1-4, each with an optional note: " + "; ".join(rated),
            "Overall recommendation: ( ) Strong no ( ) No ( ) Yes ( ) Strong yes",
            "Summary: ____",
            f"[Cancel] [{self.render.plain(view.get('submit'))}]",
        ]

    def _show(self, users: list[str], what: str, lines: list[str]) -> None:
        people = [self.who(user) for user in users]
        if len(people) == 1:
            title = f"{people[0]} sees {what}"
        else:
            title = f"{', '.join(people[:-1])} and {people[-1]} each see {what}"
        if self.brief:
            content = " / ".join(line.strip() for line in lines[1:3] if line.strip())
            self.line(f"      {title}: {content or (lines[0] if lines else '')}")
            return
        self.line(f"      {title}:")
        for line in lines:
            self.line(f"        {_BAR}{line}")
