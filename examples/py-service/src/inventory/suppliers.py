"""Supplier API clients."""
import asyncio
import time

import aiohttp
import requests

SUPPLIERS = ["https://acme.example/api", "https://globex.example/api"]


async def fetch_price(url, sku):
    # client-per-request: a new session (and connection pool) for every single request.
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{url}/price/{sku}") as resp:
            return await resp.json()


async def best_price(sku):
    prices = []
    for url in SUPPLIERS:
        # await-in-loop: one supplier after the other.
        prices.append(await fetch_price(url, sku))
    return min(p["amount"] for p in prices)


async def supplier_status(url):
    for attempt in range(3):
        try:
            # blocking-call: requests and time.sleep stall every other task.
            return requests.get(f"{url}/status", timeout=5).json()
        except requests.ConnectionError:
            time.sleep(2**attempt)
    return None


async def prices_for(session: aiohttp.ClientSession, skus):
    # The right way: one session, shared; requests run concurrently.
    async def one(sku):
        async with session.get(f"{SUPPLIERS[0]}/price/{sku}") as resp:
            return await resp.json()

    return await asyncio.gather(*(one(sku) for sku in skus))
