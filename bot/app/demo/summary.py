"""The demo's closing summary: what happened, from the database and the Slack calls."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app.demo.records import Outcome
from bot.app.demo.slack_standin import Call


@dataclass
class Figures:
    outcome: Outcome
    calls: list[Call]
    requests: int
    """Signed requests the demo posted to /slack/events."""
    chart: Path
    started_at: datetime
    ended_at: datetime
    wall_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def summary_lines(figures: Figures, zone: ZoneInfo, name: Callable[[str], str]) -> list[str]:
    """The summary; `name` turns a Slack id into the person's name."""
    result = figures.outcome
    interviews = result.interviews
    methods = Counter(call.method for call in figures.calls if call.answer.get("ok", True))
    decisions = Counter(i.decision for i in interviews if i.decision)
    start, end = figures.started_at.astimezone(zone), figures.ended_at.astimezone(zone)
    lines = [
        "",
        "━━━ Summary " + "━" * 66,
        f"Candidate          {result.candidate} <{result.email}>, {result.role}: {result.status}",
        "Stages",
    ]
    for number, interview in enumerate(interviews, start=1):
        when = interview.starts_at.astimezone(zone)
        decided = (
            f"{interview.decision} by {name(interview.decided_by or '')}"
            if interview.decision
            else "no decision"
        )
        lines.append(
            f"  {number}. {interview.stage.name:<26} {when:%a %d %b %H:%M}  "
            f"{interview.events} event(s), {interview.scorecards} scorecard(s), {decided}"
        )
    views = sum(methods[m] for m in ("views.open", "views.update", "views.push"))
    digests = sum(1 for call in figures.calls if _is_digest(call))
    lines += [
        f"Interviews booked  {len(interviews)} "
        f"({sum(i.events for i in interviews)} calendar events)",
        f"Scorecards         {sum(i.scorecards for i in interviews)}",
        f"Decisions          {sum(decisions.values())} "
        f"({', '.join(f'{n} {d}' for d, n in sorted(decisions.items()))})",
        f"Slack              {figures.requests} signed requests to /slack/events; "
        f"{methods['chat.postMessage']} messages sent, {methods['chat.update']} updated in place, "
        f"{views} modal views, {methods['views.publish']} App Home, "
        f"{digests} morning digests with {methods['files.completeUploadExternal']} charts",
        f"Digest chart       {figures.chart} ({figures.chart.stat().st_size:,} bytes)",
        f"Simulated time     {start:%a %d %b %H:%M} to {end:%a %d %b %H:%M} "
        f"({(end - start).days} days)",
        f"Wall time          {figures.wall_seconds:.1f} s",
    ]
    if figures.warnings:
        lines.append(f"Bot warnings       {len(figures.warnings)}:")
        lines += [f"  {message}" for message in figures.warnings]
    return lines


def _is_digest(call: Call) -> bool:
    metadata = call.params.get("metadata") if call.method == "chat.postMessage" else None
    payload = metadata.get("event_payload") if isinstance(metadata, dict) else None
    return isinstance(payload, dict) and str(payload.get("key", "")).startswith("digest:")
