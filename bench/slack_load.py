"""A load generator in its own process: sends prepared HTTP requests all at once and times each answer.

Reads `{"host", "port", "requests": [{"method", "path", "headers", "body"}]}` as JSON on stdin, opens one
connection per request first, then writes every request in one burst and prints, as JSON, one
`{"status", "ms", "body"}` per request: the time from writing it to having read its whole response.
Raw asyncio streams keep the generator's own cost per request tiny next to what it measures (an httpx
client costs about a millisecond of CPU per request, which would be measured as the server's latency).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any


def _encode(request: dict[str, Any], host: str, port: int) -> bytes:
    body = request["body"].encode()
    headers = {**request["headers"], "host": f"{host}:{port}", "content-length": str(len(body))}
    head = f"{request['method']} {request['path']} HTTP/1.1\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> dict[str, Any]:
    started = time.perf_counter()
    writer.write(raw)
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    body = await reader.readexactly(length)
    elapsed = (time.perf_counter() - started) * 1000
    writer.close()
    return {"status": int(status_line.split()[1]), "ms": elapsed, "body": body.decode()}


async def burst(host: str, port: int, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    connections = [await asyncio.open_connection(host, port) for _ in requests]
    raws = [_encode(request, host, port) for request in requests]
    return await asyncio.gather(
        *(_exchange(reader, writer, raw) for (reader, writer), raw in zip(connections, raws, strict=True))
    )


if __name__ == "__main__":
    job = json.load(sys.stdin)
    print(json.dumps(asyncio.run(burst(job["host"], job["port"], job["requests"]))))
