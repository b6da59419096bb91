#!/usr/bin/env python3
"""Records and summarises bench/webflux.sh runs (standard library only). The measuring itself (wrk,
/proc, perf, jstat) is hello_report.py's: this adds the endpoint to each row, and compares each
ringserver backend with Reactor Netty. The /proc and jstat probes are hello_report.py's subcommands.

Subcommands:
  record ...              parse one measured run, append a CSV row, print progress
  loop-threads PID PREFIX event-loop threads of a process: their count and names (by thread name prefix)
  summary ...             medians per endpoint, connection count and server, ratios to Netty, as markdown
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hello_report as hr  # noqa: E402 (found next to this file)

hr.PROG = "webflux_report"

COLUMNS = ["round", "server", "endpoint", "connections", "rps", "p50_us", "p99_us", "requests", "errors",
           "cpu_us_per_req", "syscalls_per_req_perf", "load_cpu_busy_pct", "server_cpu_busy_pct",
           "alloc_bytes_per_req", "young_gcs"]
METRICS = COLUMNS[4:]

NETTY = "netty"

# The targets for each ringserver backend, as ratios to Reactor Netty's medians.
TARGET_RPS = 1.3  # req/s at least this many times Netty's
TARGET_P99 = 1.0  # p99 latency no worse than Netty's
TARGET_CPU = 1.0  # server CPU per request below Netty's


def cmd_record(args):
    metrics = hr.run_metrics(args)
    row = [args.round, args.server, args.endpoint, args.connections] + [hr.csv_value(metrics, c) for c in METRICS]
    hr.append_csv_row(args.csv, COLUMNS, row)
    print(hr.progress_line(metrics))


def cmd_loop_threads(args):
    """Prints 'count name,name,...' of the threads whose name (/proc comm, at most 15 characters)
    starts with the prefix."""
    names = []
    try:
        tasks = os.listdir(f"/proc/{args.pid}/task")
    except OSError:
        hr.die(f"process {args.pid} is gone")
    for task in sorted(tasks, key=int):
        try:
            with open(f"/proc/{args.pid}/task/{task}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue
        if name.startswith(args.prefix):
            names.append(name)
    print(len(names), ",".join(names) or "-")


def server_label(server):
    return "Reactor Netty" if server == NETTY else f"ringserver {server}"


def met(value, ok):
    return "–" if value is None else ("yes" if ok(value) else "no")


def cmd_summary(args):
    meta = hr.read_meta(args.meta)
    rows = hr.read_rows(args.csv)
    servers = args.servers.split()
    endpoints = args.endpoints.split()
    connections = args.connections.split()

    out = []
    title = "# WebFlux application: ringserver vs Reactor Netty"
    if args.quick:
        title += " — QUICK RUN (smoke test, numbers not meaningful)"
    out.append(title)
    out.append("")
    for key, value in meta:
        out.append(f"- {key}: {value}")
    out.append("")
    out.append("Medians over rounds; req/s spread is min–max over rounds. CPU µs/req is the server JVM's "
               "utime+stime (all threads: event loop, GC, JIT) per request; load/server busy is how busy "
               "the load generator's and the server's CPU were (from /proc/stat, including softirq work); "
               "syscalls (perf) counts raw_syscalls:sys_enter of every server thread in a separate pass after "
               "the rounds (the tracepoint costs time on every system call, so it never runs during measured "
               "runs). Heap B/req is the worst round's Java heap allocation per request (eden growth from "
               "jstat -gc before and after each run, the whole eden counted for each young collection in "
               "between, so an upper bound when there were any); young GCs is their total over the rounds.")

    medians = {}  # (endpoint, connections) -> server -> metric -> median
    warnings = []
    for e in endpoints:
        for c in connections:
            out.append("")
            out.append(f"## GET /{e}, {hr.workload_title(c)}")
            out.append("")
            out.append("| server | req/s | req/s min–max | p50 µs | p99 µs | errors | CPU µs/req | load CPU busy "
                       "| server CPU busy | syscalls/req (perf) | heap B/req | young GCs | rounds |")
            out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            workload = medians.setdefault((e, c), {})
            for s in servers:
                all_runs = [r for r in rows if r["server"] == s and r["endpoint"] == e and r["connections"] == c]
                runs = [r for r in all_runs if int(r["round"]) > 0]
                perf_runs = [r for r in all_runs if int(r["round"]) == 0]
                if not runs:
                    continue
                rps = [hr.number(r["rps"]) for r in runs]
                m = {k: hr.median([hr.number(r[k]) for r in runs]) for k in
                     ("rps", "p50_us", "p99_us", "errors", "cpu_us_per_req", "load_cpu_busy_pct",
                      "server_cpu_busy_pct")}
                m["syscalls_per_req_perf"] = hr.median([hr.number(r["syscalls_per_req_perf"]) for r in perf_runs])
                allocs = [a for a in (hr.number(r["alloc_bytes_per_req"]) for r in runs) if a is not None]
                gcs = sum(int(r["young_gcs"]) for r in runs if r["young_gcs"])
                workload[s] = m
                out.append(f"| {server_label(s)} | {hr.show(m['rps'], 0)} | {min(rps):,.0f}–{max(rps):,.0f} "
                           f"| {hr.show(m['p50_us'], 0)} | {hr.show(m['p99_us'], 0)} | {hr.show(m['errors'], 0)} "
                           f"| {hr.show(m['cpu_us_per_req'], 2)} | {hr.show(m['load_cpu_busy_pct'], 0)}% "
                           f"| {hr.show(m['server_cpu_busy_pct'], 0)}% | {hr.show(m['syscalls_per_req_perf'], 2)} "
                           f"| {hr.show(max(allocs), 0) if allocs else '–'} | {gcs if allocs else '–'} "
                           f"| {len(runs)} |")
                for r in all_runs:
                    if int(r["errors"]):
                        warnings.append(f"round {r['round']} {s} /{e} c={c}: {r['errors']} errors")

    backends = [s for s in servers if s != NETTY]
    if NETTY in servers and backends:
        out.append("")
        out.append("## Each ringserver backend against Reactor Netty")
        out.append("")
        out.append(f"Ratios of the medians above. The issue's targets: req/s at least {TARGET_RPS:.2f}× Netty's, "
                   f"p99 no worse (at most {TARGET_P99:.2f}×), server CPU per request lower (below "
                   f"{TARGET_CPU:.2f}×).")
        out.append("")
        out.append("| endpoint | connections | backend | req/s ÷ Netty | p99 ÷ Netty | CPU µs/req ÷ Netty "
                   "| req/s target | p99 target | CPU target |")
        out.append("|---|---:|---|---:|---:|---:|---|---|---|")
        for e in endpoints:
            for c in connections:
                workload = medians.get((e, c), {})
                netty = workload.get(NETTY)
                for s in backends:
                    m = workload.get(s)
                    if not netty or not m:
                        continue
                    q = {k: (m[k] / netty[k] if m[k] is not None and netty[k] else None)
                         for k in ("rps", "p99_us", "cpu_us_per_req")}
                    out.append(f"| /{e} | {c} | {s} | {hr.ratio(m['rps'], netty['rps'])} "
                               f"| {hr.ratio(m['p99_us'], netty['p99_us'])} "
                               f"| {hr.ratio(m['cpu_us_per_req'], netty['cpu_us_per_req'])} "
                               f"| {met(q['rps'], lambda v: v >= TARGET_RPS)} "
                               f"| {met(q['p99_us'], lambda v: v <= TARGET_P99)} "
                               f"| {met(q['cpu_us_per_req'], lambda v: v < TARGET_CPU)} |")
    if warnings:
        out.append("")
        out.append("## Runs with errors (wrk socket errors + non-2xx responses)")
        out.append("")
        out.extend(f"- {w}" for w in warnings)
    out.append("")
    out.append(f"Per-run data: {args.csv}")
    text = "\n".join(out) + "\n"
    with open(args.md, "w") as f:
        f.write(text)
    sys.stdout.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("record")
    p.add_argument("--csv", required=True)
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--endpoint", required=True, help="path without the leading slash: plaintext, json")
    p.add_argument("--connections", required=True)
    hr.add_run_arguments(p)
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("loop-threads")
    p.add_argument("pid", type=int)
    p.add_argument("prefix")
    p.set_defaults(func=cmd_loop_threads)

    p = sub.add_parser("summary")
    p.add_argument("--csv", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--servers", required=True)
    p.add_argument("--endpoints", required=True)
    p.add_argument("--connections", required=True)
    p.add_argument("--quick", action="store_true")
    p.set_defaults(func=cmd_summary)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
