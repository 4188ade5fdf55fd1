"""PharmaOne toolkit."""
