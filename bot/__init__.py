"""PharmaOne Slack bot."""
