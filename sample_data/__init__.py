"""Deterministic generator of a realistic stage database (python -m sample_data)."""

from sample_data.generator import DEMO_PASSWORD, DEMO_USERNAMES, SCALES, generate

__all__ = ["DEMO_PASSWORD", "DEMO_USERNAMES", "SCALES", "generate"]
