"""The `p1` console script: the toolkit's commands plus the ones that need the bot (bot, demo, audit...).

The toolkit never imports the bot, so the bot's commands are added here, on top of `toolkit.cli.app`.
"""

from toolkit.cli import app

__all__ = ["app"]
