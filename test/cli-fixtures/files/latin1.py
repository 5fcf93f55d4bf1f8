# Café crème: this file is Latin-1, not UTF-8.


async def menu():
    return "crème brûlée"
