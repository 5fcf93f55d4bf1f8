import asyncio


async def ping():
    return "pong"


async def main():
    await asyncio.sleep(0)


# Every use of the functions above is an awaited call.
async def call_ping():
    return await ping()
