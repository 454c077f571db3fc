"""The rules of play: pure Python, no pygame."""
