"""The run worker: asyncio tasks in the gateway process that execute queued runs on the upstream.

The worker claims runs (:class:`.run_queue.RunQueue`) up to ``concurrency`` at a time, as soon as this process
creates one (:meth:`Worker.wake`) and every ``poll_interval_s`` (runs other processes created, leases of workers
that died, expiries). Each claimed run is one task: it asks the upstream (:class:`.upstream.client.UpstreamClient`,
which retries within the run's deadline), renews its lease every third of ``lease_s`` meanwhile, and writes the
run's end in one transaction guarded by its lease. A run marked ``cancelling`` stops at once in this process (and
at its next lease renewal in another); a run whose claim was lost stops without writing.

Database calls run in a thread pool of the worker's own, so that the HTTP handlers (Starlette's thread pool) never
delay a run's end. :meth:`Worker.stop` cancels the tasks and gives their runs back for another worker to take
over at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .run_queue import ClaimedRun, Ending, Expired, RunQueue, Stopped
from .upstream.client import DeadlineReached, UpstreamClient
from .upstream.conversation import Refused, UnsupportedRequest, UpstreamError

logger = logging.getLogger(__name__)

Result = TypeVar("Result")
#: Threads for the worker's database calls.
DB_THREADS = 4


class Worker:
    """Executes runs on the upstream (see the module docstring)."""

    def __init__(
        self,
        queue: RunQueue,
        upstream: UpstreamClient,
        *,
        concurrency: int,
        lease_s: float,
        poll_interval_s: float,
    ) -> None:
        """Run at most ``concurrency`` runs at once, each claimed for ``lease_s`` (renewed while it runs)."""
        self.queue = queue
        self.upstream = upstream
        self.concurrency = concurrency
        self.lease_s = lease_s
        self.poll_interval_s = poll_interval_s
        self._executor = ThreadPoolExecutor(DB_THREADS, thread_name_prefix="otr-gateway-db")
        self._tasks: dict[str, tuple[ClaimedRun, asyncio.Task[None]]] = {}
        self._calls: dict[str, asyncio.Future[Ending]] = {}
        self._wake = asyncio.Event()
        #: The last claim took as many runs as it had room for: more may be waiting for a free slot.
        self._saturated = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start claiming runs (call from the event loop)."""
        self._loop = asyncio.get_running_loop()
        self._main = self._loop.create_task(self._run(), name="otr-gateway-worker")

    def wake(self) -> None:
        """Claim runs now (thread-safe: the HTTP handlers call it from their threads when they queue a run)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def cancel_run(self, run_id: str) -> None:
        """Stop executing ``run_id`` now if this process executes it (thread-safe); it ends ``cancelled``."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._cancel_local, run_id)

    async def stop(self) -> None:
        """Stop claiming, cancel the runs in progress here, and give them back to the queue."""
        if self._main is not None:
            self._main.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._main
        running = list(self._tasks.values())
        for _, task in running:
            task.cancel()
        await asyncio.gather(*(task for _, task in running), return_exceptions=True)
        if running:
            await self._db(self.queue.release, [claimed for claimed, _ in running])
        self._executor.shutdown(wait=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = 0.0
        while True:
            self._wake.clear()
            try:
                if loop.time() >= next_sweep:
                    next_sweep = loop.time() + self.poll_interval_s
                    await self._db(self.queue.sweep)
                free = self.concurrency - len(self._tasks)
                if free > 0:
                    claimed_runs = await self._db(self.queue.claim, free, self.lease_s)
                    self._saturated = len(claimed_runs) == free
                    for claimed in claimed_runs:
                        task = loop.create_task(self._execute(claimed), name=f"run {claimed.run_id}")
                        self._tasks[claimed.run_id] = (claimed, task)
                        task.add_done_callback(functools.partial(self._done, claimed.run_id))
            except Exception:
                logger.exception("the worker could not claim runs; it tries again in %g s", self.poll_interval_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, next_sweep - loop.time()))

    def _done(self, run_id: str, _task: object) -> None:
        self._tasks.pop(run_id, None)
        if self._saturated:  # a slot is free, and runs may be waiting for one
            self._wake.set()

    def _cancel_local(self, run_id: str) -> None:
        call = self._calls.get(run_id)
        if call is not None:
            call.cancel()

    async def _execute(self, claimed: ClaimedRun) -> None:
        call = asyncio.ensure_future(self._ending(claimed))
        self._calls[claimed.run_id] = call
        keeper = asyncio.ensure_future(self._keep_lease(claimed, call))
        ending: Ending
        try:
            ending = await call
        except asyncio.CancelledError:
            if _being_cancelled():
                raise  # the worker stops: stop() gives the run back
            ending = Stopped()  # the run is cancelling, or another worker has it: finish() tells which
        finally:
            keeper.cancel()
            self._calls.pop(claimed.run_id, None)
        try:
            status = await self._db(self.queue.finish, claimed, ending)
        except Exception:  # the database failed: the lease expires, and a worker executes the run again
            logger.exception(
                "run %s: its end could not be written; it is executed again after its lease", claimed.run_id
            )
            return
        if status is None and not isinstance(ending, Stopped):
            logger.warning(
                "run %s: its claim was lost (another worker took it over); its answer is dropped", claimed.run_id
            )
        elif status is not None:
            logger.info("run %s: %s", claimed.run_id, status)

    async def _ending(self, claimed: ClaimedRun) -> Ending:
        try:
            return await self.upstream.execute(claimed.request, claimed.deadline)
        except DeadlineReached:
            return Expired()
        except UpstreamError as error:
            return Refused(error.code, error.message)
        except UnsupportedRequest as error:
            return Refused("invalid_prompt", str(error).format(url=self.upstream.base_url))
        except Exception as error:  # a bug: the run fails, and says so, rather than being retried until it expires
            logger.exception("run %s: the gateway failed while executing it", claimed.run_id)
            return Refused("server_error", f"the gateway failed while executing the run ({type(error).__name__})")

    async def _keep_lease(self, claimed: ClaimedRun, call: asyncio.Future[Ending]) -> None:
        while True:
            await asyncio.sleep(self.lease_s / 3)
            try:
                status = await self._db(self.queue.renew, claimed, self.lease_s)
            except Exception:
                logger.exception("run %s: the lease could not be renewed; trying again", claimed.run_id)
                continue
            if status is None or status == "cancelling":  # lost (another worker has it), or cancelled
                call.cancel()
                return

    async def _db(self, function: Callable[..., Result], *args: object) -> Result:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)


def _being_cancelled() -> bool:
    """Whether the current task itself is being cancelled (the worker stops), not only what it awaited."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
