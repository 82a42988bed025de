"""The demo's story: one candidate through every stage, driven as Slack would drive the bot.

Each step is a signed request to /slack/events (an App Home visit, a slash command, a button, a
modal submitted), or time passing: the clock jumps ahead and the scheduler's jobs run, as the
worker would run them. After each step the narrator tells what everyone then sees in Slack.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from datetime import time as time_of_day
from typing import Any

from bot.app.demo import cast
from bot.app.demo.clock import AcceleratedClock
from bot.app.demo.forms import Answer, filled, find_element
from bot.app.demo.narrator import Narrator
from bot.app.demo.records import Booked, booked
from bot.app.demo.slack_side import SlackSide
from bot.app.demo.slack_standin import Call, SlackStandIn
from bot.app.jobs import JOBS
from bot.container import Container

ROLE_KEY = "lead-backend-developer"
DIGEST_CHECK = time_of_day(9, 0, 30)
MAX_BOOKING_TRIES = 3
BOOKED, PROPOSALS = "Interview booked", "Pick a time"
# How long without a call to Slack means the bot's listeners are done.
QUIET = 0.05
OUTBOX_WAIT = 5.0


class DemoFailed(Exception):
    """The bot did not do what the story expects (the message says what)."""


class Story:
    def __init__(
        self,
        container: Container,
        standin: SlackStandIn,
        slack: SlackSide,
        clock: AcceleratedClock,
        narrator: Narrator,
    ) -> None:
        self.container = container
        self.standin = standin
        self.slack = slack
        self.clock = clock
        self.say = narrator
        self._seen = 0
        self.chart: bytes | None = None

    # ------------------------------------------------------------------ plumbing

    def _step(self, text: str) -> None:
        self.say.step(self.clock.now(), text)

    def _await(
        self,
        method: str,
        user: str,
        where: Callable[[Call], bool] = lambda c: True,
        since: int | None = None,
    ) -> Call:
        """The first such call since the last step (or since call number `since`)."""

        def wanted(call: Call) -> bool:
            return call.method == method and call.user == user and where(call)

        try:
            return self.standin.wait_for(wanted, start=self._seen if since is None else since)
        except TimeoutError as error:
            raise DemoFailed(f"expected a {method} for {user}, none came") from error

    def _flush(self, settle: bool = True) -> list[Call]:
        """Tell what the bot did since the last step, once it is done (the jobs' work is done
        when they return; listeners go on after the answer to Slack)."""
        if settle:
            self._settle()
        calls = self.standin.calls(self._seen)
        self._seen += len(calls)
        self.say.calls(calls)
        return calls

    def _skip(self) -> None:
        self._settle()
        self._seen = self.standin.count()

    def _settle(self) -> None:
        """No call to Slack for a moment, and nothing left in the outbox to deliver."""
        self.standin.settle(QUIET)
        deadline = time.monotonic() + OUTBOX_WAIT
        waited = False
        while time.monotonic() < deadline:
            with self.container.unit_of_work() as uow:
                waiting, _ = uow.outbox.undelivered()
            if not waiting:
                break
            waited = True
            time.sleep(0.01)
        if waited:
            self.standin.settle(QUIET)

    def _find(self, blocks: list[dict[str, Any]], action_id: str) -> tuple[str, dict[str, Any]]:
        found = find_element(blocks, action_id)
        if found is None:
            raise DemoFailed(f"no {action_id} element where the story expects one")
        return found

    def _submit(self, user: str, view: dict[str, Any], answers: Mapping[str, Answer]) -> None:
        answer = self.slack.submit(user, view, filled(view, answers))
        if answer.get("response_action") == "errors":
            raise DemoFailed(f"the form was refused: {answer.get('errors')}")
        self.say.answer(user, answer)

    # ------------------------------------------------------------------ the team

    def set_up_team(self) -> None:
        admin = cast.ADMIN.slack_id
        self.say.heading("The team")
        self._step(f"{self.say.who(admin)}, the admin named in ADMIN_SLACK_IDS, opens the App Home")
        self.slack.event({"type": "app_home_opened", "user": admin, "channel": "D" + admin})
        home = self._await("views.publish", admin).answer["view"]
        self._flush()
        for index, person in enumerate(cast.TEAM):
            self._enrol(home, person, tell_all=index == 0)

    def _enrol(self, home: dict[str, Any], person: cast.Colleague, tell_all: bool) -> None:
        """The admin sets someone's roles and pools in the team modal; told in full once."""
        admin = cast.ADMIN.slack_id
        roles = ", ".join(role.replace("_", " ") for role in person.roles)
        self._step(
            f"{self.say.name(admin)} presses [Manage team], picks {person.name} and ticks "
            f"{roles}; interviews for: {', '.join(person.pools) or 'nothing'}"
        )
        block_id, button = self._find(home["blocks"], "manage_team")
        self.slack.click_in_view(admin, home, button, block_id)
        modal = self._await("views.open", admin).answer["view"]
        block_id, picker = self._find(modal["blocks"], "team_person")
        self.slack.click_in_view(admin, modal, picker, block_id, selected_user=person.slack_id)
        form = self._await("views.update", admin).answer["view"]
        if tell_all:
            self._flush()
        else:
            self._skip()
        answer = self.slack.submit(
            admin, form, filled(form, {"roles": list(person.roles), "pools": list(person.pools)})
        )
        if answer.get("response_action") == "errors":
            raise DemoFailed(f"the team modal was refused: {answer.get('errors')}")
        saved = self._await("views.update", admin, lambda c: "Saved" in json.dumps(c.params))
        if tell_all:
            self.say.answer(admin, answer)
            self._flush()
        else:
            self._skip()
            self.say.brief = True
            self.say.calls([saved])
            self.say.brief = False

    # ------------------------------------------------------------------ scheduling

    def open_scheduling(self) -> dict[str, Any]:
        recruiter = cast.HANNA.slack_id
        self._step(f"{self.say.who(recruiter)} types /schedule-interview in #hiring")
        self.say.answer(recruiter, self.slack.command(recruiter, "/schedule-interview"))
        modal: dict[str, Any] = self._await("views.open", recruiter).answer["view"]
        self._flush()
        return modal

    def book(self, user: str, modal: dict[str, Any], answers: Mapping[str, Answer]) -> Booked:
        """Submit the scheduling modal, then book the first time proposed."""
        typed = ", ".join(f"{v}" for v in answers.values() if v)
        filling = f"types {typed}" if typed else "keeps what the bot prefilled"
        self._step(f"{self.say.name(user)} {filling} and presses [Find times]")
        self._submit(user, modal, answers)
        view = self._proposals(user, modal["id"])
        for _ in range(MAX_BOOKING_TRIES):
            block_id, button = self._find(view["blocks"], "book_slot")
            self._step(f"{self.say.name(user)} presses [Book] on the first time proposed")
            self.slack.click_in_view(user, view, button, block_id)
            outcome = self._await("views.update", user, lambda c: _titled(c, BOOKED, PROPOSALS))
            view = outcome.answer["view"]
            if _title(view) == BOOKED:
                self._await("chat.postMessage", user, lambda c: _text(c).startswith("Booked"))
                self._flush()
                return self._latest_booking()
            self._flush()
        raise DemoFailed("no proposed time could be booked")

    def _proposals(self, user: str, view_id: str) -> dict[str, Any]:
        call = self._await(
            "views.update",
            user,
            lambda c: c.params.get("view_id") == view_id and "book_slot" in json.dumps(c.params),
        )
        self._flush()
        view: dict[str, Any] = call.answer["view"]
        return view

    def _latest_booking(self) -> Booked:
        interviews = booked(self.container, cast.CANDIDATE_EMAIL)
        if not interviews:
            raise DemoFailed("the booking is not in the database")
        return max(interviews, key=lambda b: b.interview_id)

    # ------------------------------------------------------------------ time passing

    def pass_time(self, until: datetime) -> None:
        """Jump to `until`, running the scheduler's jobs each morning on the way, as it would."""
        zone = self.container.settings.zone
        local = self.clock.now().astimezone(zone)
        morning = datetime.combine(local.date(), DIGEST_CHECK, tzinfo=zone)
        if morning <= local:
            morning += timedelta(days=1)
        while morning < until:
            self.run_jobs(morning, "the morning's jobs run")
            morning += timedelta(days=1)
        self.run_jobs(until, "the scheduler's jobs run")

    def run_jobs(self, at: datetime, what: str) -> list[Call]:
        self.clock.jump_to(at)
        for job in JOBS:
            job.run(self.container)
        if self.standin.count() > self._seen:
            self._step(what)
        return self._flush(settle=False)

    def next_morning_digest(self) -> None:
        """The next working morning: the digest, told in full, and its chart kept."""
        zone = self.container.settings.zone
        day = self.clock.now().astimezone(zone).date()
        self.say.full_digest = True
        for _ in range(7):
            day += timedelta(days=1)
            morning = datetime.combine(day, DIGEST_CHECK, tzinfo=zone)
            calls = self.run_jobs(morning, "the morning's jobs run: the daily digest goes out")
            uploads = [c for c in calls if c.method == "files.completeUploadExternal"]
            if uploads:
                file_id = str(uploads[-1].answer["files"][0]["id"])
                self.chart = self.standin.uploads.get(file_id)
                return
        raise DemoFailed("no digest with a chart came in a week")

    # ------------------------------------------------------------------ interviews and feedback

    def hold(self, interview: Booked) -> None:
        zone = self.container.settings.zone
        start, end = interview.starts_at.astimezone(zone), interview.ends_at.astimezone(zone)
        self.pass_time(interview.starts_at)
        self._step(f"{interview.stage.name} takes place, {start:%H:%M}-{end:%H:%M}")
        self.pass_time(interview.ends_at + timedelta(minutes=6))

    def collect_feedback(self, interview: Booked) -> None:
        for slack_id, opinion in cast.OPINIONS[interview.stage.key].items():
            self.clock.advance(timedelta(minutes=25))
            self._give_feedback(slack_id, interview, opinion)

    def _give_feedback(self, user: str, interview: Booked, opinion: cast.Opinion) -> None:
        request = self._request_dm(user, interview.interview_id)
        channel, ts = str(request.answer["channel"]), str(request.answer["ts"])
        message = self.standin.message(channel, ts)
        self._step(f"{self.say.name(user)} presses [Give feedback] in the DM")
        block_id, button = self._find(message.get("blocks", []), "open_scorecard")
        self.slack.click_in_message(user, channel, message, button, block_id)
        modal = self._await("views.open", user).answer["view"]
        self._flush()
        answers, told = _scorecard_answers(modal, opinion)
        self._step(f"{self.say.name(user)} submits: {told}")
        self._submit(user, modal, answers)
        self._flush()

    def _request_dm(self, user: str, interview_id: int) -> Call:
        requests = [
            c
            for c in self.standin.calls()
            if c.method == "chat.postMessage"
            and c.user == user
            and f'"value": "{interview_id}"' in json.dumps(c.params.get("blocks"))
            and "open_scorecard" in json.dumps(c.params.get("blocks"))
        ]
        if not requests:
            raise DemoFailed(f"{user} was not asked for feedback")
        return requests[-1]

    # ------------------------------------------------------------------ decisions

    def decide(self, user: str, interview: Booked) -> dict[str, Any] | None:
        """Press the decision card's first button (advance, or hire after the last stage);
        returns the scheduling modal it opens for the next stage, if any."""
        card = self._await(
            "chat.postMessage",
            user,
            lambda c: (
                _text(c).startswith("Decision needed")
                and f'"value": "{interview.interview_id}"' in json.dumps(c.params.get("blocks"))
            ),
            since=0,
        )
        self.clock.advance(timedelta(minutes=40))
        self._flush()
        channel, ts = str(card.answer["channel"]), str(card.answer["ts"])
        message = self.standin.message(channel, ts)
        block_id, button = self._find(message.get("blocks", []), "decision_advance")
        label = str(button["text"]["text"])
        self._step(f"{self.say.name(user)} presses [{label}] on the decision message")
        self.slack.click_in_message(user, channel, message, button, block_id)
        self._await("chat.update", user, lambda c: _text(c).startswith("Decided"))
        if label == "Hire":
            self._flush()
            return None
        modal: dict[str, Any] = self._await("views.open", user).answer["view"]
        self._flush()
        return modal


def _text(call: Call) -> str:
    return str(call.params.get("text", ""))


def _title(view: Mapping[str, Any]) -> str:
    return str((view.get("title") or {}).get("text", ""))


def _titled(call: Call, *titles: str) -> bool:
    view = call.params.get("view")
    return isinstance(view, dict) and _title(view) in titles


def _scorecard_answers(
    modal: Mapping[str, Any], opinion: cast.Opinion
) -> tuple[dict[str, Answer], str]:
    """The interviewer's answers to the scorecard the bot showed, and how the demo tells them."""
    answers: dict[str, Answer] = {
        "recommendation": opinion.recommendation,
        "summary": opinion.summary,
    }
    told = []
    for block in modal.get("blocks", []):
        block_id = str(block.get("block_id", ""))
        if block_id.startswith("rating:"):
            key = block_id.removeprefix("rating:")
            answers[block_id] = opinion.ratings.get(key, "3")
            told.append(f"{block['label']['text']} {answers[block_id]}")
            if key in opinion.notes:
                answers[f"note:{key}"] = opinion.notes[key]
    recommendation = opinion.recommendation.replace("_", " ").capitalize()
    return answers, f"{', '.join(told)}; {recommendation}: “{opinion.summary}”"
