"""Run code blocks at build time and inline their real output."""

__version__ = "0.1.0"
