"""interview-bot: a Slack bot that runs a company's hiring loop."""
