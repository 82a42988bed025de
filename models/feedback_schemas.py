"""Pydantic schemas for feedback input crossing the Slack boundary."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ScorecardDraft(BaseModel):
    """What the scorecard modal submitted, as typed, before the rules are checked.

    `base_version` is the version the modal was opened on (0: first submission): submitting the
    same modal twice aims at the same new version, which is how a repeat is recognised.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    interview_id: int
    base_version: int = Field(ge=0)
    view_id: str = Field(min_length=1, max_length=64)
    ratings: dict[str, str | None] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    recommendation: str | None = None
    summary: str = ""
