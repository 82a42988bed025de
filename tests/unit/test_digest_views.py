"""The digest's Block Kit and its chart, built from plain data."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from bot.digest.model import (
    AwaitingDecision,
    Digest,
    FunnelStep,
    InterviewerLoad,
    Listing,
    Opinion,
    OverdueFeedback,
    ReceivedFeedback,
    RoleFunnel,
    RolePipeline,
    StageCount,
    TodayInterview,
    listing,
)
from handlers.digest.chart import funnel_alt_text, funnel_chart_png
from handlers.digest.messages import digest_ephemeral, digest_message, digest_refusal
from handlers.digest.text import escape, hours_and_minutes, short_duration
from models import Recommendation

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FUNNEL = (
    RoleFunnel(
        "Lead Backend Developer",
        (FunnelStep("HR screening", 6), FunnelStep("Onsite", 1)),
    ),
)


def _digest(**parts: Any) -> Digest:
    empty: dict[str, Any] = {
        "interviews_today": Listing((), 0),
        "feedback_received": Listing((), 0),
        "overdue_feedback": Listing((), 0),
        "awaiting_decision": Listing((), 0),
        "pipeline": (),
        "load": Listing((), 0),
        "funnel": (),
    }
    empty.update(parts)
    return Digest(
        day=date(2026, 11, 24),
        generated_at=NOW,
        feedback_since=NOW - timedelta(days=1),
        **empty,
    )


def _full_digest() -> Digest:
    return _digest(
        interviews_today=listing(
            [TodayInterview(NOW + timedelta(hours=5), "Ada", "HR screening", ("U_HR", "U_ENG"))],
            10,
        ),
        feedback_received=listing(
            [
                ReceivedFeedback(
                    "Bob", "Hiring manager", (Opinion("U_ENG", Recommendation.STRONG_YES),)
                )
            ],
            10,
        ),
        overdue_feedback=Listing(
            (OverdueFeedback("U_ENG", "Cleo", "Technical test", timedelta(days=3, hours=20)),), 6
        ),
        awaiting_decision=listing(
            [
                AwaitingDecision(
                    "Dan",
                    "Onsite",
                    ((Recommendation.YES, 1), (Recommendation.STRONG_YES, 1)),
                    timedelta(days=3),
                    False,
                )
            ],
            10,
        ),
        pipeline=(
            RolePipeline(
                "Lead Backend Developer",
                (StageCount("HR screening", 2, 1.5), StageCount("Onsite", 0, None)),
            ),
        ),
        load=listing(
            [InterviewerLoad("U_ENG", 4, 210, 3), InterviewerLoad("U_HR", 1, 30, None)], 10
        ),
        funnel=FUNNEL,
    )


def _texts(message: dict[str, Any]) -> list[str]:
    return [block["text"]["text"] for block in message["blocks"] if block["type"] == "section"]


def test_a_day_with_nothing_says_so_in_one_line() -> None:
    message = digest_message(_digest())
    assert len(message["blocks"]) == 1
    assert "nothing today" in message["text"]
    assert "\n" not in message["blocks"][0]["text"]["text"]


def test_the_full_digest_has_every_section_in_order_between_dividers() -> None:
    message = digest_message(_full_digest(), chart_in_thread=True)
    blocks = message["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "Hiring digest · Tuesday 24 November",
            "emoji": True,
        },
    }
    assert blocks[-1]["type"] != "divider"
    titles = [text.split("\n")[0] for text in _texts(message)]
    assert [t for t in titles if t.startswith("*:")] == [
        "*:calendar: Today's interviews (1)*",
        titles[1],
        "*:hourglass: Overdue feedback (6)*",
        "*:scales: Waiting for a decision (1)*",
        "*:bar_chart: Pipeline (2 active candidates)*",
        "*:busts_in_silhouette: Interviews this week*",
        "*:chart_with_downwards_trend: Funnel, candidates of the last 30 days*",
    ]
    assert titles[1].startswith("*:inbox_tray: Feedback since <!date^")


def test_lines_use_date_tokens_mentions_and_short_durations() -> None:
    text = "\n".join(_texts(digest_message(_full_digest(), chart_in_thread=True)))
    at = int((NOW + timedelta(hours=5)).timestamp())
    assert f"• <!date^{at}^{{time}}|13:00 UTC> *Ada* · HR screening · <@U_HR> <@U_ENG>" in text
    assert "*Bob* · Hiring manager: <@U_ENG> strong yes" in text
    assert "<@U_ENG> for *Cleo* · Technical test – 3 d late" in text
    assert "_…and 5 more_" in text
    assert "*Dan* · Onsite: 1 strong yes, 1 yes – waiting 3 d" in text
    assert "HR screening: 2 · median 1.5 d" in text and "Onsite: 0" in text
    assert "<@U_ENG> 4 interviews · 3 h 30 · cap 3 :warning:" in text
    assert "Lead Backend Developer: HR screening 6 → Onsite 1" in text
    assert "The chart is in the thread." in text


def test_empty_sections_are_left_out() -> None:
    digest = _digest(load=listing([InterviewerLoad("U_HR", 1, 30, None)], 10))
    texts = _texts(digest_message(digest))
    assert len(texts) == 1 and texts[0].startswith("*:busts_in_silhouette:")


def test_fallback_text_gives_the_figures() -> None:
    text = digest_message(_full_digest())["text"]
    assert text == (
        "Hiring digest · Tuesday 24 November: 1 interview today, new feedback on 1 interview, "
        "6 overdue feedback, 1 waiting for a decision, 2 active candidates"
    )


def test_on_demand_digest_is_ephemeral_and_refusal_is_polite() -> None:
    assert digest_ephemeral(_full_digest())["response_type"] == "ephemeral"
    refusal = digest_refusal()
    assert refusal["response_type"] == "ephemeral"
    assert refusal["text"].startswith("Sorry, the hiring digest is for the Head of Engineering")


def test_names_are_escaped_for_mrkdwn() -> None:
    assert escape("<@U1> & co") == "&lt;@U1&gt; &amp; co"
    assert escape("x" * 100).endswith("…") and len(escape("x" * 100)) == 80


def test_durations_for_a_phone_screen() -> None:
    assert short_duration(timedelta(minutes=45)) == "45 min"
    assert short_duration(timedelta(hours=30)) == "30 h"
    assert short_duration(timedelta(days=3, hours=20)) == "3 d"
    assert hours_and_minutes(45) == "45 min"
    assert hours_and_minutes(120) == "2 h"


long_names = st.text(min_size=1, max_size=300)


@settings(max_examples=30)
@given(long_names, st.integers(min_value=0, max_value=500))
def test_any_digest_fits_slack_limits(name: str, total: int) -> None:
    items = [TodayInterview(NOW, name, name, tuple(f"U{i}" for i in range(8))) for _ in range(10)]
    overdue = [OverdueFeedback("U1", name, name, timedelta(days=2)) for _ in range(10)]
    roles = tuple(
        RolePipeline(name, tuple(StageCount(name, 3, 2.0) for _ in range(8))) for _ in range(20)
    )
    digest = _digest(
        interviews_today=listing(items, 10, max(total, 10)),
        overdue_feedback=listing(overdue, 10, max(total, 10)),
        pipeline=roles,
        funnel=(RoleFunnel(name, (FunnelStep(name, total + 1),)),),
    )
    message = digest_message(digest)
    assert message["text"]
    assert len(message["blocks"]) <= 50
    assert all(len(text) <= 3000 for text in _texts(message))


def test_funnel_chart_is_a_png() -> None:
    png = funnel_chart_png(FUNNEL, date(2026, 11, 24))
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 600


def test_funnel_chart_draws_several_roles() -> None:
    two_roles = FUNNEL + (RoleFunnel("Designer", (FunnelStep("Screening", 0),)),)
    assert funnel_chart_png(two_roles, date(2026, 11, 24)).startswith(PNG_SIGNATURE)
    assert funnel_alt_text(two_roles).endswith("Designer: Screening 0")
