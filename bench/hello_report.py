#!/usr/bin/env python3
"""Parsing and statistics for bench/hello.sh (standard library only).

Subcommands:
  ticks PID...            utime+stime (clock ticks) summed over the processes
  cpustat CPU...          busy and total jiffies of each CPU from /proc/stat
  children PID            direct children of PID, one per line
  last-stats FILE         the last complete 'stats ...' line of a ringserver log
  perf-count FILE         the raw_syscalls:sys_enter count of a 'perf stat -x,' file
  record ...              parse one measured run, append a CSV row, print progress
  summary ...             medians per server and connection count, as markdown
"""

import argparse
import csv
import os
import re
import statistics
import sys

COLUMNS = ["round", "server", "connections", "rps", "p50_us", "p99_us", "requests", "errors",
           "cpu_us_per_req", "syscalls_per_req_perf", "syscalls_per_req_server", "completions_per_poll",
           "load_cpu_busy_pct", "server_cpu_busy_pct", "alloc_bytes_per_req", "young_gcs"]

UNIT_US = {"us": 1.0, "ms": 1e3, "s": 1e6, "m": 60e6, "h": 3600e6}


PROG = "hello_report"  # the name errors start with (webflux_report.py sets its own)


def die(message):
    print(PROG + ": " + message, file=sys.stderr)
    sys.exit(1)


# ---- /proc ---------------------------------------------------------------------------------

def stat_fields(pid):
    """Fields of /proc/PID/stat after the command name, which may hold spaces or parentheses."""
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()


def cmd_cpustat(args):
    """Prints 'busy total' jiffies per requested CPU; idle and iowait count as not busy."""
    wanted = {f"cpu{c}" for c in args.cpus}
    values = {}
    with open("/proc/stat") as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] in wanted:
                numbers = [int(x) for x in fields[1:9]]
                total = sum(numbers)
                idle = numbers[3] + numbers[4]
                values[fields[0]] = (total - idle, total)
    print(" ".join(f"{values[f'cpu{c}'][0]} {values[f'cpu{c}'][1]}" for c in args.cpus))


def busy_percent(before, after, index):
    """CPU busy share between two 'cpustat' outputs, for the index-th CPU listed."""
    if not before or not after:
        return None
    b = [int(x) for x in before.split()]
    a = [int(x) for x in after.split()]
    total = a[2 * index + 1] - b[2 * index + 1]
    return None if total <= 0 else 100.0 * (a[2 * index] - b[2 * index]) / total


def cmd_ticks(args):
    total = 0
    for pid in args.pids:
        try:
            rest = stat_fields(pid)
        except OSError:
            die(f"process {pid} is gone (a server or nginx worker exited)")  # rest[0] is field 3 (state); utime is field 14, stime 15
        total += int(rest[11]) + int(rest[12])
    print(total)


def cmd_heap(args):
    """Prints 'eden_used_kb eden_capacity_kb young_gcs' of a JVM, from jstat -gc."""
    import subprocess
    result = subprocess.run(args.jstat_command + [str(args.pid)], capture_output=True, text=True)
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 2:
        # Heap figures are an extra: a failed attach leaves this run without them rather than
        # ending the benchmark.
        first = (result.stdout + result.stderr).strip().split("\n")[0]
        print(f"hello_report: warning: jstat failed for {args.pid}, no heap figure for this run: {first}",
              file=sys.stderr)
        return
    values = dict(zip(lines[0].split(), lines[1].split()))
    try:
        print(values["EU"], values["EC"], values["YGC"])
    except KeyError:
        die(f"unexpected jstat output: {result.stdout}")


def heap_allocation(before, after):
    """Bytes allocated between two 'cmd_heap' snapshots, and young collections in between. With
    collections, the eden's capacity counts in full for each: an upper bound."""
    if not before or not after:
        return None, None
    eu0, _, ygc0 = before.split()
    eu1, ec1, ygc1 = after.split()
    gcs = int(ygc1) - int(ygc0)
    return (float(eu1) - float(eu0) + gcs * float(ec1)) * 1024, gcs


def cmd_children(args):
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            rest = stat_fields(name)
        except (OSError, ValueError):
            continue
        if rest[1] == str(args.pid):  # field 4: ppid
            print(name)


# ---- ringserver stats ---------------------------------------------------------------------

def parse_stats(line):
    if not line or not line.startswith("stats "):
        return None
    values = {}
    for token in line.split()[1:]:
        key, _, value = token.partition("=")
        try:
            values[key] = int(value)
        except ValueError:
            pass
    return values


