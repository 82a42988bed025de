"""Let the candidate choose: from the proposals, a modal that makes the candidate's link,
emails it (when SMTP is set up) and shows it to the recruiter to copy.

Refusals (someone who may not schedule, an unknown request, links not set up) are checked
before Slack is answered, so they come back as an error next to the language; the email is
sent after the answer (the modal shows "working…" meanwhile)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.candidate_links.service import LINKS_NOT_SET_UP, CandidateLink, LinkRecipient
from bot.container import Container
from bot.scheduling.service import TEMPORARY_PROBLEM, NotAvailable, SchedulingError
from bot.team.people import NOT_AVAILABLE
from handlers.scheduling.book import REQUEST_UID
from handlers.shared.after_answer import acknowledged_click, after_answer
from handlers.shared.blocks import Block, context, option, plain, section, slack_time
from handlers.shared.context import services
from handlers.shared.replies import MISPLACED, clicked_view_id, reply_privately
from handlers.shared.state import selected_value, state_values
from handlers.shared.text import escape

log = logging.getLogger(__name__)

CANDIDATE_LINK_CALLBACK = "candidate_link"
LANGUAGE = "language"
LANGUAGES = (("fr", "Français"), ("en", "English"))
TITLE = "Candidate's link"
PICK_A_LANGUAGE = "Pick French or English for the candidate's link."


def _modal(blocks: list[Block], **extra: Any) -> dict[str, Any]:
    view = {"type": "modal", "title": plain(TITLE), "close": plain("Close"), "blocks": blocks}
    return view | extra


def link_form(request_uid: str, recipient: LinkRecipient, emails: bool) -> dict[str, Any]:
    how = (
        f"The link will be emailed to {escape(recipient.email)}, and shown here to copy."
        if emails
        else "No email is set up (SMTP_URL): the link will be shown here, to copy and send."
    )
    french = option("Français", "fr")
    language = {
        "type": "input",
        "block_id": LANGUAGE,
        "label": plain("Language of the email and page"),
        "element": {
            "type": "radio_buttons",
            "action_id": LANGUAGE,
            "options": [option(label, value) for value, label in LANGUAGES],
            "initial_option": french,
        },
    }
    blocks = [
        section(f"*{escape(recipient.name)}* <{escape(recipient.email)}>"),
        language,
        context(how),
    ]
    return _modal(
        blocks,
        callback_id=CANDIDATE_LINK_CALLBACK,
        submit=plain("Make the link"),
        private_metadata=request_uid,
    )


def link_view(link: CandidateLink, recipient: LinkRecipient) -> dict[str, Any]:
    if link.emailed:
        sent = f":email: Emailed to {escape(recipient.email)}."
    elif link.mail_error:
        sent = f":warning: Not emailed: {escape(link.mail_error)}. Send the link yourself."
    else:
        sent = "Not emailed: no mail server is set up (SMTP_URL). Send the link yourself."
    blocks = [
        section(f"Link for *{escape(recipient.name)}*, valid until {_until(link.expires_at)}:"),
        section(f"```{link.url}```"),
        context(sent),
    ]
    return _modal(blocks)


def _until(moment: datetime) -> str:
    return slack_time(moment, tokens="{date_long_pretty} {time}")


def _refused_view(message: str) -> dict[str, Any]:
    return _modal([section(f":x: {escape(message)}")])


# -- the button -----------------------------------------------------------------------------


def _open(
    container: Container,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
) -> None:
    user, trigger = body["user"]["id"], str(body.get("trigger_id") or "")
    if clicked_view_id(body) is None:  # the button is only ever shown in the scheduling modal
        reply_privately(client, respond, user, MISPLACED)
        return
    request_uid = action.get("value")
    if not isinstance(request_uid, str) or not REQUEST_UID.fullmatch(request_uid):
        client.views_push(trigger_id=trigger, view=_refused_view(NOT_AVAILABLE))
        return
    links = container.candidate_links
    try:
        recipient = links.recipient(user, request_uid)
    except NotAvailable as refused:
        client.views_push(trigger_id=trigger, view=_refused_view(str(refused)))
        return
    view = link_form(request_uid, recipient, links.emails_enabled)
    client.views_push(trigger_id=trigger, view=view)


open_candidate_link = acknowledged_click(_open)


# -- the submission -------------------------------------------------------------------------


def submit_candidate_link(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    container, user = services(context), context.user_id or ""
    request_uid = str(view.get("private_metadata") or "")
    language = selected_value(state_values(view), LANGUAGE) or ""
    links = container.candidate_links
    try:
        recipient = _checked(container, user, request_uid, language)
        if not links.emails_enabled:  # quick: answer with the link itself
            link = links.create(user, request_uid, language)
            ack(response_action="update", view=link_view(link, recipient))
            return
    except SchedulingError as refused:  # NotAvailable is one
        ack(response_action="errors", errors={LANGUAGE: str(refused)})
        return
    except Exception:  # the database...: an answer next to the field, to submit again
        log.exception("could not make a candidate link for request %s", request_uid)
        ack(response_action="errors", errors={LANGUAGE: TEMPORARY_PROBLEM})
        return
    working = _modal([section(":hourglass_flowing_sand: Making the link and emailing it…")])
    ack(response_action="update", view=working)
    view_id = str(view.get("id") or "")
    after_answer(
        context,
        lambda: _make_and_show(container, client, view_id, user, request_uid, language, recipient),
    )


def _checked(container: Container, user: str, request_uid: str, language: str) -> LinkRecipient:
    """The link's recipient, for a request we could make a link to; raises SchedulingError."""
    if language not in dict(LANGUAGES):
        raise SchedulingError(PICK_A_LANGUAGE)
    if not REQUEST_UID.fullmatch(request_uid):
        raise NotAvailable(NOT_AVAILABLE)
    recipient = container.candidate_links.recipient(user, request_uid)
    if not container.candidate_links.links_enabled:
        raise SchedulingError(LINKS_NOT_SET_UP)
    return recipient


def _make_and_show(
    container: Container,
    client: WebClient,
    view_id: str,
    user: str,
    request_uid: str,
    language: str,
    recipient: LinkRecipient,
) -> None:
    try:
        link = container.candidate_links.create(user, request_uid, language)
    except SchedulingError as refused:
        client.views_update(view_id=view_id, view=_refused_view(str(refused)))
        return
    except Exception:
        log.exception("could not make a candidate link for request %s", request_uid)
        client.views_update(view_id=view_id, view=_refused_view(TEMPORARY_PROBLEM))
        return
    client.views_update(view_id=view_id, view=link_view(link, recipient))
