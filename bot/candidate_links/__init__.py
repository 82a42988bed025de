"""Candidates' own scheduling links: signed, expiring tokens naming one scheduling request, the
times they may pick (read live), booking and cancelling through the scheduling service, and the
emails (invitation, confirmation with an .ics) through the Mailer port."""
