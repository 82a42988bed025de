"""`interview-bot demo`: the real bot, offline, takes one candidate through the whole loop.

The demo writes its SQLite database next to the chart, so what it tells is checked against what
the bot stored: four stages booked, every scorecard, the decisions, the digest's PNG.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bot.app.demo import run_demo
from bot.app.demo.render import Renderer
from models import (
    Candidate,
    CandidateStatus,
    DigestDelivery,
    Feedback,
    Interview,
    InterviewEvent,
    InterviewParticipant,
    LocalCalendarEvent,
    ParticipantKind,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STAGES = ("HR screening", "Hiring manager interview", "Technical test", "Onsite")


def _stored(folder: Path) -> dict[str, object]:
    """What the demo's database holds about the loop."""
    engine = create_engine(f"sqlite:///{folder / 'demo.db'}")
    try:
        with Session(engine) as s:
            interviews = s.scalars(select(Interview).order_by(Interview.starts_at)).all()
            per_interview = []
            for interview in interviews:
                interviewers = set(
                    s.scalars(
                        select(InterviewParticipant.person_id)
                        .join(InterviewEvent)
                        .where(
                            InterviewEvent.interview_id == interview.id,
                            InterviewParticipant.kind == ParticipantKind.INTERVIEWER,
                        )
                    )
                )
                authors = set(
                    s.scalars(
                        select(Feedback.interviewer_id).where(
                            Feedback.interview_id == interview.id, Feedback.is_current.is_(True)
                        )
                    )
                )
                per_interview.append(
                    (
                        interview.stage.name,
                        len(interview.events),
                        len(interviewers),
                        authors == interviewers,
                        interview.decision.value if interview.decision else None,
                    )
                )
            candidate = s.scalars(select(Candidate)).one()
            return {
                "interviews": per_interview,
                "candidate": (candidate.name, candidate.status),
                "calendar_events": s.scalar(select(func.count()).select_from(LocalCalendarEvent)),
                "digest_days": s.scalar(select(func.count()).select_from(DigestDelivery)),
            }
    finally:
        engine.dispose()


def test_the_demo_takes_one_candidate_through_every_stage_to_a_hire(tmp_path: Path) -> None:
    told = io.StringIO()
    started = time.monotonic()
    assert run_demo(tmp_path, out=told) == 0
    assert time.monotonic() - started < 60
    stored = _stored(tmp_path)
    assert stored["interviews"] == [
        ("HR screening", 1, 1, True, "advance"),
        ("Hiring manager interview", 1, 1, True, "advance"),
        ("Technical test", 1, 2, True, "advance"),
        ("Onsite", 3, 3, True, "hire"),
    ]
    assert stored["candidate"] == ("Ada Lovelace", CandidateStatus.HIRED)
    assert stored["calendar_events"] == 6
    assert isinstance(stored["digest_days"], int) and stored["digest_days"] >= 1
    assert (tmp_path / "digest.png").read_bytes().startswith(PNG_SIGNATURE)

    text = told.getvalue()
    for number, stage in enumerate(STAGES, start=1):
        assert f"Stage {number} of 4: {stage}" in text
        assert f"{stage} takes place" in text
    for seen in (
        "Hanna (recruiter) sees the bot's App Home tab",
        "Hanna (recruiter) sees a modal",
        "«Pick a time»",
        "Grace (backend engineer) and Linus (backend engineer) each see a new DM",
        "[Give feedback]",
        "Interviewers differ by 2 points or more on: Event flows and reliability",
        "Hugo presses [Hire] on the decision message",
        "*Decision:* hire by @Hugo",
        "Margaret (Head of Engineering) sees a new DM",
        "HIRING DIGEST",
        "[image: Hiring funnel",
    ):
        assert seen in text, seen
    summary = text[text.index("━━━ Summary") :]
    for line in (
        "Ada Lovelace <ada.lovelace@example.com>, Lead Backend Developer: hired",
        "Interviews booked  4 (6 calendar events)",
        "Scorecards         7",
        "Decisions          4 (3 advance, 1 hire)",
        f"Digest chart       {tmp_path / 'digest.png'}",
        "Wall time",
    ):
        assert line in summary, line
    assert "Bot warnings" not in summary  # the loop ran without a warning or error logged


def test_interview_bot_demo_runs_as_a_process_and_saves_the_chart(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("interview-bot")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SLACK_", "GOOGLE_", "DATABASE_", "DIGEST_"))
    }
    output = tmp_path / "out"
    done = subprocess.run(
        [*command, "demo", "--output-dir", str(output)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Stage 4 of 4: Onsite" in done.stdout
    assert "Lead Backend Developer: hired" in done.stdout
    assert (output / "digest.png").read_bytes().startswith(PNG_SIGNATURE)
    assert (output / "demo.db").exists()


def test_block_kit_reads_as_text_with_names_local_times_and_buttons() -> None:
    from zoneinfo import ZoneInfo

    render = Renderer({"U_HANNA": "Hanna"}, ZoneInfo("Europe/Paris"))
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Digest"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "<@U_HANNA> at <!date^1764662400^{date_short_pretty} {time}|x> &amp; "
                "<https://meet.example/a|Join>",
            },
            "accessory": {
                "type": "button",
                "text": {"type": "plain_text", "text": "Book"},
                "action_id": "book_slot",
            },
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "small print"}]},
        {"type": "divider"},
    ]
    assert render.blocks(blocks) == [
        "DIGEST",
        "@Hanna at Tue 02 Dec 09:00 & Join (https://meet.example/a)  [Book]",
        "  small print",
        "─" * 40,
    ]
