#!/usr/bin/env python3
"""Plots a bench/hello.sh CSV: per workload (connections, pipelining), median req/s (with the min-max over rounds)
and median server CPU per request, for each server. Needs python3-matplotlib (Debian package).

usage: bench/plot_hello.py RESULTS.csv OUTPUT.png
"""

import csv
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)

ORDER = ["nginx", "io_uring", "epoll", "nio"]
COLOURS = {"nginx": "#7f7f7f", "io_uring": "#d62728", "epoll": "#1f77b4", "nio": "#2ca02c"}


def workload_key(workload):
    connections, _, depth = workload.partition("x")
    return int(depth or 1), int(connections)


def workload_label(workload):
    connections, _, depth = workload.partition("x")
    return f"{connections} conn." + (f"\npipelined ×{depth}" if depth else "\nkeep-alive")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], newline="") as f:
        rows = [r for r in csv.DictReader(f) if int(r["round"]) > 0]
    connections = sorted({r["connections"] for r in rows}, key=workload_key)
    servers = [s for s in ORDER if any(r["server"] == s for r in rows)]

    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    width = 0.8 / len(servers)
    for i, server in enumerate(servers):
        medians, low, high, cpu = [], [], [], []
        for c in connections:
            runs = [r for r in rows if r["server"] == server and r["connections"] == c]
            rps = [float(r["rps"]) for r in runs]
            medians.append(statistics.median(rps))
            low.append(statistics.median(rps) - min(rps))
            high.append(max(rps) - statistics.median(rps))
            cpu.append(statistics.median(float(r["cpu_us_per_req"]) for r in runs))
        positions = [k + (i - (len(servers) - 1) / 2) * width for k in range(len(connections))]
        axes[0].bar(positions, [m / 1000 for m in medians], width, label=server, color=COLOURS[server],
                    yerr=[[v / 1000 for v in low], [v / 1000 for v in high]], capsize=3)
        axes[1].bar(positions, cpu, width, label=server, color=COLOURS[server])

    for axis, title, unit in ((axes[0], "Throughput (median, min-max over rounds)", "thousand requests/s"),
                              (axes[1], "Server CPU per request (median)", "CPU µs per request")):
        axis.set_title(title)
        axis.set_ylabel(unit)
        axis.set_xticks(range(len(connections)))
        axis.set_xticklabels([workload_label(c) for c in connections])
        axis.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="upper left", fontsize="small")
    figure.suptitle("Fixed 'Hello, World!' responder, one core each for server and wrk")
    figure.tight_layout()
    figure.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
