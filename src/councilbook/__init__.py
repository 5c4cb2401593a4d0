"""councilbook: the reporting pipeline of a regional employment council."""

__version__ = "0.1.0"
