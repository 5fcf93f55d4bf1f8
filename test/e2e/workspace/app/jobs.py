import asyncio


async def fetch(n):
    await asyncio.sleep(0.01)
    return n


async def both():
    a = await fetch(1)
    b = await fetch(2)
    return a + b


async def ping():
    return "pong"


async def report():
    return await ping()