def cmd_last_stats(args):
    try:
        with open(args.file, errors="replace") as f:
            text = f.read()
    except OSError:
        return
    last = ""
    for line in text.splitlines(keepends=True):
        # Only complete lines: the server may be writing the next one right now.
        if line.endswith("\n") and line.startswith("stats ") and parse_stats(line.strip()):
            last = line.strip()
    print(last)


# ---- perf ---------------------------------------------------------------------------------

def perf_event_count(path, event):
    """The count of one event in a 'perf stat -x,' file; None when absent or not counted."""
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split(",")
        name = fields[2].strip() if len(fields) >= 3 else ""
        if line.startswith("#") or not (name == event or name.startswith(event + ":")):  # ":u" and the like
            continue
        first = fields[0].strip()
        if re.fullmatch(r"\d+", first):
            return int(first)
        return None  # <not counted>, <not supported>
    return None


def perf_count(path):
    return perf_event_count(path, "raw_syscalls:sys_enter")


def cmd_perf_count(args):
    count = perf_count(args.file)
    print("" if count is None else count)


# ---- wrk ----------------------------------------------------------------------------------

def to_us(value, unit):
    return float(value) * UNIT_US[unit]


def parse_wrk(text):
    result = {}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    if not m:
        die("no 'Requests/sec' in wrk's output:\n" + text)
    result["rps"] = float(m.group(1))
    m = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),", text, re.M)
    if not m:
        die("no request total in wrk's output:\n" + text)
    result["requests"] = int(m.group(1))
    block = text.split("Latency Distribution", 1)
    if len(block) != 2:
        die("no 'Latency Distribution' in wrk's output (was --latency given?):\n" + text)
    percentiles = {}
    for m in re.finditer(r"^\s*(\d+(?:\.\d+)?)%\s+([\d.]+)(us|ms|s|m|h)\s*$", block[1], re.M):
        percentiles[float(m.group(1))] = to_us(m.group(2), m.group(3))
    if 50.0 not in percentiles or 99.0 not in percentiles:
        die("no 50% or 99% line in wrk's latency distribution:\n" + text)
    result["p50_us"] = percentiles[50.0]
    result["p99_us"] = percentiles[99.0]
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(g) for g in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    result["errors"] = errors
    return result


def fmt(value, digits):
    if value is None:
        return ""
    return f"{value:.{digits}f}"


def run_metrics(args):
    """The metrics of one measured run, from the arguments 'add_run_arguments' defines: a dict with the
    metric columns of COLUMNS (from 'rps' on; None where not measured)."""
    with open(args.wrk, errors="replace") as f:
        wrk = parse_wrk(f.read())
    requests = wrk["requests"]
    if requests <= 0:
        die(f"{args.server}: wrk completed no requests")
    cpu_us = (args.ticks_after - args.ticks_before) / args.clk_tck * 1e6
    cpu_per_req = cpu_us / requests

    perf_per_req = None
    if args.perf:
        count = perf_count(args.perf)
        if count is not None:
            perf_per_req = count / requests

    server_per_req = None
    completions_per_poll = None
    before = parse_stats(args.stats_before)
    after = parse_stats(args.stats_after)
    if before is not None and after is not None:
        if "syscalls" in before and "syscalls" in after:
            server_per_req = (after["syscalls"] - before["syscalls"]) / requests
        if all(k in d for k in ("completions", "polls") for d in (before, after)):
            polls = after["polls"] - before["polls"]
            if polls > 0:
                completions_per_poll = (after["completions"] - before["completions"]) / polls

    allocated, young_gcs = heap_allocation(args.heap_before, args.heap_after)
    alloc_per_req = None if allocated is None else max(0.0, allocated) / requests
    return {"rps": wrk["rps"], "p50_us": wrk["p50_us"], "p99_us": wrk["p99_us"], "requests": requests,
            "errors": wrk["errors"], "cpu_us_per_req": cpu_per_req, "syscalls_per_req_perf": perf_per_req,
            "syscalls_per_req_server": server_per_req, "completions_per_poll": completions_per_poll,
            "load_cpu_busy_pct": busy_percent(args.cpustat_before, args.cpustat_after, 0),
            "server_cpu_busy_pct": busy_percent(args.cpustat_before, args.cpustat_after, 1),
            "alloc_bytes_per_req": alloc_per_req, "young_gcs": young_gcs}


# Digits of each metric in the CSV (requests, errors and young_gcs are integers).
CSV_DIGITS = {"rps": 2, "p50_us": 2, "p99_us": 2, "cpu_us_per_req": 3, "syscalls_per_req_perf": 3,
              "syscalls_per_req_server": 3, "completions_per_poll": 3, "load_cpu_busy_pct": 1,
              "server_cpu_busy_pct": 1, "alloc_bytes_per_req": 2}


