"""Storage: an asyncio-friendly key-value store behind a small API."""
import asyncio
import json
from pathlib import Path

DATA_DIR = Path("data")
_lock = asyncio.Lock()


async def load_item(sku):
    async with _lock:
        path = DATA_DIR / f"{sku}.json"
        # blocking-call: a pathlib read on the event loop's thread.
        return json.loads(path.read_text())


async def save_item(sku, item):
    async with _lock:
        await asyncio.to_thread((DATA_DIR / f"{sku}.json").write_text, json.dumps(item))


async def item_count():
    # unused-async: nothing here awaits.
    return len(list(DATA_DIR.glob("*.json")))
