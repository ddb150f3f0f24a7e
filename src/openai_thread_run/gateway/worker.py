"""The run worker: asyncio tasks in the gateway process that execute queued runs on the upstream.

The worker executes up to ``concurrency`` runs at a time. A run this process queues is claimed for it in the
transaction that queues it, when it has room (:meth:`Worker.dispatch_run`), and starts as soon as that transaction
has committed; otherwise the worker is woken to claim it (:class:`.run_queue.RunQueue`) when a slot is free. It
also claims runs every ``poll_interval_s`` (runs other processes queued, leases of workers that died, expiries).
Each claimed run is one task: it asks the upstream (:class:`.upstream.client.UpstreamClient`, which retries within
the run's deadline), renews its lease every third of ``lease_s`` meanwhile, and writes the run's end in one
transaction guarded by its lease. A run marked ``cancelling`` stops at once in this process (and at its next lease
renewal in another); a run whose claim was lost stops without writing.

Database calls run in a thread pool of the worker's own, so that the HTTP handlers (Starlette's thread pool) never
delay a run's end. :meth:`Worker.stop` cancels the tasks and gives their runs back for another worker to take
over at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .run_queue import ClaimedRun, Ending, Expired, RunQueue, Stopped
from .service import Handoff
from .store import Tx
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
        self._slots = threading.Lock()
        #: Slots taken (under ``_slots``): runs executing here, and runs claimed for it whose task is not started yet.
        self._busy = 0
        self._stopping = False
        #: Runs handed over while the worker was stopping: given back by :meth:`stop`.
        self._returned: list[ClaimedRun] = []
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

    def dispatch_run(self, tx: Tx, run_id: str) -> Handoff:
        """Claim ``run_id``, just queued in ``tx``, in that transaction if this worker has room; thread-safe.

        The service calls it from the HTTP handlers' threads. Once ``tx`` has committed, the claimed run starts here
        at once; without room it stays queued and the worker is woken to claim it when a slot is free.
        """
        if not self._take_slots(1):
            return Handoff(start=self.wake)
        try:
            claimed = self.queue.claim_queued(tx, run_id, self.lease_s)
        except BaseException:
            self._free_slots(1)
            raise
        if claimed is None:
            self._free_slots(1)
            return Handoff(start=self.wake)
        return Handoff(functools.partial(self._hand_over, claimed), abandon=functools.partial(self._free_slots, 1))

    def cancel_run(self, run_id: str) -> None:
        """Stop executing ``run_id`` now if this process executes it (thread-safe); it ends ``cancelled``."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._cancel_local, run_id)

    async def stop(self) -> None:
        """Stop claiming, cancel the runs in progress here, and give them back to the queue."""
        with self._slots:
            self._stopping = True
        if self._main is not None:
            self._main.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._main
        running = list(self._tasks.values())
        for _, task in running:
            task.cancel()
        await asyncio.gather(*(task for _, task in running), return_exceptions=True)
        given_back = [claimed for claimed, _ in running] + self._returned
        if given_back:
            await self._db(self.queue.release, given_back)
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
                await self._claim()
            except Exception:
                logger.exception("the worker could not claim runs; it tries again in %g s", self.poll_interval_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, next_sweep - loop.time()))

    async def _claim(self) -> None:
        free = self._take_slots(self.concurrency)
        claimed_runs: list[ClaimedRun] = []
        try:
            if free:
                claimed_runs = await self._db(self.queue.claim, free, self.lease_s)
        finally:
            self._free_slots(free - len(claimed_runs))
        self._saturated = len(claimed_runs) == free  # (no free slot at all: runs may be waiting for one too)
        for claimed in claimed_runs:
            self._start_run(claimed)

    def _take_slots(self, wanted: int) -> int:
        """Take up to ``wanted`` free slots (none once stopping); return how many."""
        with self._slots:
            if self._loop is None or self._stopping:
                return 0
            taken = max(0, min(wanted, self.concurrency - self._busy))
            self._busy += taken
            return taken

    def _free_slots(self, count: int) -> None:
        with self._slots:
            self._busy -= count

    def _hand_over(self, claimed: ClaimedRun) -> None:
        """Start ``claimed`` (its transaction has committed) on the event loop; called from an HTTP handler's thread."""
        assert self._loop is not None  # a slot is only taken once the worker has started
        try:
            self._loop.call_soon_threadsafe(self._start_run, claimed)
        except RuntimeError:  # the event loop has closed: the lease expires, and a worker takes the run over
            self._free_slots(1)
            logger.warning("run %s: the gateway is stopping; the run is executed after its lease", claimed.run_id)

    def _start_run(self, claimed: ClaimedRun) -> None:
        """Execute ``claimed`` in a task of its own (its slot is taken); while stopping, keep it to give back."""
        if self._stopping:
            self._free_slots(1)
            self._returned.append(claimed)
            return
        task = asyncio.get_running_loop().create_task(self._execute(claimed), name=f"run {claimed.run_id}")
        self._tasks[claimed.run_id] = (claimed, task)
        task.add_done_callback(functools.partial(self._done, claimed.run_id))

    def _done(self, run_id: str, _task: object) -> None:
        self._tasks.pop(run_id, None)
        self._free_slots(1)
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
