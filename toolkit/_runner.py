"""Runs operations written once as generators, synchronously (threads) or with asyncio (tasks).

An operation is a generator that yields a `Call` (and receives the decoded body) or a `Batch` of calls (and
receives the bodies in order, fetched concurrently). Resources write each route once this way; `Client` runs
it with `run_sync`, `AsyncClient` with `run_async`, so request building and parsing are shared by both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from toolkit._transport import AsyncTransport, Call, SyncTransport

T = TypeVar("T")


@dataclass(frozen=True)
class Batch:
    """Calls to send concurrently; `on_each` is called once per finished call (progress bars).

    With `settle=True` a failed call does not stop the others: its exception takes its place in the results.
    """

    calls: tuple[Call, ...]
    on_each: Callable[[], None] = field(default=lambda: None, compare=False)
    settle: bool = False


Operation = Generator[Call | Batch, Any, T]


def run_sync(operation: Operation[T], transport: SyncTransport, pool: ThreadPoolExecutor) -> T:
    def send(call: Call, batch: Batch) -> Any:
        try:
            body = transport.send(call)
        except Exception as exc:
            if not batch.settle:
                raise
            body = exc
        batch.on_each()
        return body

    step: Any = None
    throw: BaseException | None = None
    while True:
        try:
            request = operation.throw(throw) if throw else operation.send(step)
        except StopIteration as stop:
            return stop.value
        step, throw = None, None
        try:
            if isinstance(request, Batch):
                futures = [pool.submit(send, call, request) for call in request.calls]
                try:
                    step = [future.result() for future in futures]
                except BaseException:
                    for future in futures:
                        future.cancel()
                    raise
            else:
                step = transport.send(request)
        except Exception as exc:
            throw = exc


async def run_async(operation: Operation[T], transport: AsyncTransport, limit: asyncio.Semaphore) -> T:
    async def send(call: Call, batch: Batch) -> Any:
        try:
            async with limit:
                body = await transport.send(call)
        except Exception as exc:
            if not batch.settle:
                raise
            body = exc
        batch.on_each()
        return body

    step: Any = None
    throw: BaseException | None = None
    while True:
        try:
            request = operation.throw(throw) if throw else operation.send(step)
        except StopIteration as stop:
            return stop.value
        step, throw = None, None
        try:
            if isinstance(request, Batch):
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(send(call, request)) for call in request.calls]
                step = [task.result() for task in tasks]
            else:
                step = await transport.send(request)
        except ExceptionGroup as group_error:
            throw = group_error.exceptions[0]
        except Exception as exc:
            throw = exc
