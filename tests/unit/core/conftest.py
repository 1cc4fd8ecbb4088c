"""Shared by CPython and Pyodide: hypothesis without per-example deadlines, because these
shared machines are noisy and a slow example is not a wrong one."""

from hypothesis import settings

settings.register_profile("sms-panel", deadline=None)
settings.load_profile("sms-panel")
