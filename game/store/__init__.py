"""Player data on disk: atomic, versioned, recoverable. Pure Python, no pygame."""
