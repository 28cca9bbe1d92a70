"""Memory of a large upload and download: ``files.upload`` / ``files.download`` of SIZE.

    python benchmarks/bench_files.py                 # 1 GiB each way
    python benchmarks/bench_files.py --mib 256

The embedded server runs in this process; each transfer runs in a fresh child
process that reports its peak RSS (``ru_maxrss``) after a warm-up request and
after the transfer, so the growth is what the transfer itself needed. The
upload streams a sparse file from disk in 8 MiB chunks; the download streams
to a file. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

from genai_async.testing import MockServer

CHILD = r"""
import json, resource, sys, time
import genai_async as genai
mode, url, path, name = sys.argv[1:5]
with genai.Client(api_key="k", http_options={"base_url": url, "timeout": 600_000}) as client:
    client.files.upload(file=b"warm-up", config={"mime_type": "text/plain"})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if mode == "upload":
        client.files.upload(file=path, config={"mime_type": "application/octet-stream"})
    else:
        client.files.download(file=name, destination=path)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kib": before, "after_kib": after, "seconds": took}))
"""


def _child(mode: str, url: str, path: str, name: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, url, path, name],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=int, default=1024, help="size of each transfer (MiB)")
    args = parser.parse_args()
    size = args.mib * 1024 * 1024
    rows = []
    with tempfile.TemporaryDirectory() as tmp, MockServer(record_limit=0) as server:
        source = os.path.join(tmp, "big.bin")
        with open(source, "wb") as f:
            f.truncate(size)  # sparse: reading it costs no disk
        upload = _child("upload", server.url, source, "")
        rows.append(("upload (path, 8 MiB chunks)", upload))
        meta = server.add_file(bytes(size), "application/octet-stream", name="big-out")
        target = os.path.join(tmp, "out.bin")
        download = _child("download", server.url, target, meta["name"])
        assert os.path.getsize(target) == size, "the download is incomplete"
        rows.append(("download (to a path, streamed)", download))
    print(f"**{args.mib} MiB each way** (client in a child process; the server in this one)\n")
    print("| transfer | RSS before MiB | peak RSS after MiB | growth MiB | seconds | MiB/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in rows:
        before, after = r["before_kib"] / 1024, r["after_kib"] / 1024
        rate = args.mib / r["seconds"] if r["seconds"] else 0.0
        print(
            f"| {label} | {before:.0f} | {after:.0f} | {after - before:.0f} | "
            f"{r['seconds']:.2f} | {rate:.0f} |"
        )


if __name__ == "__main__":
    main()
