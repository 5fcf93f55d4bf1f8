"""A vendored supplier SDK (its decorator turns functions into coroutine functions)."""
import asyncio
import functools


def _coroutine(fn):
    @functools.wraps(fn)
    async def wrapper(*args, **kwargs):
        return await asyncio.to_thread(fn, *args, **kwargs)

    return wrapper


@_coroutine
def push_stock(sku, count):
    return {"sku": sku, "count": count}
