"""dist401k: getting money out of US retirement plans, correctly and cheaply."""

__version__ = "0.1.0"
