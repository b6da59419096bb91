#!/usr/bin/env python3
"""Records and summarises bench/files.sh runs (standard library only). The measuring itself (wrk, /proc,
perf, jstat, the ringserver stats lines) is hello_report.py's: this generates the files, adds the file
size, throughput and zero-copy figures to each row, and compares each ringserver backend with nginx
(against the issue's targets) and with Reactor Netty.

Subcommands:
  gen-file PATH BYTES     write BYTES of deterministic, incompressible content to PATH
  record ...              parse one measured run, append a CSV row, print progress
  summary ...             medians per size, connection count and server, ratios and targets, as markdown
"""

import argparse
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hello_report as hr  # noqa: E402 (found next to this file)

hr.PROG = "files_report"

COLUMNS = ["round", "server", "size", "size_bytes", "connections", "rps", "mb_per_s", "p50_us", "p99_us",
           "requests", "errors", "cpu_us_per_req", "syscalls_per_req_perf", "sendfile_calls_per_req_perf",
           "splice_calls_per_req_perf", "syscalls_per_req_server", "sendfile_bytes_per_req_server",
           "completions_per_poll", "load_cpu_busy_pct", "server_cpu_busy_pct", "alloc_bytes_per_req",
           "young_gcs"]
METRICS = COLUMNS[5:]
DIGITS = dict(hr.CSV_DIGITS, mb_per_s=2, sendfile_calls_per_req_perf=3, splice_calls_per_req_perf=3,
              sendfile_bytes_per_req_server=0)

SENDFILE_EVENT = "syscalls:sys_enter_sendfile64"
SPLICE_EVENT = "syscalls:sys_enter_splice"

NGINX = "nginx"
NETTY = "netty"
REFERENCES = (NGINX, NETTY)

# The issue's targets for the best ringserver backend at each file size, as ratios to nginx's medians.
TARGET_RPS = 0.9   # req/s at least this many times nginx's
TARGET_CPU = 1.25  # server CPU per request at most this many times nginx's


# ---- files --------------------------------------------------------------------------------

def cmd_gen_file(args):
    """SHA-256 in counter mode over the size: the same bytes for the same size on every machine, and
    nothing a compressor or a deduplicating layer could shrink."""
    remaining = args.bytes
    counter = 0
    with open(args.path, "wb") as f:
        while remaining > 0:
            block = hashlib.sha256(f"ringserver bench/files.sh {args.bytes} {counter}".encode()).digest()
            f.write(block[:remaining])
            remaining -= len(block)
            counter += 1


def size_title(size, size_bytes):
    """'4k', 4096 -> '4 KiB (4,096 bytes)'."""
    n = int(size_bytes)
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit} ({n:,} bytes)"
    return f"{n:,} bytes"


# ---- one run ------------------------------------------------------------------------------

def cmd_record(args):
    metrics = hr.run_metrics(args)
    requests = metrics["requests"]
    metrics["mb_per_s"] = metrics["rps"] * args.size_bytes / 1e6
    for column, event in (("sendfile_calls_per_req_perf", SENDFILE_EVENT),
                          ("splice_calls_per_req_perf", SPLICE_EVENT)):
        count = hr.perf_event_count(args.perf, event) if args.perf else None
        metrics[column] = None if count is None else count / requests
    before, after = hr.parse_stats(args.stats_before), hr.parse_stats(args.stats_after)
    metrics["sendfile_bytes_per_req_server"] = None
    if before and after and "sendfile_bytes" in before and "sendfile_bytes" in after:
        metrics["sendfile_bytes_per_req_server"] = (after["sendfile_bytes"] - before["sendfile_bytes"]) / requests
    row = [args.round, args.server, args.size, args.size_bytes, args.connections]
    row += [hr.fmt(metrics[c], DIGITS[c]) if c in DIGITS else ("" if metrics[c] is None else metrics[c])
            for c in METRICS]
    hr.append_csv_row(args.csv, COLUMNS, row)
    parts = [hr.progress_line(metrics), f"{metrics['mb_per_s']:.0f} MB/s"]
    if metrics["sendfile_calls_per_req_perf"] is not None:
        parts.append(f"sendfile(perf) {metrics['sendfile_calls_per_req_perf']:.2f}/req")
    if metrics["splice_calls_per_req_perf"] is not None:
        parts.append(f"splice(perf) {metrics['splice_calls_per_req_perf']:.2f}/req")
    if metrics["sendfile_bytes_per_req_server"] is not None:
        parts.append(f"sendfile(server) {metrics['sendfile_bytes_per_req_server']:.0f} B/req")
    print(", ".join(parts))


# ---- summary ------------------------------------------------------------------------------

def server_label(server):
    if server == NGINX:
        return "nginx (sendfile)"
    if server == NETTY:
        return "Reactor Netty (WebFlux)"
    return f"ringserver {server}"


