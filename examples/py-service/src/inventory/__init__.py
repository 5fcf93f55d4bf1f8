"""Inventory service: keeps stock levels in sync with suppliers."""
from .storage import load_item, save_item

__all__ = ["load_item", "save_item"]
