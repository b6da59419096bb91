#!/usr/bin/python3
"""Plots a bench/lab.sh run from its results.csv (the medians as bench/lab_report.py computes them), one
set of PNGs per loops value, into the run's directory:

  rps-loops<L>.png        median req/s against connections (log scale), one line per server (min-max
                          bars over rounds), one panel per workload
  latency-loops<L>.png    p50, p95 and p99 per server at one connection count, one panel per workload
  syscalls-loops<L>.png   system calls per request (the system-call pass) per server and connection count
  cpu-loops<L>.png        server CPU µs per request and context switches per request, per server and
                          connection count

Needs matplotlib (Debian: apt-get install python3-matplotlib; run with /usr/bin/python3).

usage: bench/plot_lab.py OUT [--latency-connections N]
"""

import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402

import lab_report  # noqa: E402
from lablib.plan import SERVER_ORDER, WORKLOAD_ORDER  # noqa: E402

COLOURS = {
    "ringserver-io_uring": "#d62728", "ringserver-epoll": "#1f77b4", "ringserver-nio": "#2ca02c",
    "ringserver-kqueue": "#17becf", "webflux-kqueue": "#9edae5",
    "webflux-io_uring": "#ff9896", "webflux-epoll": "#aec7e8", "webflux-nio": "#98df8a",
    "nginx": "#7f7f7f", "netty-epoll": "#ff7f0e", "netty-io_uring": "#ffbb78",
    "tomcat": "#9467bd", "jetty": "#8c564b",
}
STYLES = {"webflux": "--", "netty": "-.", "tomcat": ":", "jetty": ":"}


def colour(s):
    return COLOURS.get(s, "#17becf")


def style(s):
    return next((v for k, v in STYLES.items() if s.startswith(k)), "-")


def thousands(v, _):
    if v >= 1e6:
        return f"{v / 1e6:g}M"
    if v >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def log_axis(axis):
    axis.set_yscale("log", nonpositive="clip")
    axis.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axis.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.yaxis.set_minor_formatter(NullFormatter())


def panels(n):
    cols = min(3, n)
    rows = math.ceil(n / cols)
    figure, axes = plt.subplots(rows, cols, figsize=(6.2 * cols, 4.4 * rows), squeeze=False)
    flat = [a for row in axes for a in row]
    for a in flat[n:]:
        a.set_visible(False)
    return figure, flat[:n]


def title(figure, text, meta):
    m, v = meta.get("machine", {}), meta.get("versions", {})
    o = meta.get("options", {})
    sub = (f"{m.get('cpu_model', '?')}, kernel {m.get('kernel', '?')}; server CPU {o.get('server_cpus')}, "
           f"wrk CPU {o.get('load_cpus')}; {o.get('rounds')}×{o.get('duration_s')} s; "
           f"commit {str(v.get('ringserver_commit', '?'))[:10]}")
    if meta.get("quick"):
        text += " — QUICK RUN (not for quoting)"
    figure.suptitle(f"{text}\n{sub}", fontsize=11)


def save(figure, path):
    figure.tight_layout(rect=(0, 0, 1, 0.93))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    print(f"plot_lab: wrote {path}")


def by(entries, **keys):
    return [e for e in entries if all(e[k] == v for k, v in keys.items())]


def servers_of(entries):
    return lab_report.order_of({e["server"] for e in entries}, SERVER_ORDER)


def workloads_of(entries):
    return lab_report.order_of({e["workload"] for e in entries}, WORKLOAD_ORDER)


