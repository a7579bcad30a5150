"""Notifications (SPEC §13): who hears of what, in the app first (issue #14)."""
