"""Headless sub-commands, one module per area: each has register(commands) adding its parsers and handlers."""
