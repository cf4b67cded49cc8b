"""Fit, tune and export the digit classifier (needs the [train] extra: torch and friends)."""
