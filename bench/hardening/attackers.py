#!/usr/bin/env python3
"""Holds hostile clients against a local verdict server for a fixed time.

    attackers.py PORT SECONDS SLOW LONG

SLOW connections that trickle a request header one byte every 200 ms and
never finish it (reconnecting whenever the server cuts them off), and LONG
loops that each send requests for a topic whose name is 30,000 characters
long, as fast as the server answers. Only 127.0.0.1 is contacted; the run
ends by itself after SECONDS. Prints what it did.
"""
import asyncio
import sys
import time

PORT = int(sys.argv[1])
SECONDS = float(sys.argv[2])
SLOW = int(sys.argv[3])
LONG = int(sys.argv[4])
NAME = "a" * 30_000

stats = {"slow_cut_off": 0, "long_answered": 0, "long_status": set()}


async def slow_client(deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        except OSError:
            await asyncio.sleep(0.2)
            continue
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: verdict.test\r\nX-Slow: ")
            await writer.drain()
            while time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                writer.write(b"a")
                await writer.drain()
                try:
                    await asyncio.wait_for(reader.read(1), timeout=0.001)
                except asyncio.TimeoutError:
                    continue
                # The server answered (408/400) or closed: it cut us off.
                stats["slow_cut_off"] += 1
                break
        except (ConnectionError, OSError):
            stats["slow_cut_off"] += 1
        finally:
            writer.close()


async def long_client(deadline: float) -> None:
    request = f"GET /topics/{NAME} HTTP/1.1\r\nHost: verdict.test\r\n\r\n".encode()
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
            while time.monotonic() < deadline:
                writer.write(request)
                await writer.drain()
                status = await reader.readline()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                stats["long_answered"] += 1
                stats["long_status"].add(status.split()[1].decode())
            writer.close()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.05)


async def main() -> None:
    deadline = time.monotonic() + SECONDS
    tasks = [slow_client(deadline) for _ in range(SLOW)]
    tasks += [long_client(deadline) for _ in range(LONG)]
    await asyncio.gather(*tasks)
    print(
        f"attackers: {SLOW} slow clients (cut off {stats['slow_cut_off']} times), "
        f"{LONG} long-URL loops ({stats['long_answered']} answered, status {sorted(stats['long_status'])})",
        file=sys.stderr,
    )


asyncio.run(main())
