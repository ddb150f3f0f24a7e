"""Run a fake upstream by hand or from a benchmark: ``python -m tests.fake_upstream`` (from the repository root)."""

from __future__ import annotations

import argparse
import json
import logging
import signal
from pathlib import Path
from types import FrameType

from .server import API_PATHS, FakeUpstream


def main(argv: list[str] | None = None) -> None:
    """Start the fake, print its URL and serve until SIGTERM, Ctrl-C or the max lifetime."""
    parser = argparse.ArgumentParser(prog="python -m tests.fake_upstream", description=__doc__)
    parser.add_argument("--api", choices=sorted(API_PATHS), default="responses")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default: ephemeral)")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS", help="time each answer takes")
    parser.add_argument("--max-lifetime", type=float, default=1800, help="seconds before it stops by itself")
    parser.add_argument(
        "--records",
        type=Path,
        metavar="FILE",
        help="on stop, write each answered request's last input text and arrival and answer times (monotonic s)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    upstream = FakeUpstream(args.api, port=args.port, latency_s=args.latency, max_lifetime_s=args.max_lifetime)
    upstream.start()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        upstream.stop()

    signal.signal(signal.SIGTERM, on_sigterm)
    print(upstream.url, flush=True)
    try:
        upstream.wait_until_stopped()
    except KeyboardInterrupt:
        pass
    finally:
        upstream.stop()
        if args.records is not None:
            records = [
                {"text": _last_text(r.body), "received_at": r.received_at, "answered_at": r.answered_at}
                for r in upstream.requests
                if r.status == 200
            ]
            args.records.write_text(json.dumps(records))


def _last_text(body: object) -> str:
    items = body.get("input") or body.get("messages") if isinstance(body, dict) else None
    last = items[-1] if isinstance(items, list) and items else {}
    return str(last.get("content")) if isinstance(last, dict) else ""


if __name__ == "__main__":
    main()
