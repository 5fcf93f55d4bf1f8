# Café crème: this file is Latin-1, not UTF-8.


async def menu():
    return "crème brûlée"


# Every use of the functions above is an awaited call.
async def call_menu():
    return await menu()
