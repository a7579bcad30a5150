"""Huoban (伙伴): a partner relationship management system."""

__version__ = "0.1.0"
