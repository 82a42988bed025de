"""The calendar sync's Slack side: its notices (the job's notifier) and the replacement."""
