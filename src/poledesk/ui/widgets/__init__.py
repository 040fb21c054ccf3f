"""Shared pieces of the window: table models, the list tab, the detail panel, progress and small editors."""
