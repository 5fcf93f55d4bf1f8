async def no_await():
    return 1
