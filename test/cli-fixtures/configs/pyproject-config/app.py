async def no_await():
    return 1


# Every use of the functions above is an awaited call.
async def call_no_await():
    return await no_await()
