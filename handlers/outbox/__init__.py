"""The outbox's Slack side: the sender that delivers its messages and the failure notice."""
