"""Opens N keep-alive connections to a gateway, sends one request on each, then leaves them
idle; prints when the server closes them (the idle timeout) as JSON. Standard library only.

usage: idle_connections.py HOST PORT N
"""
import asyncio
import json
import resource
import sys
import time


async def one(host, port, opened, closed):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"GET /health HTTP/1.1\r\nHost: bench\r\n\r\n")
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    opened.append(time.monotonic())
    # Idle from here: the server closes the connection (EOF) when its idle timeout passes.
    rest = await reader.read()
    closed.append((time.monotonic(), len(rest)))
    writer.close()


async def main(host, port, n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    opened, closed = [], []
    start = time.monotonic()
    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(one(host, port, opened, closed)))
        if i % 500 == 499:
            await asyncio.sleep(0.05)
    while len(opened) + sum(t.done() for t in tasks) < n:
        await asyncio.sleep(0.1)
    all_open = time.monotonic()
    print(json.dumps({"event": "open", "connections": len(opened), "seconds": round(all_open - start, 2)}), flush=True)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [repr(r) for r in results if isinstance(r, BaseException)]
    idle = sorted(t - all_open for t, _ in closed)
    print(json.dumps({
        "event": "closed",
        "connections": len(closed),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "first_close_s": round(idle[0], 1) if idle else None,
        "last_close_s": round(idle[-1], 1) if idle else None,
    }), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
