# Fuzz seed (Python): one file touching every Python rule's patterns, valid or not.
import asyncio
import time
import subprocess
import requests as r
from time import sleep
from pathlib import Path
import aiohttp
import hashlib


async def fetch(session, url):
    async with session.get(url) as resp:
        return await resp.text()


async def helper():
    return 1


class Service:
    async def load(self, key):
        await asyncio.sleep(0)
        return key

    async def run(self, keys):
        self.load("x")
        time.sleep(1)
        sleep(0.5)
        r.get("https://example.com")
        subprocess.run(["ls"])
        data = open("file.txt").read()
        Path("out.txt").write_text(data)
        hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 100000)
        out = []
        for k in keys:
            out.append(await self.load(k))
        a = await self.load("a")
        b = await self.load("b")
        asyncio.create_task(helper())
        task = asyncio.create_task(helper())
        await task
        asyncio.run(helper())
        loop = asyncio.get_running_loop()
        loop.call_soon(helper)
        loop.run_until_complete(helper())
        return out, a, b


async def crawl(urls):
    for url in urls:
        async with aiohttp.ClientSession() as session:
            print(await fetch(session, url))
    cursor = None
    for _ in range(3):
        cursor = await step(cursor)


async def step(cursor):
    return cursor


async def noop():
    pass


async def stub():
    raise NotImplementedError


def sync_main():
    helper()
    asyncio.run(crawl(["a"]))


async def with_thread():
    await asyncio.to_thread(time.sleep, 1)
    await loop_helper(lambda: time.sleep(1))
    asyncio.ensure_future(helper()).add_done_callback(print)


async def loop_helper(fn):
    return fn


if __name__ == "__main__":
    asyncio.run(crawl(["https://example.com"]))  # async-lint-disable-line
