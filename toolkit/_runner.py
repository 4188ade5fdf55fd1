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


class _Steps:
    """Feeds an operation the answer (or error) to its last request and hands out the next one."""

    def __init__(self, operation: Operation[Any]) -> None:
        self._operation = operation
        self._answer: Any = None
        self._error: BaseException | None = None
        self.done = False
        self.result: Any = None

    def next(self) -> Call | Batch | None:
        """The next request, or None once the operation has returned (its value is `result`)."""
        answer, error = self._answer, self._error
        self._answer, self._error = None, None
        try:
            return self._operation.throw(error) if error else self._operation.send(answer)
        except StopIteration as stop:
            self.done, self.result = True, stop.value
            return None

    def reply(self, answer: Any) -> None:
        self._answer = answer

    def fail(self, error: BaseException) -> None:
        self._error = error.exceptions[0] if isinstance(error, ExceptionGroup) else error


def _settled(batch: Batch, error: Exception) -> Exception:
    """In a settling batch a failed call's error becomes its result; otherwise it propagates."""
    if not batch.settle:
        raise error
    return error


def run_sync(operation: Operation[T], transport: SyncTransport, pool: ThreadPoolExecutor) -> T:
    def send(call: Call, batch: Batch) -> Any:
        try:
            body = transport.send(call)
        except Exception as exc:
            body = _settled(batch, exc)
        batch.on_each()
        return body

    def execute(request: Call | Batch) -> Any:
        if isinstance(request, Call):
            return transport.send(request)
        futures = [pool.submit(send, call, request) for call in request.calls]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    steps = _Steps(operation)
    while (request := steps.next()) is not None:
        try:
            steps.reply(execute(request))
        except Exception as exc:
            steps.fail(exc)
    return steps.result


async def run_async(operation: Operation[T], transport: AsyncTransport, limit: asyncio.Semaphore) -> T:
    async def send(call: Call, batch: Batch) -> Any:
        try:
            async with limit:
                body = await transport.send(call)
        except Exception as exc:
            body = _settled(batch, exc)
        batch.on_each()
        return body

    async def execute(request: Call | Batch) -> Any:
        if isinstance(request, Call):
            return await transport.send(request)
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(send(call, request)) for call in request.calls]
        return [task.result() for task in tasks]

    steps = _Steps(operation)
    while (request := steps.next()) is not None:
        try:
            steps.reply(await execute(request))
        except Exception as exc:
            steps.fail(exc)
    return steps.result
