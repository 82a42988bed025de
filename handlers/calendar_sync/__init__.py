"""The calendar sync's Slack side: change notices and the one-click replacement."""
