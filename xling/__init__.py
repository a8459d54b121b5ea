"""xling: translate Arabic news to English, align it with its source, audit what carried over."""

__version__ = "0.1.0"
