"""The digest's Slack side: /hiring-digest, and the morning job's Slack outbox."""
