# Suppression comments in Python. Marked lines must be reported.


# async-lint-disable-next-line unused-async
async def next_line_listed():
    return 1


async def line_all():  # async-lint-disable-line
    return 2


# async-lint-disable-next-line dangling-task
async def other_rule():  # expect: unused-async
    return 3


async def not_suppressed():  # expect: unused-async
    return 4


# Every use of the functions above is an awaited call.
async def call_next_line_listed():
    return await next_line_listed()


async def call_line_all():
    return await line_all()


async def call_other_rule():
    return await other_rule()


async def call_not_suppressed():
    return await not_suppressed()