def plot_rps(entries, loops, meta, path):
    workloads = workloads_of(entries)
    figure, axes = panels(len(workloads))
    for axis, w in zip(axes, workloads):
        we = by(entries, workload=w)
        for s in servers_of(we):
            se = sorted(by(we, server=s), key=lambda e: e["connections"])
            x = [e["connections"] for e in se]
            y = [e["rps"] for e in se]
            err = [[e["rps"] - e["rps_min"] for e in se], [e["rps_max"] - e["rps"] for e in se]]
            axis.errorbar(x, y, yerr=err, label=s, color=colour(s), linestyle=style(s), marker="o", markersize=4,
                          capsize=3, linewidth=1.6)
        axis.set_xscale("log")
        conns = sorted({e["connections"] for e in we})
        axis.set_xticks(conns)
        axis.set_xticklabels([f"{c:,}" for c in conns])
        axis.xaxis.set_minor_formatter(NullFormatter())
        axis.set_ylim(bottom=0)
        axis.yaxis.set_major_formatter(FuncFormatter(thousands))
        axis.set_title(lab_report.workload_title(w).split(":")[0] + f" — {w_path(w)}", fontsize=10)
        axis.set_xlabel("connections")
        axis.set_ylabel("requests/s (median, min–max)")
        axis.grid(True, alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    for a in axes[1:]:
        for h, lb in zip(*a.get_legend_handles_labels()):
            if lb not in labels:
                handles.append(h)
                labels.append(lb)
    figure.legend(handles, labels, loc="lower center", ncol=min(6, len(labels)), fontsize=9,
                  bbox_to_anchor=(0.5, -0.005))
    title(figure, f"Requests per second against connections, loops {loops}", meta)
    figure.tight_layout(rect=(0, 0.06, 1, 0.93))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    print(f"plot_lab: wrote {path}")


def w_path(w):
    from lablib.plan import WORKLOADS
    d = WORKLOADS.get(w)
    if d is None:
        return ""
    return f"GET {d.path}" + (f" ×{d.depth} pipelined" if d.depth > 1 else "")


def pick_connections(entries, wanted):
    conns = sorted({e["connections"] for e in entries})
    if wanted in conns:
        return wanted
    below = [c for c in conns if c <= wanted]
    return below[-1] if below else conns[0]


def plot_latency(entries, loops, meta, path, wanted):
    workloads = workloads_of(entries)
    figure, axes = panels(len(workloads))
    shades = (("p50_us", 1.0, "p50"), ("p95_us", 0.65, "p95"), ("p99_us", 0.35, "p99"))
    for axis, w in zip(axes, workloads):
        c = pick_connections(by(entries, workload=w), wanted)
        we = by(entries, workload=w, connections=c)
        servers = servers_of(we)
        width = 0.27
        for k, s in enumerate(servers):
            e = by(we, server=s)[0]
            for j, (key, alpha, label) in enumerate(shades):
                if e[key] is None:
                    continue
                axis.bar(k + (j - 1) * width, e[key] / 1000, width, color=colour(s), alpha=alpha,
                         edgecolor="black", linewidth=0.4, label=label if k == 0 else None)
        log_axis(axis)
        axis.set_xticks(range(len(servers)))
        axis.set_xticklabels(servers, rotation=35, ha="right", fontsize=8)
        axis.set_ylabel("latency, ms (median over rounds)")
        axis.set_title(f"{w} at {c:,} connections — bars: p50, p95, p99", fontsize=10)
        axis.grid(True, axis="y", alpha=0.3)
    title(figure, f"Latency percentiles, loops {loops}", meta)
    save(figure, path)


def plot_grouped(entries, loops, meta, path, rows, heading):
    """Bars per server, one per connection count, for each (key, label) in rows, one panel per workload."""
    workloads = workloads_of(entries)
    cols = min(3, len(workloads))
    nrow = math.ceil(len(workloads) / cols) * len(rows)
    figure, axes = plt.subplots(nrow, cols, figsize=(6.2 * cols, 3.9 * nrow), squeeze=False)
    used = set()
    for r, (key, label, note) in enumerate(rows):
        for i, w in enumerate(workloads):
            axis = axes[(i // cols) * len(rows) + r][i % cols]
            used.add(id(axis))
            we = by(entries, workload=w)
            servers = servers_of(we)
            conns = sorted({e["connections"] for e in we})
            width = 0.8 / len(conns)
            for j, c in enumerate(conns):
                values = []
                for s in servers:
                    e = by(we, server=s, connections=c)
                    values.append(e[0][key] if e and e[0][key] is not None else 0)
                shade = 0.35 + 0.65 * (j + 1) / len(conns)
                axis.bar([k + (j - (len(conns) - 1) / 2) * width for k in range(len(servers))], values, width,
                         color=[colour(s) for s in servers], alpha=shade, edgecolor="black", linewidth=0.3)
                for k, v in enumerate(values):
                    if v and len(servers) * len(conns) <= 16:
                        axis.text(k + (j - (len(conns) - 1) / 2) * width, v, f"{v:.3g}", ha="center", va="bottom",
                                  fontsize=7)
                    if v == 0:
                        axis.text(k + (j - (len(conns) - 1) / 2) * width, 0.01, "–", ha="center", va="bottom",
                                  fontsize=7, transform=axis.get_xaxis_transform())
            axis.set_xticks(range(len(servers)))
            axis.set_xticklabels(servers, rotation=35, ha="right", fontsize=8)
            axis.set_ylabel(label + " (log)")
            log_axis(axis)
            axis.set_title(f"{w}: bars left to right = {', '.join(f'{c:,}' for c in conns)} connections"
                           + (f"\n{note}" if note else ""), fontsize=9)
            axis.grid(True, axis="y", alpha=0.3)
    for row in axes:
        for a in row:
            if id(a) not in used:
                a.set_visible(False)
    title(figure, f"{heading}, loops {loops}", meta)
    save(figure, path)


def main():
    args = sys.argv[1:]
    wanted = 1000
    if "--latency-connections" in args:
        i = args.index("--latency-connections")
        wanted = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    out = os.path.abspath(args[0])
    rows, meta = lab_report.load(out)
    entries = lab_report.aggregate(rows)
    if not entries:
        sys.exit(f"plot_lab: no measured runs in {out}/results.csv")
    for loops in sorted({e["loops"] for e in entries}):
        le = by(entries, loops=loops)
        plot_rps(le, loops, meta, os.path.join(out, f"rps-loops{loops}.png"))
        plot_latency(le, loops, meta, os.path.join(out, f"latency-loops{loops}.png"), wanted)
        if any(e["syscalls_per_req"] is not None for e in le):
            source = ",".join(sorted({e["syscall_source"] for e in le if e["syscall_source"]}))
            plot_grouped(le, loops, meta, os.path.join(out, f"syscalls-loops{loops}.png"),
                         [("syscalls_per_req", f"system calls per request ({source})",
                           "io_uring operations are not system calls")],
                         "System calls per request (all server threads, separate pass)")
        plot_grouped(le, loops, meta, os.path.join(out, f"cpu-loops{loops}.png"),
                     [("cpu_us_per_req", "server CPU µs per request", ""),
                      ("ctxsw_per_req", "context switches per request", "voluntary + involuntary, server threads")],
                     "Server CPU and context switches per request")


if __name__ == "__main__":
    main()
