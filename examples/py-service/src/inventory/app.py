"""The service: a small TCP protocol and the sync jobs."""
import asyncio
import logging

from . import storage
from .suppliers import best_price, supplier_status
from .vendor import push_stock

log = logging.getLogger(__name__)


async def notify_low_stock(sku):
    await asyncio.sleep(0)
    log.warning("low stock: %s", sku)


async def restock(sku):
    # sequential-await: the item and the price do not depend on each other.
    item = await storage.load_item(sku)
    price = await best_price(sku)
    if item["count"] < 10:
        # dangling-task: nothing keeps this task alive.
        asyncio.create_task(notify_low_stock(sku))
    item["price"] = price
    # unawaited: save_item is an async def in storage.py; this line does nothing.
    storage.save_item(sku, item)
    # unawaited: push_stock is a coroutine function (see pyproject.toml).
    push_stock(sku, item["count"])
    return item


async def sync_all(skus):
    # sequential-await: the two statuses do not depend on each other.
    acme = await supplier_status("https://acme.example/api")
    globex = await supplier_status("https://globex.example/api")
    # The right way for many items: concurrently.
    items = await asyncio.gather(*(restock(sku) for sku in skus))
    return acme, globex, items


async def stock_report():
    return {"items": await storage.item_count()}


def report_sync():
    # A sync helper written for scripts...
    return asyncio.run(sync_all(["A-1", "B-2"]))


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    sku = (await reader.readline()).decode().strip()
    # unawaited: load_item is an async def; its coroutine object is always true, so unknown
    # SKUs are never turned away here.
    if not storage.load_item(sku):
        writer.close()
        return
    # nested-event-loop: called from a coroutine, the loop is already running.
    items = asyncio.run(sync_all([sku]))
    writer.write(repr(items).encode())
    # unawaited: drain() is a coroutine; without await the buffer is never flushed on time.
    writer.drain()
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 8765)
    loop = asyncio.get_running_loop()
    # async-callback: call_later calls restock() and drops the coroutine it returns.
    loop.call_later(60, restock, "A-1")
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