def met(value, ok):
    return "–" if value is None else ("yes" if ok(value) else "**no**")


def quotient(a, b):
    return a / b if a is not None and b else None


def cmd_summary(args):
    meta = hr.read_meta(args.meta)
    rows = hr.read_rows(args.csv)
    servers = args.servers.split()
    sizes = args.sizes.split()
    connections = args.connections.split()
    size_bytes = {r["size"]: r["size_bytes"] for r in rows}

    out = []
    title = "# Static files: ringserver vs nginx (sendfile) and WebFlux on Reactor Netty"
    if args.quick:
        title += " — QUICK RUN (smoke test, numbers not meaningful)"
    out.append(title)
    out.append("")
    for key, value in meta:
        out.append(f"- {key}: {value}")
    out.append("")
    out.append("Medians over rounds; req/s spread is min–max over rounds. MB/s is the response bodies only "
               "(median req/s × file size, 10⁶ bytes). CPU µs/req is the server's utime+stime per request "
               "(all threads; nginx: master + worker); load/server busy is how busy the load generator's and "
               "the server's CPU were (from /proc/stat, including softirq work). The perf columns count "
               "raw_syscalls:sys_enter, and sendfile64 and splice entries, of every server thread in a separate "
               "pass after the rounds (the tracepoints cost time on every system call, so they never run during "
               "measured runs); io_uring's operations are not system calls of their own and do not show there. "
               "Syscalls (server) and sendfile B/req (server) are ringserver's own counters (event-loop system "
               "calls; file bytes sent by its zero-copy path: sendfile, or io_uring splice operations). Heap B/req is the worst round's Java heap allocation per "
               "request (JVMs only; eden growth from jstat -gc before and after each run, the whole eden counted "
               "for each young collection in between, so an upper bound when there were any); young GCs is "
               "their total over the rounds.")

    medians = {}  # (size, connections) -> server -> metric -> median
    warnings = []
    keys = ("rps", "mb_per_s", "p50_us", "p99_us", "errors", "cpu_us_per_req", "load_cpu_busy_pct",
            "server_cpu_busy_pct", "syscalls_per_req_server", "sendfile_bytes_per_req_server")
    perf_keys = ("syscalls_per_req_perf", "sendfile_calls_per_req_perf", "splice_calls_per_req_perf")
    for size in sizes:
        for c in connections:
            out.append("")
            out.append(f"## {size_title(size, size_bytes.get(size, 0))}, {hr.workload_title(c)}")
            out.append("")
            out.append("| server | req/s | req/s min–max | MB/s | p50 µs | p99 µs | errors | CPU µs/req "
                       "| load CPU busy | server CPU busy | syscalls/req (perf) | sendfile/req (perf) "
                       "| splice/req (perf) | syscalls/req (server) | sendfile B/req (server) | heap B/req "
                       "| young GCs | rounds |")
            out.append("|---|" + "---:|" * 17)
            workload = medians.setdefault((size, c), {})
            for s in servers:
                all_runs = [r for r in rows if r["server"] == s and r["size"] == size and r["connections"] == c]
                runs = [r for r in all_runs if int(r["round"]) > 0]
                perf_runs = [r for r in all_runs if int(r["round"]) == 0]
                if not runs:
                    continue
                rps = [hr.number(r["rps"]) for r in runs]
                m = {k: hr.median([hr.number(r[k]) for r in runs]) for k in keys}
                for k in perf_keys:
                    m[k] = hr.median([hr.number(r[k]) for r in perf_runs])
                allocs = [a for a in (hr.number(r["alloc_bytes_per_req"]) for r in runs) if a is not None]
                gcs = sum(int(r["young_gcs"]) for r in runs if r["young_gcs"])
                workload[s] = m
                out.append(f"| {server_label(s)} | {hr.show(m['rps'], 0)} | {min(rps):,.0f}–{max(rps):,.0f} "
                           f"| {hr.show(m['mb_per_s'], 0)} | {hr.show(m['p50_us'], 0)} | {hr.show(m['p99_us'], 0)} "
                           f"| {hr.show(m['errors'], 0)} | {hr.show(m['cpu_us_per_req'], 2)} "
                           f"| {hr.show(m['load_cpu_busy_pct'], 0)}% | {hr.show(m['server_cpu_busy_pct'], 0)}% "
                           f"| {hr.show(m['syscalls_per_req_perf'], 2)} | {hr.show(m['sendfile_calls_per_req_perf'], 2)} "
                           f"| {hr.show(m['splice_calls_per_req_perf'], 2)} | {hr.show(m['syscalls_per_req_server'], 2)} "
                           f"| {hr.show(m['sendfile_bytes_per_req_server'], 0)} "
                           f"| {hr.show(max(allocs), 0) if allocs else '–'} | {gcs if allocs else '–'} | {len(runs)} |")
                for r in all_runs:
                    if int(r["errors"]):
                        warnings.append(f"round {r['round']} {s} {size} c={c}: {r['errors']} errors")

    backends = [s for s in servers if s not in REFERENCES]
    if NGINX in servers and (backends or NETTY in servers):
        out.append("")
        out.append("## Against nginx")
        out.append("")
        out.append(f"Ratios of the medians above. The issue's targets, for each size on the best backend: req/s at "
                   f"least {TARGET_RPS:.2f}× nginx's, server CPU per request at most {TARGET_CPU:.2f}× nginx's. "
                   f"Reactor Netty is listed for reference, without targets.")
        out.append("")
        out.append("| size | connections | server | req/s ÷ nginx | CPU µs/req ÷ nginx | req/s target | CPU target |")
        out.append("|---|---:|---|---:|---:|---|---|")
        for size in sizes:
            for c in connections:
                workload = medians.get((size, c), {})
                nginx = workload.get(NGINX)
                for s in backends + ([NETTY] if NETTY in servers else []):
                    m = workload.get(s)
                    if not nginx or not m:
                        continue
                    q_rps = quotient(m["rps"], nginx["rps"])
                    q_cpu = quotient(m["cpu_us_per_req"], nginx["cpu_us_per_req"])
                    reference = s == NETTY
                    out.append(f"| {size} | {c} | {server_label(s)} | {hr.ratio(m['rps'], nginx['rps'])} "
                               f"| {hr.ratio(m['cpu_us_per_req'], nginx['cpu_us_per_req'])} "
                               f"| {'–' if reference else met(q_rps, lambda v: v >= TARGET_RPS)} "
                               f"| {'–' if reference else met(q_cpu, lambda v: v <= TARGET_CPU)} |")
        if backends:
            out.append("")
            out.append("Best backend per size (highest median req/s), against the targets:")
            out.append("")
            out.append("| size | connections | best backend | req/s ÷ nginx | CPU µs/req ÷ nginx | both targets met |")
            out.append("|---|---:|---|---:|---:|---|")
            verdicts = []
            for size in sizes:
                for c in connections:
                    workload = medians.get((size, c), {})
                    nginx = workload.get(NGINX)
                    measured = [s for s in backends if s in workload and workload[s]["rps"] is not None]
                    if not nginx or not measured:
                        continue
                    best = max(measured, key=lambda s: workload[s]["rps"])
                    m = workload[best]
                    q_rps = quotient(m["rps"], nginx["rps"])
                    q_cpu = quotient(m["cpu_us_per_req"], nginx["cpu_us_per_req"])
                    ok = q_rps is not None and q_cpu is not None and q_rps >= TARGET_RPS and q_cpu <= TARGET_CPU
                    verdicts.append(ok)
                    out.append(f"| {size} | {c} | {best} | {hr.ratio(m['rps'], nginx['rps'])} "
                               f"| {hr.ratio(m['cpu_us_per_req'], nginx['cpu_us_per_req'])} "
                               f"| {'yes' if ok else '**no**'} |")
            if verdicts:
                out.append("")
                out.append(f"Targets met for every size: {'yes' if all(verdicts) else '**no**'}"
                           + (" (quick run: not meaningful)" if args.quick else "") + ".")

    if NETTY in servers and (backends or NGINX in servers):
        out.append("")
        out.append("## Against Reactor Netty")
        out.append("")
        out.append("Ratios of the medians above (no target).")
        out.append("")
        out.append("| size | connections | server | req/s ÷ Netty | p99 ÷ Netty | CPU µs/req ÷ Netty |")
        out.append("|---|---:|---|---:|---:|---:|")
        for size in sizes:
            for c in connections:
                workload = medians.get((size, c), {})
                netty = workload.get(NETTY)
                for s in backends + ([NGINX] if NGINX in servers else []):
                    m = workload.get(s)
                    if not netty or not m:
                        continue
                    out.append(f"| {size} | {c} | {server_label(s)} | {hr.ratio(m['rps'], netty['rps'])} "
                               f"| {hr.ratio(m['p99_us'], netty['p99_us'])} "
                               f"| {hr.ratio(m['cpu_us_per_req'], netty['cpu_us_per_req'])} |")

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

    p = sub.add_parser("gen-file")
    p.add_argument("path")
    p.add_argument("bytes", type=int)
    p.set_defaults(func=cmd_gen_file)

    p = sub.add_parser("record")
    p.add_argument("--csv", required=True)
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--size", required=True, help="the size as given: 4k, 64k, 1m")
    p.add_argument("--size-bytes", type=int, required=True)
    p.add_argument("--connections", required=True)
    hr.add_run_arguments(p)
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("summary")
    p.add_argument("--csv", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--servers", required=True)
    p.add_argument("--sizes", required=True)
    p.add_argument("--connections", required=True)
    p.add_argument("--quick", action="store_true")
    p.set_defaults(func=cmd_summary)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
