#!/usr/bin/env python3
"""Plots a bench/files.sh CSV: per file size (and connection count), median req/s (with the min-max over
rounds), median body throughput, median p99 latency and median server CPU per request, for nginx,
Reactor Netty and each ringserver backend. The sizes differ by orders of magnitude, so req/s, p99 and
CPU per request are on logarithmic axes. Needs python3-matplotlib (Debian package).

usage: bench/plot_files.py RESULTS.csv OUTPUT.png [--quick]
"""

import csv
import statistics
import sys

import plot_hello  # next to this file: chooses matplotlib's Agg backend, and has the backends' colours

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

ORDER = ["nginx", "netty", "io_uring", "epoll", "nio"]
COLOURS = dict(plot_hello.COLOURS, netty="#ff7f0e")
LABELS = {"nginx": "nginx (sendfile)", "netty": "Reactor Netty (WebFlux)"}


def size_label(size_bytes):
    n = int(size_bytes)
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} B"


def main():
    args = [a for a in sys.argv[1:] if a != "--quick"]
    if len(args) != 2:
        sys.exit(__doc__)
    with open(args[0], newline="") as f:
        rows = [r for r in csv.DictReader(f) if int(r["round"]) > 0]
    if not rows:
        sys.exit(f"plot_files: no measured runs in {args[0]}")
    workloads = sorted({(int(r["size_bytes"]), r["connections"]) for r in rows}, key=lambda w: (w[0], int(w[1])))
    several_counts = len({c for _, c in workloads}) > 1
    servers = [s for s in ORDER if any(r["server"] == s for r in rows)]
    servers += sorted({r["server"] for r in rows} - set(servers))

    figure, axes = plt.subplots(1, 4, figsize=(19, 4.6))
    width = 0.8 / len(servers)
    for i, server in enumerate(servers):
        rps, low, high, mbps, p99, cpu = [], [], [], [], [], []
        for size_bytes, connections in workloads:
            runs = [r for r in rows if r["server"] == server and int(r["size_bytes"]) == size_bytes
                    and r["connections"] == connections]
            values = [float(r["rps"]) for r in runs] or [0.0]
            m = statistics.median(values)
            rps.append(m / 1000)
            low.append((m - min(values)) / 1000)
            high.append((max(values) - m) / 1000)
            mbps.append(statistics.median(float(r["mb_per_s"]) for r in runs) if runs else 0)
            p99.append(statistics.median(float(r["p99_us"]) for r in runs) / 1000 if runs else 0)
            cpu.append(statistics.median(float(r["cpu_us_per_req"]) for r in runs) if runs else 0)
        positions = [k + (i - (len(servers) - 1) / 2) * width for k in range(len(workloads))]
        label = LABELS.get(server, f"ringserver {server}")
        colour = COLOURS.get(server)
        axes[0].bar(positions, rps, width, label=label, color=colour, yerr=[low, high], capsize=3)
        axes[1].bar(positions, mbps, width, label=label, color=colour)
        axes[2].bar(positions, p99, width, label=label, color=colour)
        axes[3].bar(positions, cpu, width, label=label, color=colour)

    for axis, title, unit, log in ((axes[0], "Requests (median, min-max over rounds)", "thousand requests/s", True),
                                   (axes[1], "Body throughput (median)", "MB/s (10⁶ bytes)", False),
                                   (axes[2], "p99 latency (median)", "ms", True),
                                   (axes[3], "Server CPU per request (median)", "CPU µs per request", True)):
        axis.set_title(title)
        axis.set_ylabel(unit)
        if log:
            axis.set_yscale("log")
            axis.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
            axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            axis.yaxis.set_minor_formatter(NullFormatter())
        axis.set_xticks(range(len(workloads)))
        axis.set_xticklabels([size_label(b) + (f"\n{c} conn." if several_counts else "") for b, c in workloads])
        axis.grid(axis="y", alpha=0.3, which="both" if log else "major")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=len(servers), frameon=False)
    connections = sorted({c for _, c in workloads}, key=int)
    title = (f"Static files, {'/'.join(connections)} keep-alive connections: ringserver vs nginx and "
             "Reactor Netty, one core each for server (one worker/event loop) and wrk")
    if "--quick" in sys.argv[1:]:
        title += " — QUICK RUN, not meaningful"
    figure.suptitle(title)
    figure.tight_layout(rect=(0, 0.06, 1, 1))  # room for the legend below
    figure.savefig(args[1], dpi=110)


if __name__ == "__main__":
    main()
