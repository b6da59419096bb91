#!/usr/bin/env python3
"""Plots a bench/webflux.sh CSV: per workload (endpoint, connections), median req/s (with the min-max
over rounds), median p99 latency and median server CPU per request, for Reactor Netty and each
ringserver backend. Needs python3-matplotlib (Debian package).

usage: bench/plot_webflux.py RESULTS.csv OUTPUT.png [--quick]
"""

import csv
import statistics
import sys

import plot_hello  # next to this file: chooses matplotlib's Agg backend, and has the backends' colours

import matplotlib.pyplot as plt  # noqa: E402

ORDER = ["netty", "io_uring", "epoll", "nio"]
COLOURS = dict(plot_hello.COLOURS, netty="#ff7f0e")
LABELS = {"netty": "Reactor Netty"}
ENDPOINTS = ["plaintext", "json"]


def main():
    args = [a for a in sys.argv[1:] if a != "--quick"]
    if len(args) != 2:
        sys.exit(__doc__)
    with open(args[0], newline="") as f:
        rows = [r for r in csv.DictReader(f) if int(r["round"]) > 0]
    workloads = sorted({(r["endpoint"], r["connections"]) for r in rows},
                       key=lambda w: (ENDPOINTS.index(w[0]) if w[0] in ENDPOINTS else 99, int(w[1])))
    servers = [s for s in ORDER if any(r["server"] == s for r in rows)]

    figure, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    width = 0.8 / len(servers)
    for i, server in enumerate(servers):
        rps, low, high, p99, cpu = [], [], [], [], []
        for endpoint, connections in workloads:
            runs = [r for r in rows if r["server"] == server and r["endpoint"] == endpoint
                    and r["connections"] == connections]
            values = [float(r["rps"]) for r in runs] or [0.0]
            m = statistics.median(values)
            rps.append(m / 1000)
            low.append((m - min(values)) / 1000)
            high.append((max(values) - m) / 1000)
            p99.append(statistics.median(float(r["p99_us"]) for r in runs) / 1000 if runs else 0)
            cpu.append(statistics.median(float(r["cpu_us_per_req"]) for r in runs) if runs else 0)
        positions = [k + (i - (len(servers) - 1) / 2) * width for k in range(len(workloads))]
        label = LABELS.get(server, f"ringserver {server}")
        colour = COLOURS.get(server)
        axes[0].bar(positions, rps, width, label=label, color=colour, yerr=[low, high], capsize=3)
        axes[1].bar(positions, p99, width, label=label, color=colour)
        axes[2].bar(positions, cpu, width, label=label, color=colour)

    for axis, title, unit in ((axes[0], "Throughput (median, min-max over rounds)", "thousand requests/s"),
                              (axes[1], "p99 latency (median)", "ms"),
                              (axes[2], "Server CPU per request (median)", "CPU µs per request")):
        axis.set_title(title)
        axis.set_ylabel(unit)
        axis.set_xticks(range(len(workloads)))
        axis.set_xticklabels([f"/{e}\n{c} conn." for e, c in workloads])
        axis.grid(axis="y", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=len(servers), frameon=False)
    title = "WebFlux app: ringserver vs Reactor Netty, one core each for server (one event loop) and wrk"
    if "--quick" in sys.argv[1:]:
        title += " — QUICK RUN, not meaningful"
    figure.suptitle(title)
    figure.tight_layout(rect=(0, 0.06, 1, 1))  # room for the legend below
    figure.savefig(args[1], dpi=110)


if __name__ == "__main__":
    main()
