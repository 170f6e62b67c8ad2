"""A TCP proxy between the server and PostgreSQL that loses commit answers on purpose.

It passes every byte through, except: in a transaction that has sent MARK (the repro's room name),
while the ARM file holds a number above 0, PostgreSQL's answer to its COMMIT (its CommandComplete
"COMMIT") is swallowed, the number is lowered by one, and the server's side of that connection is
reset. The database has committed; the server never hears it: a connection broken between a commit
and its answer. The mark ends with the transaction, so a pooled connection's later transactions of
other rooms (a timer's, an alert's) keep their answers.

    python3 proxy.py LISTEN_PORT ARM_FILE MARK
"""
import asyncio
import sys

LISTEN, ARM, MARK = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
COMMIT_DONE = b"C\x00\x00\x00\x0bCOMMIT\x00"
ROLLBACK_DONE = b"C\x00\x00\x00\x0dROLLBACK\x00"


def take_one_arm():
    try:
        with open(ARM) as f:
            left = int(f.read().strip() or 0)
    except FileNotFoundError:
        return False
    if left <= 0:
        return False
    with open(ARM, "w") as f:
        f.write(str(left - 1))
    return True


async def to_database(client, database, state):
    while data := await client.read(65536):
        state["marked"] = state["marked"] or MARK in data
        database.write(data)
        await database.drain()
    database.close()


async def to_server(database, server, state):
    while data := await database.read(65536):
        if state["marked"] and COMMIT_DONE in data and take_one_arm():
            print("swallowed a COMMIT answer; connection reset", flush=True)
            server.transport.abort()
            return
        if COMMIT_DONE in data or ROLLBACK_DONE in data:
            state["marked"] = False
        server.write(data)
        await server.drain()
    server.close()


async def handle(client, server):
    database_reader, database_writer = await asyncio.open_connection("127.0.0.1", 5432)
    state = {"marked": False}
    await asyncio.gather(
        to_database(client, database_writer, state),
        to_server(database_reader, server, state),
        return_exceptions=True,
    )


async def main():
    listener = await asyncio.start_server(handle, "127.0.0.1", LISTEN)
    print(f"proxy on {LISTEN}", flush=True)
    async with listener:
        await listener.serve_forever()


asyncio.run(main())
