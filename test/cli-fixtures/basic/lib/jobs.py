import asyncio


async def ping():
    return "pong"


async def main():
    await asyncio.sleep(0)
