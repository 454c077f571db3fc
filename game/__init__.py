"""Callback: a training game for the rejection phone call."""

__version__ = "0.1.0"
