"""Pure Python, no pygame."""