def csv_value(metrics, column):
    """A metric as written to the CSV: fixed digits, integers as they are, empty when not measured."""
    value = metrics[column]
    if column in CSV_DIGITS:
        return fmt(value, CSV_DIGITS[column])
    return "" if value is None else value


def append_csv_row(path, columns, row):
    """Appends a row, writing the header first when the file is new or empty."""
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="") as f:
        writer = csv.writer(f)
        if new:
            writer.writerow(columns)
        writer.writerow(row)


def progress_line(m):
    """The one-line account of a run that the scripts print as progress."""
    parts = [f"{m['rps']:>10.0f} req/s", f"p50 {m['p50_us']:.0f} us", f"p99 {m['p99_us']:.0f} us",
             f"cpu {m['cpu_us_per_req']:.2f} us/req"]
    if m["syscalls_per_req_perf"] is not None:
        parts.append(f"syscalls(perf) {m['syscalls_per_req_perf']:.2f}/req")
    if m["syscalls_per_req_server"] is not None:
        parts.append(f"syscalls(server) {m['syscalls_per_req_server']:.2f}/req")
    if m["completions_per_poll"] is not None:
        parts.append(f"cqe/poll {m['completions_per_poll']:.2f}")
    if m["load_cpu_busy_pct"] is not None and m["server_cpu_busy_pct"] is not None:
        parts.append(f"busy: load cpu {m['load_cpu_busy_pct']:.0f}%, server cpu {m['server_cpu_busy_pct']:.0f}%")
    if m["alloc_bytes_per_req"] is not None:
        bound = "≤" if m["young_gcs"] else ""
        parts.append(f"heap {bound}{m['alloc_bytes_per_req']:.1f} B/req ({m['young_gcs']} young GCs)")
    if m["errors"]:
        parts.append(f"ERRORS {m['errors']}")
    return ", ".join(parts)


def cmd_record(args):
    metrics = run_metrics(args)
    row = [args.round, args.server, args.connections] + [csv_value(metrics, c) for c in COLUMNS[3:]]
    append_csv_row(args.csv, COLUMNS, row)
    print(progress_line(metrics))


# ---- summary ------------------------------------------------------------------------------

def number(text):
    return None if text in ("", None) else float(text)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def show(value, digits):
    return "–" if value is None else f"{value:,.{digits}f}"


def ratio(a, b):
    if a is None or not b:
        return "–"
    return f"{a / b:.2f}×"


def workload_title(workload):
    """'256' -> '256 connections'; '256x16' -> '256 connections, pipelined 16 deep'."""
    connections, _, depth = workload.partition("x")
    return f"{connections} connections" + (f", pipelined {depth} deep" if depth else "")


