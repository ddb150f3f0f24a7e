"""Run the fake Assistants API by hand: ``python -m tests.fake_api`` (from the repository root)."""

from __future__ import annotations

import argparse
import logging
import signal
from types import FrameType

from .server import FakeAssistantsAPI


def main(argv: list[str] | None = None) -> None:
    """Start the server, print its URL and serve until Ctrl-C or the max lifetime."""
    parser = argparse.ArgumentParser(prog="python -m tests.fake_api", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: ephemeral)")
    parser.add_argument("--max-lifetime", type=float, default=1800, help="seconds before it stops by itself")
    parser.add_argument(
        "--run-duration",
        type=float,
        default=None,
        metavar="SECONDS",
        help="runs end this many seconds after creation (default: one status step per retrieval of the run)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    api = FakeAssistantsAPI(args.max_lifetime, port=args.port, run_duration_s=args.run_duration).start()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        api.stop()

    signal.signal(signal.SIGTERM, on_sigterm)
    print(api.url, flush=True)
    try:
        api.wait_until_stopped()
    except KeyboardInterrupt:
        pass
    finally:
        api.stop()


if __name__ == "__main__":
    main()
