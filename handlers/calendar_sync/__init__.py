"""The calendar sync's Slack side: its notices' payloads (the job's composer), the replacement."""