def read_meta(path):
    """The (key, value) pairs of a tab-separated facts file, in order."""
    meta = []
    with open(path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("\t")
            meta.append((key, value))
    return meta


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def cmd_summary(args):
    meta = read_meta(args.meta)
    rows = read_rows(args.csv)

    servers = args.servers.split()
    connections = args.connections.split()
    out = []
    title = "# ringserver fixed responder vs nginx"
    if args.quick:
        title += " — QUICK RUN (smoke test, numbers not meaningful)"
    out.append(title)
    out.append("")
    for key, value in meta:
        out.append(f"- {key}: {value}")
    out.append("")
    out.append("Medians over rounds; req/s spread is min–max over rounds. CPU µs/req is the server's "
               "utime+stime per request; load/server busy is how busy the load generator's and the "
               "server's CPU were (from /proc/stat, including softirq work); syscalls (server) and "
               "CQEs/poll are the ringserver event loop's own counters; syscalls (perf) counts "
               "raw_syscalls:sys_enter of every server thread in a separate pass after the rounds "
               "(the tracepoint costs time on every system call, so it never runs during measured runs). "
               "Heap B/req is the worst round's Java heap allocation per request (ringserver; eden growth "
               "from jstat -gc before and after each run, the whole eden counted for each young "
               "collection in between, so an upper bound when there were any); young GCs is their total "
               "over the rounds.")

    warnings = []
    for c in connections:
        out.append("")
        out.append(f"## {workload_title(c)}")
        out.append("")
        out.append("| server | req/s | req/s min–max | p50 µs | p99 µs | errors | CPU µs/req | load CPU busy "
                   "| server CPU busy | syscalls/req (perf) | syscalls/req (server) | CQEs/poll | heap B/req "
                   "| young GCs | rounds |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        medians = {}
        for s in servers:
            all_runs = [r for r in rows if r["server"] == s and r["connections"] == c]
            runs = [r for r in all_runs if int(r["round"]) > 0]
            perf_runs = [r for r in all_runs if int(r["round"]) == 0]
            if not runs:
                continue
            rps = [number(r["rps"]) for r in runs]
            m = {k: median([number(r[k]) for r in runs]) for k in
                 ("rps", "p50_us", "p99_us", "errors", "cpu_us_per_req", "syscalls_per_req_server",
                  "completions_per_poll", "load_cpu_busy_pct", "server_cpu_busy_pct")}
            allocs = [number(r.get("alloc_bytes_per_req")) for r in runs]
            allocs = [a for a in allocs if a is not None]
            gcs = sum(int(r["young_gcs"]) for r in runs if r.get("young_gcs"))
            m["syscalls_per_req_perf"] = median([number(r["syscalls_per_req_perf"]) for r in perf_runs])
            medians[s] = m
            out.append(f"| {s} | {show(m['rps'], 0)} | {min(rps):,.0f}–{max(rps):,.0f} "
                       f"| {show(m['p50_us'], 0)} | {show(m['p99_us'], 0)} | {show(m['errors'], 0)} "
                       f"| {show(m['cpu_us_per_req'], 2)} | {show(m['load_cpu_busy_pct'], 0)}% "
                       f"| {show(m['server_cpu_busy_pct'], 0)}% | {show(m['syscalls_per_req_perf'], 2)} "
                       f"| {show(m['syscalls_per_req_server'], 2)} | {show(m['completions_per_poll'], 2)} "
                       f"| {show(max(allocs), 2) if allocs else '–'} | {gcs if allocs else '–'} "
                       f"| {len(runs)} |")
            for r in all_runs:
                if int(r["errors"]):
                    warnings.append(f"round {r['round']} {s} c={c}: {r['errors']} errors")
        lines = []
        rps = {s: m["rps"] for s, m in medians.items()}
        if "nginx" in rps:
            for s in servers:
                if s != "nginx" and s in rps:
                    lines.append(f"- {s} / nginx: {ratio(rps[s], rps['nginx'])}")
        for a, b in (("io_uring", "epoll"), ("epoll", "nio")):
            if a in rps and b in rps:
                lines.append(f"- {a} / {b}: {ratio(rps[a], rps[b])}")
        if lines:
            out.append("")
            out.append("Ratios of median req/s:")
            out.append("")
            out.extend(lines)
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


def add_run_arguments(p):
    """The arguments describing one measured run, for 'run_metrics' (shared with webflux_report.py)."""
    p.add_argument("--wrk", required=True)
    p.add_argument("--ticks-before", type=int, required=True)
    p.add_argument("--ticks-after", type=int, required=True)
    p.add_argument("--clk-tck", type=int, required=True)
    p.add_argument("--perf", default="")
    p.add_argument("--stats-before", default="")
    p.add_argument("--stats-after", default="")
    p.add_argument("--cpustat-before", default="", help="'cpustat LOAD_CPU SERVER_CPU' before the run")
    p.add_argument("--cpustat-after", default="")
    p.add_argument("--heap-before", default="", help="'heap PID' before the run")
    p.add_argument("--heap-after", default="")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ticks")
    p.add_argument("pids", nargs="+", type=int)
    p.set_defaults(func=cmd_ticks)

    p = sub.add_parser("cpustat")
    p.add_argument("cpus", nargs="+", type=int)
    p.set_defaults(func=cmd_cpustat)

    p = sub.add_parser("children")
    p.add_argument("pid", type=int)
    p.set_defaults(func=cmd_children)

    p = sub.add_parser("heap", help="eden used, eden capacity (KiB) and young GCs of a JVM, from jstat")
    p.add_argument("pid", type=int)
    p.add_argument("jstat_command", nargs="+", help="how to run jstat -gc, e.g. taskset -c 0 $JDK/bin/jstat -gc")
    p.set_defaults(func=cmd_heap)

    p = sub.add_parser("last-stats")
    p.add_argument("file")
    p.set_defaults(func=cmd_last_stats)

    p = sub.add_parser("perf-count")
    p.add_argument("file")
    p.set_defaults(func=cmd_perf_count)

    p = sub.add_parser("record")
    p.add_argument("--csv", required=True)
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--connections", required=True, help="workload: N or NxD (pipelined D deep)")
    add_run_arguments(p)
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("summary")
    p.add_argument("--csv", required=True)
    p.add_argument("--meta", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--servers", required=True)
    p.add_argument("--connections", required=True)
    p.add_argument("--quick", action="store_true")
    p.set_defaults(func=cmd_summary)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
