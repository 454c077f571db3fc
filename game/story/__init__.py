"""The story data: model, loader, diagnostics, checks. Pure Python, no pygame."""
