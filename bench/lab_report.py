#!/usr/bin/env python3
"""Summarises a bench/lab.sh run (standard library only): reads OUT/results.csv and OUT/meta.json, writes
OUT/summary.md (also printed) and OUT/results.json (the medians per loops, workload, connections and
server, with the machine and versions).

usage: bench/lab_report.py OUT [--no-print]
"""

import csv
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from lablib.plan import SERVER_ORDER, WORKLOAD_ORDER, WORKLOADS, minutes  # noqa: E402

REFERENCES = ("nginx", "netty-epoll")

# Medians over the measured rounds (round > 0) ...
MEASURED = ["rps", "p50_us", "p95_us", "p99_us", "max_us", "mb_per_s", "server_cpu_pct", "cpu_us_per_req",
            "load_cpu_busy_pct", "server_cpu_busy_pct", "vcsw_per_req", "ivcsw_per_req", "vcsw_per_s",
            "ivcsw_per_s", "rss_mb", "threads", "server_syscalls_per_req", "completions_per_poll"]
# ... and over the system-call pass (round 0).
COUNTED = ["syscalls_per_req", "syscalls_per_s", "ctxsw_per_req_perf"]


def number(text):
    try:
        return None if text in ("", None) else float(text)
    except ValueError:
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def load(out):
    with open(os.path.join(out, "results.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    try:
        with open(os.path.join(out, "meta.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        meta = {}
    return rows, meta


def order_of(values, known):
    known_first = [k for k in known if k in values]
    return known_first + sorted(set(values) - set(known_first))


def aggregate(rows):
    """The medians per (loops, workload, connections, server), as a list of dicts, in matrix order."""
    groups = {}
    for r in rows:
        key = (int(r["loops"]), r["workload"], int(r["connections"]), r["server"])
        groups.setdefault(key, []).append(r)
    loops = sorted({k[0] for k in groups})
    workloads = order_of({k[1] for k in groups}, WORKLOAD_ORDER)
    connections = sorted({k[2] for k in groups})
    servers = order_of({k[3] for k in groups}, SERVER_ORDER)
    entries = []
    for lp in loops:
        for w in workloads:
            for c in connections:
                cell = {}
                for s in servers:
                    rs = groups.get((lp, w, c, s))
                    if not rs:
                        continue
                    runs = [r for r in rs if int(r["round"]) > 0]
                    counted = [r for r in rs if int(r["round"]) == 0]
                    if not runs:
                        continue
                    e = {"loops": lp, "workload": w, "connections": c, "server": s, "rounds": len(runs)}
                    for k in MEASURED:
                        e[k] = median([number(r.get(k)) for r in runs])
                    rps = [number(r["rps"]) for r in runs]
                    e["rps_min"], e["rps_max"] = min(rps), max(rps)
                    e["rps_spread_pct"] = 100 * (e["rps_max"] - e["rps_min"]) / e["rps"] if e["rps"] else None
                    e["ctxsw_per_req"] = median([(number(r["vcsw_per_req"]) or 0) + (number(r["ivcsw_per_req"]) or 0)
                                                 for r in runs])
                    e["errors"] = sum(int(r["errors"] or 0) for r in runs)
                    e["non2xx"] = sum(int(r["non2xx"] or 0) for r in runs)
                    e["requests"] = sum(int(r["requests"] or 0) for r in runs)
                    for k in COUNTED:
                        e[k] = median([number(r.get(k)) for r in counted])
                    sources = sorted({r["syscall_source"] for r in counted if r.get("syscall_source")})
                    e["syscall_source"] = ",".join(sources)
                    cell[s] = e
                for s, e in cell.items():
                    for ref in REFERENCES:
                        base = cell.get(ref)
                        key = "vs_" + ref.replace("-", "_")
                        e["rps_" + key] = e["rps"] / base["rps"] if base and base["rps"] else None
                        e["cpu_" + key] = (e["cpu_us_per_req"] / base["cpu_us_per_req"]
                                           if base and e["cpu_us_per_req"] is not None and base["cpu_us_per_req"]
                                           else None)
                    entries.append(e)
    return entries


# ---- formatting -------------------------------------------------------------------------------------

def show(value, digits=0, suffix=""):
    return "–" if value is None else f"{value:,.{digits}f}{suffix}"


def latency(us):
    if us is None:
        return "–"
    if us < 1000:
        return f"{us:.0f} µs"
    if us < 100_000:
        return f"{us / 1000:.2f} ms"
    return f"{us / 1000:,.0f} ms"


def ratio(value):
    return "–" if value is None else f"{value:.2f}×"


def workload_title(w):
    d = WORKLOADS.get(w)
    if d is None:
        return w
    if d.size:
        what = f"GET {d.path} ({d.size:,} bytes, a static file)"
    elif w == "json":
        what = f"GET {d.path} (the sample's notes as JSON)"
    else:
        what = f"GET {d.path} (Hello, World!)"
    return f"{w}: {what}" + (f", {d.depth} requests pipelined per connection" if d.depth > 1 else ", keep-alive")


def meta_lines(meta):
    out = []
    m, v, o = meta.get("machine", {}), meta.get("versions", {}), meta.get("options", {})
    out.append(f"- status: {meta.get('status', '?')}; {meta.get('start_utc', '?')} to {meta.get('end_utc') or '?'} "
               f"({minutes(meta.get('elapsed_s', 0))}; estimate {minutes(meta.get('estimate_s', 0))}); "
               f"load average {meta.get('load_average', {}).get('start')} at start, "
               f"{meta.get('load_average', {}).get('end')} at end")
    out.append(f"- command: `{meta.get('command', '?')}`")
    out.append(f"- machine: {m.get('cpu_model', '?')}, {m.get('cpus_online', '?')} CPUs, {m.get('mem_total_gib', '?')} GiB; "
               f"kernel {m.get('kernel', '?')} ({m.get('os', '?')}, {m.get('virtualization', '?')}); "
               f"governor {m.get('cpu_governors', '?')}; somaxconn {m.get('somaxconn', '?')}, "
               f"tcp_max_syn_backlog {m.get('tcp_max_syn_backlog', '?')}; open files {m.get('open_files_limit', '?')}")
    out.append(f"- java: {v.get('java', '?')} ({v.get('java_runtime', '')}); nginx: {v.get('nginx', '?')}; "
               f"wrk: {v.get('wrk', '?')}; perf: {v.get('perf', '?')}")
    out.append(f"- ringserver commit: {v.get('ringserver_commit', '?')} ({v.get('ringserver_branch', '?')})")
    for name, jar in v.get("jars", {}).items():
        libs = ", ".join(f"{k} {x}" for k, x in jar.get("libraries", {}).items()) or "no BOOT-INF/lib"
        out.append(f"- {name}: `{jar['path']}` ({jar.get('modified_utc', '')}): {libs}")
    out.append(f"- method: servers on CPU {o.get('server_cpus')}, wrk ({o.get('wrk_threads')} thread(s), "
               f"--timeout {o.get('wrk_timeout_s')} s) on CPU {o.get('load_cpus')}; {o.get('rounds')} round(s) × "
               f"{o.get('duration_s')} s, interleaved (server order rotating each round); warm-up "
               f"{o.get('warmup_s')} s per JVM on its first workload + {o.get('warmup_each_s')} s per further "
               f"workload; pipelining {o.get('pipeline_depth')} deep; system calls: {meta.get('syscall_counting', '?')}"
               + (f", {o.get('syscall_duration_s')} s per run" if o.get("syscall_pass") else ""))
    checks = meta.get("quiet_checks", [])
    if checks:
        noisy = any(b > 10 for c in checks for b in c["busy_pct"].values())
        text = "; ".join(f"{c['when']}: " + ", ".join(f"CPU {k} {v:.0f}%" for k, v in c["busy_pct"].items())
                         for c in checks)
        out.append(("- **other work on the lab's CPUs** (busy with none of the lab's processes running; the "
                    "figures are distorted): " if noisy else
                    "- quiet checks (the lab's CPUs with none of its processes running): ") + text)
    for s, why in meta.get("skipped", {}).items():
        out.append(f"- skipped {s}: {why}")
    return out


NOTES = ("Medians over the measured rounds; req/s min–max is the spread over rounds. Latencies are wrk's "
         "(per request, from its send to the response; with pipelining from the batch's send). CPU % is the "
         "server's utime+stime (every thread; nginx: master + workers) over the run's wall time, and CPU µs/req "
         "the same per request; busy is how busy the load generator's / the server's CPUs were (/proc/stat, "
         "softirq included): load near 100% with the server below means wrk was the limit. Ctx sw/req is "
         "voluntary + involuntary context switches per request, summed over the server's live threads "
         "(/proc/PID/task/*/status; threads that end during a run take theirs with them). Syscalls/req come from "
         "the separate system-call pass (round 0, perf stat -e raw_syscalls:sys_enter on every thread, or strace "
         "-c where marked); io_uring operations are not system calls and do not count there. RSS is the "
         "resident memory at the end of the run (nginx: summed over its processes). × nginx and × netty-epoll "
         "are ratios of median req/s.")


def servers_section(meta):
    """What each server was: its ready line, threads after the warm-up, and its response heads."""
    out = []
    for loops, group in sorted(meta.get("groups", {}).items(), key=lambda g: int(g[0])):
        out += ["", f"## Servers, loops = {loops}", ""]
        for sid, g in group.get("servers", {}).items():
            parts = []
            for name, line in g.get("ready", {}).items():
                parts.append(f"`{line}`")
            threads = []
            for name, t in g.get("threads_after_warmup", {}).items():
                if "workers" in t:
                    threads.append(f"{t['workers']} worker process(es)")
                else:
                    loops_text = "" if t.get("event_loop_threads") is None else f", {t['event_loop_threads']} event loop(s)"
                    threads.append(f"{name}: {t['threads']} threads{loops_text}")
            text = f"- **{sid}**" + (f" (ready in {g['start_s']} s)" if "start_s" in g else "") + ": "
            text += "; ".join(parts) or "not ready"
            if threads:
                text += "; after the warm-up " + ", ".join(threads)
            if g.get("failed"):
                text += f"; **failed**: {g['failed'].splitlines()[0]}"
            for w in g.get("warnings", []):
                text += f"; warning: {w}"
            for w, why in g.get("unchecked_workloads", {}).items():
                text += f"; **{w} not measured**: {why}"
            out.append(text)
    heads = meta.get("responses", {})
    if heads:
        out += ["", "Response heads (bytes, and their fields) as each server sent them:", ""]
        for sid, r in heads.items():
            out.append(f"- {sid}: " + "; ".join(f"{w} {x['head_bytes']} B ({', '.join(x['header_fields'])}), "
                                                  f"body {x['body_bytes']:,} B" for w, x in r.items()))
    return out


def summary(rows, meta, entries, out_dir):
    out = []
    title = "# Benchmark lab"
    if meta.get("quick"):
        title += " — QUICK RUN (a subset with short runs: for checking the lab, not for quoting)"
    out += [title, ""]
    out += meta_lines(meta)
    out += ["", NOTES]
    out += servers_section(meta)
    failures = meta.get("failures", [])
    if failures:
        out += ["", "## Failures", ""]
        out += [f"- loops={f['loops']} {f['server']}: {f['what']}" for f in failures]
    with_errors = [e for e in entries if e["errors"]]
    loops = sorted({e["loops"] for e in entries})
    for lp in loops:
        out += ["", f"## loops = {lp}", "",
                f"Event loops (ringserver, Reactor Netty) or worker processes (nginx): {lp}; Tomcat and Jetty "
                f"run with their defaults."]
        le = [e for e in entries if e["loops"] == lp]
        for w in order_of({e["workload"] for e in le}, WORKLOAD_ORDER):
            we = [e for e in le if e["workload"] == w]
            conns = sorted({e["connections"] for e in we})
            servers = order_of({e["server"] for e in we}, SERVER_ORDER)
            out += ["", f"### {workload_title(w)}", "", "Median req/s by connections:", ""]
            out.append("| server | " + " | ".join(f"{c:,}" for c in conns) + " |")
            out.append("|---|" + "---:|" * len(conns))
            for s in servers:
                cells = []
                for c in conns:
                    e = next((x for x in we if x["server"] == s and x["connections"] == c), None)
                    cells.append(show(e["rps"]) if e else "–")
                out.append(f"| {s} | " + " | ".join(cells) + " |")
            for c in conns:
                ce = [e for e in we if e["connections"] == c]
                out += ["", f"#### {w}, {c:,} connections, loops {lp}", ""]
                out.append("| server | req/s | min–max | p50 | p95 | p99 | errors | CPU % | CPU µs/req "
                           "| busy load/server | ctx sw/req | syscalls/req | RSS MB | × nginx | × netty-epoll | rounds |")
                out.append("|---|" + "---:|" * 15)
                for e in sorted(ce, key=lambda x: SERVER_ORDER.index(x["server"]) if x["server"] in SERVER_ORDER else 99):
                    sys_ = show(e["syscalls_per_req"], 2)
                    if e["syscall_source"] == "strace":
                        sys_ += " (strace)"
                    out.append(
                        f"| {e['server']} | {show(e['rps'])} | {show(e['rps_min'])}–{show(e['rps_max'])} "
                        f"| {latency(e['p50_us'])} | {latency(e['p95_us'])} | {latency(e['p99_us'])} "
                        f"| {e['errors']:,} | {show(e['server_cpu_pct'])}% | {show(e['cpu_us_per_req'], 2)} "
                        f"| {show(e['load_cpu_busy_pct'])}/{show(e['server_cpu_busy_pct'])}% "
                        f"| {show(e['ctxsw_per_req'], 3)} | {sys_} | {show(e['rss_mb'])} "
                        f"| {ratio(e['rps_vs_nginx'])} | {ratio(e['rps_vs_netty_epoll'])} | {e['rounds']} |")
    if with_errors:
        out += ["", "## Runs with errors (wrk socket errors + non-2xx responses, summed over rounds)", ""]
        out += [f"- loops={e['loops']} {e['workload']} c={e['connections']} {e['server']}: {e['errors']:,} errors "
                f"({e['non2xx']:,} non-2xx) in {e['requests']:,} requests" for e in with_errors]
    out += ["", f"Per-run data: `{os.path.join(out_dir, 'results.csv')}`; medians: `results.json`; "
                f"machine, versions, commands and responses: `meta.json`."]
    return "\n".join(out) + "\n"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    out_dir = os.path.abspath(args[0])
    rows, meta = load(out_dir)
    if not rows:
        sys.exit(f"lab_report: no runs in {out_dir}/results.csv")
    entries = aggregate(rows)
    text = summary(rows, meta, entries, out_dir)
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump({"meta": meta, "results": entries}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    if "--no-print" not in sys.argv:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
