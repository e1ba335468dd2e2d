"""Runners that measure the engine on public benchmark data and on large generated communities."""
