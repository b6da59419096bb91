#!/usr/bin/env python3
"""The benchmark lab's runner (standard library only), started by bench/lab.sh, which builds what is
missing and sets up the environment first. See bench/README.md.

  lab.py plan [options]   check the options; print what to build (shell assignments) and the estimate
  lab.py run [options]    run the matrix into OUT (results.csv, meta.json, logs/)

bench/lab.sh passes: LAB_JDK (the JDK 25 home), LAB_NGINX (nginx's path, or empty), LAB_PERF (1 when perf
can count raw_syscalls:sys_enter), LAB_PERF_EVENTS (the perf events to count), LAB_PERF_NOTE, and
LAB_COMMAND (its command line, for meta.json).
"""

import datetime
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from lablib import facts, probe  # noqa: E402
from lablib.plan import (CSV_COLUMNS, HELLO_BODY, PlanError, cpu_list_text, default_out, describe,  # noqa: E402
                         estimate, instances, make_plan, minutes)
from lablib.servers import Context, Server, stop_all  # noqa: E402

PROG = "lab.sh"
WRK_SCRIPT = os.path.join(HERE, "lab.lua")
WRK_PIPELINE_SCRIPT = os.path.join(HERE, "lab_pipeline.lua")
CORE_BUILD = "./mvnw -o -q -DskipTests package -pl ringserver-core"
QUIET_BUSY_PCT = 10  # a lab CPU busier than this with nothing of the lab running gets a warning


def log(message):
    sys.stderr.write(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}\n")
    sys.stderr.flush()


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- availability -----------------------------------------------------------------------------------

def unavailable(d, jdk, nginx):
    """Why server d cannot run here ('' when it can)."""
    if d.kind == "nginx":
        return "" if nginx else "nginx is not installed (apt-get install nginx-light)"
    if not jdk:
        return "no JDK 25"
    if not os.path.exists(os.path.join(ROOT, d.jar)):
        build = CORE_BUILD if d.kind == "standalone" else f"bench/peers/build.sh {d.profile}"
        return f"{d.jar} is missing (build it with: {build}; bench/lab.sh builds it unless --no-build)"
    if d.io_uring:
        why = facts.io_uring_unavailable()
        if why:
            return why
    if d.backend == "kqueue" and d.kind != "nginx":
        why = facts.kqueue_unavailable()
        if why:
            return why
    return ""


def cmd_plan(argv):
    plan = make_plan(argv)
    servers = plan.server_defs()
    need_core = any(d.kind == "standalone" for d in servers)
    profiles = list(dict.fromkeys(d.profile for d in servers if d.kind == "spring"))
    total, _ = estimate(plan)
    log(f"lab plan: servers {' '.join(plan.servers)}; workloads {' '.join(plan.workloads)}; connections "
        f"{' '.join(map(str, plan.connections))}; loops {' '.join(map(str, plan.loops))}; {plan.rounds} round(s) × "
        f"{plan.duration} s; warm-up {plan.warmup} s + {plan.warmup_each} s per further workload"
        + ("; QUICK" if plan.quick else ""))
    log(f"lab plan: {describe(plan)}")
    if plan.max_minutes and total > plan.max_minutes * 60:
        raise PlanError(f"the estimate ({minutes(total)}) exceeds --max-minutes {plan.max_minutes}: select fewer "
                        f"servers, workloads, connections, loops or rounds, or shorter runs")
    values = {"LAB_NEED_CORE": int(need_core), "LAB_NEED_PROFILES": " ".join(profiles),
              "LAB_NEED_NGINX": int("nginx" in plan.servers),
              "LAB_NEED_JDK": int(any(d.kind != "nginx" for d in servers)),
              "LAB_SERVER_CPUS": cpu_list_text(plan.server_cpus), "LAB_LOAD_CPUS": cpu_list_text(plan.load_cpus),
              "LAB_DRY_RUN": int(plan.dry_run), "LAB_QUICK": int(plan.quick),
              "LAB_OUT": os.path.abspath(plan.out or default_out(ROOT, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
                                                                 plan.quick))}
    for key, value in values.items():
        print(f"{key}={shlex.quote(str(value))}")


# ---- the run ----------------------------------------------------------------------------------------

class Interrupted(Exception):
    pass


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def on_signal(signum, frame):
    # Once: a second signal (Ctrl-C reaches lab.sh too, which passes it on) must not cut the cleanup short.
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signal.Signals(signum).name)


def fmt(value, digits):
    return "" if value is None else f"{value:.{digits}f}"


def ratio(a, b):
    return None if a is None or not b else a / b


def show_us(value):
    return "–" if value is None else f"{value:,.0f}"


class Lab:
    def __init__(self, plan):
        self.plan = plan
        self.jdk = os.environ.get("LAB_JDK", "")
        self.nginx = os.environ.get("LAB_NGINX", "") or shutil.which("nginx") or ""
        if self.nginx == "" and os.path.exists("/usr/sbin/nginx"):
            self.nginx = "/usr/sbin/nginx"
        perf_ok = os.environ.get("LAB_PERF") == "1"
        self.perf_events = os.environ.get("LAB_PERF_EVENTS", "raw_syscalls:sys_enter").split()
        if not plan.syscalls:
            self.syscall_tool, note = "", "off (--no-syscalls)"
        elif perf_ok:
            self.syscall_tool, note = "perf", os.environ.get("LAB_PERF_NOTE", "perf stat")
            note += f"; events {' '.join(self.perf_events)}"
        elif shutil.which("strace"):
            self.syscall_tool = "strace"
            note = (f"strace -c -f (perf cannot count raw_syscalls:sys_enter: {os.environ.get('LAB_PERF_NOTE', '?')}); "
                    f"shorter runs, the server much slowed while traced")
        else:
            self.syscall_tool, note = "", f"none: {os.environ.get('LAB_PERF_NOTE', 'no perf')} and no strace"
        self.syscall_note = note
        self.start_epoch = time.time()
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.start_epoch))
        self.out = os.path.abspath(plan.out or default_out(ROOT, stamp, plan.quick))
        self.csv = os.path.join(self.out, "results.csv")
        self.meta_path = os.path.join(self.out, "meta.json")
        self.work = None
        self.servers = []          # Server objects of the current group
        self.active = []           # processes to stop on the way out (wrk)
        self.counter = None        # perf or strace, while attached
        self.run_no = 0
        self.failures = []
        self.skipped = {}
        self.groups = {}
        self.files = []
        self.responses = {}
        self.meta = {}
        self.load_start = facts.loadavg()

    # ---- bookkeeping ------------------------------------------------------------------------------

    def write_meta(self, status):
        plan = self.plan
        jars = {d.id: os.path.join(ROOT, d.jar) for d in plan.server_defs() if d.jar}
        self.meta.update({
            "tool": "bench/lab.sh", "status": status, "quick": plan.quick,
            "command": os.environ.get("LAB_COMMAND") or "bench/lab.py run " + " ".join(shlex.quote(a) for a in plan.args),
            "start_utc": datetime.datetime.fromtimestamp(self.start_epoch, datetime.timezone.utc)
            .strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end_utc": utc_now() if status != "running" else None,
            "elapsed_s": round(time.time() - self.start_epoch),
            "load_average": {"start": self.load_start, "end": facts.loadavg() if status != "running" else None},
            "options": plan.options(),
            "estimate_s": round(estimate(plan, [s for s in plan.servers if s not in self.skipped])[0]),
            "syscall_counting": self.syscall_note,
            "files": self.files,
            "skipped": self.skipped,
            "failures": self.failures,
            "groups": self.groups,
            "responses": self.responses,
        })
        if "machine" not in self.meta:
            self.meta["machine"] = facts.machine(plan.server_cpus, plan.load_cpus)
            self.meta["versions"] = facts.versions(ROOT, self.jdk, self.nginx, jars)
            self.meta["servers"] = {d.id: {"label": d.label, "kind": d.kind, "backend": d.backend,
                                           "loops_setting": d.loops or "defaults (not set by --loops)",
                                           "jar": d.jar} for d in plan.server_defs()}
        tmp = self.meta_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.meta, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, self.meta_path)

    def failure(self, loops, server, why):
        first = why.split("\n")[0]
        log(f"FAILED {server} (loops {loops}): {why}")
        self.failures.append({"loops": loops, "server": server, "what": first, "detail": why})

    def append_row(self, row):
        import csv
        new = not os.path.exists(self.csv) or os.path.getsize(self.csv) == 0
        with open(self.csv, "a", newline="") as f:
            w = csv.writer(f)
            if new:
                w.writerow(CSV_COLUMNS)
            w.writerow([row.get(c, "") for c in CSV_COLUMNS])

    # ---- files ------------------------------------------------------------------------------------

    def make_files(self):
        import hashlib
        import types
        import files_report  # the same bytes as bench/files.sh's files
        self.work = tempfile.mkdtemp(prefix="ringserver-lab.")
        os.chmod(self.work, 0o711)  # nginx's worker (another user when run as root) reads the files
        self.files_dir = os.path.join(self.work, "files")
        os.mkdir(self.files_dir, 0o755)
        os.chmod(self.files_dir, 0o755)
        for w in self.plan.workload_defs():
            if not w.size:
                continue
            path = os.path.join(self.files_dir, w.file)
            files_report.cmd_gen_file(types.SimpleNamespace(path=path, bytes=w.size))
            os.chmod(path, 0o644)
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            self.files.append({"workload": w.id, "file": w.file, "bytes": w.size, "sha256": digest})
        fs = facts.run(["findmnt", "-n", "-o", "FSTYPE", "-T", self.files_dir], stderr=False)
        self.meta["files_dir"] = {"path": self.files_dir, "filesystem": fs or "unknown"}

    # ---- processes --------------------------------------------------------------------------------

    def spawn(self, command, stdout):
        p = subprocess.Popen(command, stdout=stdout, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        self.active.append(p)
        return p

    def reap(self, p):
        if p in self.active:
            self.active.remove(p)

    def stop_everything(self):
        if self.counter:
            self.counter.stop()
            self.counter = None
        for p in list(self.active):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                p.wait()
            self.reap(p)
        stop_all(self.servers)
        self.servers = []

    def run_wrk(self, inst, workload, connections, seconds, output):
        """Runs wrk against the instance; returns the 'LAB' values, or raises RuntimeError."""
        url = f"http://127.0.0.1:{inst.port}{workload.path}"
        command = ["taskset", "-c", cpu_list_text(self.plan.load_cpus), "wrk", "-t", str(self.plan.wrk_threads),
                   "-c", str(connections), "-d", f"{seconds}s", "--timeout", f"{self.plan.wrk_timeout}s",
                   "--latency"]
        if workload.depth > 1:
            command += ["-s", WRK_PIPELINE_SCRIPT, url, "--", str(workload.depth)]
        else:
            command += ["-s", WRK_SCRIPT, url]
        os.makedirs(os.path.dirname(output), exist_ok=True)
        with open(output, "w") as out:
            p = self.spawn(command, out)
            try:
                rc = p.wait(timeout=seconds + 60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                rc = "timeout"
            finally:
                self.reap(p)
        with open(output, errors="replace") as f:
            text = f.read()
        values = probe.parse_wrk(text)
        if rc != 0 or values is None:
            raise RuntimeError(f"wrk failed (exit status {rc}):\n{text.strip()[-1500:]}")
        return values

    # ---- checks -----------------------------------------------------------------------------------

    def check(self, server, workload):
        """Checks one response of the workload ('' when right, else what is wrong); records its head."""
        inst = server.instance_for(workload)
        url = f"http://127.0.0.1:{inst.port}{workload.path}"
        try:
            status, headers, body = probe.curl(url, os.path.join(self.work, "check.head"),
                                               os.path.join(self.work, "check.body"))
        except RuntimeError as e:
            return f"GET {workload.path}: {e}"
        if status != "200":
            return f"GET {workload.path}: status {status}, not 200"
        if workload.size:
            if headers.get("content-length") != str(workload.size):
                return f"GET {workload.path}: Content-Length {headers.get('content-length')!r}, not {workload.size}"
            with open(os.path.join(self.files_dir, workload.file), "rb") as f:
                if body != f.read():
                    return f"GET {workload.path}: the body ({len(body)} bytes) differs from the file"
        elif workload.id == "json":
            if "json" not in headers.get("content-type", ""):
                return f"GET {workload.path}: Content-Type {headers.get('content-type')!r}, not JSON"
            try:
                json.loads(body)
            except ValueError:
                return f"GET {workload.path}: the body is not JSON: {body[:80]!r}"
        elif body != HELLO_BODY:
            return f"GET {workload.path}: body {body[:80]!r}, not {HELLO_BODY.decode()!r}"
        if workload.depth > 1:
            try:
                n = probe.pipelined_responses(inst.port, workload.path, workload.depth)
            except OSError as e:
                return f"{workload.depth} pipelined GET {workload.path}: {e}"
            if n != workload.depth:
                return f"{workload.depth} pipelined GET {workload.path}: {n} responses with status 200"
        with open(os.path.join(self.work, "check.head"), "rb") as f:
            head = f.read()
        fields = [line.split(":", 1)[0] for line in head.decode(errors="replace").split("\r\n")[1:] if ":" in line]
        self.responses.setdefault(server.id, {})[workload.id] = {
            "body_bytes": len(body), "head_bytes": len(head), "content_type": headers.get("content-type", ""),
            "header_fields": fields}
        return ""

    def check_all(self, loops, when):
        for s in self.live():
            for w in s.workloads():
                if not s.runs(w):
                    continue
                problem = self.check(s, w)
                if problem:
                    s.bad_workloads[w.id] = problem
                    self.failure(loops, s.id, f"{w.id} fails its check {when}: {problem}")
        sizes = {s: r["json"]["body_bytes"] for s, r in self.responses.items() if "json" in r}
        if len(set(sizes.values())) > 1:
            log(f"note: the json bodies differ in size: {sizes}")

    def live(self):
        return [s for s in self.servers if not s.failed]

    def check_alive(self, loops, server):
        inst = server.dead_instance()
        if inst is None:
            return True
        server.fail(f"{inst.name} (pid {inst.pid}) died")
        self.failure(loops, server.id, f"{inst.name} (pid {inst.pid}) died; skipped for the rest of loops={loops}\n"
                     f"{inst.log_tail()}")
        return False

    # ---- one run ----------------------------------------------------------------------------------

    def measure(self, rnd, loops, server, workload, connections, total):
        plan = self.plan
        inst = server.instance_for(workload)
        if not self.check_alive(loops, server):
            return
        leftover = probe.wait_connections_closed(inst.port)
        if leftover:
            log(f"warning: {leftover} connections to {inst.name} still open after 15 s")
        tool = self.syscall_tool if rnd == 0 else ""
        seconds = plan.duration if rnd > 0 else plan.syscall_duration
        if tool == "strace":
            seconds = max(3, plan.syscall_duration // 3)
        standalone = server.d.kind == "standalone"
        try:
            pids = inst.cpu_pids()
            stats0 = probe.last_stats(inst.err_path) if standalone else None
            cs0 = probe.context_switches(pids)
            cpu0 = probe.cpu_seconds(pids)
        except OSError:
            self.check_alive(loops, server)
            return
        cpus = plan.load_cpus + plan.server_cpus
        jif0 = probe.cpu_jiffies(cpus)
        counter = None
        if tool:
            counter = self.counter = probe.Counter(tool, pids, os.path.join(self.work, f"{tool}.txt"),
                                                   self.perf_events)
            if not counter.start():
                log(f"warning: {tool} did not attach to {inst.name}; no system-call count for this run")
        t0 = time.monotonic()
        wrk_out = os.path.join(self.out, "wrk", f"loops{loops}", f"r{rnd}-{workload.id}-c{connections}-{server.id}.txt")
        try:
            wrk = self.run_wrk(inst, workload, connections, seconds, wrk_out)
        except RuntimeError as e:
            if counter:
                counter.stop()
            if self.check_alive(loops, server):
                self.failure(loops, server.id, f"round {rnd} {workload.id} c={connections}: {e}")
            return
        wall = time.monotonic() - t0
        jif1 = probe.cpu_jiffies(cpus)
        counts = {}
        if counter:
            counter.stop()
            counts = counter.counts()
        if not self.check_alive(loops, server):
            return
        try:
            cpu1 = probe.cpu_seconds(pids)
            cs1 = probe.context_switches(pids)
            rss = probe.rss_mb(pids)
            nthreads = probe.threads(pids)
        except OSError:
            self.check_alive(loops, server)
            return
        stats1 = probe.fresh_stats(inst.err_path) if standalone else None
        requests = int(wrk["requests"])
        per_req = requests or None  # a run without a completed request has no per-request figures
        for key in ("p50_us", "p95_us", "p99_us"):
            # wrk's coordinated-omission correction can add latencies below the recorded minimum, where its
            # percentile walk never looks: it then answers 0 (wrk's own summary shows 0.00us too). Seen with
            # pipelining, where wrk records one latency per batch but counts every response. Not a latency.
            if wrk[key] <= 0 or (key != "p50_us" and wrk["p50_us"] and wrk[key] < wrk["p50_us"]):
                wrk[key] = None
        duration = wrk["duration_us"] / 1e6
        vcsw, ivcsw = probe.context_switch_delta(cs0, cs1)
        errors = int(wrk["connect"] + wrk["read"] + wrk["write"] + wrk["timeout"] + wrk["status"])
        row = {"round": rnd, "loops": loops, "workload": workload.id, "connections": connections,
               "server": server.id, "rps": fmt(requests / duration, 1),
               "p50_us": fmt(wrk["p50_us"], 1), "p95_us": fmt(wrk["p95_us"], 1), "p99_us": fmt(wrk["p99_us"], 1),
               "max_us": fmt(wrk["max_us"], 0), "requests": requests, "errors": errors,
               "non2xx": int(wrk["status"]), "mb_per_s": fmt(wrk.get("bytes", 0) / duration / 1e6, 2),
               "duration_s": fmt(wall, 2), "server_cpu_pct": fmt(100 * (cpu1 - cpu0) / wall, 1),
               "cpu_us_per_req": fmt(ratio((cpu1 - cpu0) * 1e6, per_req), 3),
               "load_cpu_busy_pct": fmt(probe.busy_percent(jif0, jif1, plan.load_cpus), 1),
               "server_cpu_busy_pct": fmt(probe.busy_percent(jif0, jif1, plan.server_cpus), 1),
               "vcsw_per_req": fmt(ratio(vcsw, per_req), 4), "ivcsw_per_req": fmt(ratio(ivcsw, per_req), 4),
               "vcsw_per_s": fmt(vcsw / wall, 0), "ivcsw_per_s": fmt(ivcsw / wall, 0),
               "rss_mb": fmt(rss, 1), "threads": nthreads, "leftover_connections": leftover,
               "quick": int(plan.quick)}
        if counts.get("syscalls") is not None:
            row["syscalls_per_req"] = fmt(ratio(counts["syscalls"], per_req), 3)
            row["syscalls_per_s"] = fmt(counts["syscalls"] / wall, 0)
            row["syscall_source"] = tool
        if counts.get("context_switches") is not None:
            row["ctxsw_per_req_perf"] = fmt(ratio(counts["context_switches"], per_req), 4)
        if stats0 and stats1:
            if "syscalls" in stats0 and "syscalls" in stats1:
                row["server_syscalls_per_req"] = fmt(ratio(stats1["syscalls"] - stats0["syscalls"], per_req), 3)
            if all(k in d for k in ("completions", "polls") for d in (stats0, stats1)):
                polls = stats1["polls"] - stats0["polls"]
                if polls > 0:
                    row["completions_per_poll"] = fmt((stats1["completions"] - stats0["completions"]) / polls, 2)
        self.append_row(row)
        self.run_no += 1
        label = f"round {rnd}" if rnd else f"syscalls ({tool or 'none'})"
        parts = [f"{requests / duration:>10,.0f} req/s", f"p50 {show_us(wrk['p50_us'])}", f"p99 {show_us(wrk['p99_us'])} us",
                 f"cpu {row['server_cpu_pct']}% {row['cpu_us_per_req']} us/req",
                 f"cs {row['vcsw_per_req'] or '–'}+{row['ivcsw_per_req'] or '–'}/req",
                 f"busy load {row['load_cpu_busy_pct']}%"]
        if row.get("syscalls_per_req"):
            parts.append(f"syscalls {row['syscalls_per_req']}/req")
        if errors:
            parts.append(f"ERRORS {errors}")
        log(f"run {self.run_no}/{total} {label} loops={loops} {workload.id} c={connections} {server.id}: "
            + ", ".join(parts))

    # ---- a loops group ----------------------------------------------------------------------------

    def quiet_check(self, when, seconds=2.0):
        """How busy the lab's CPUs are with none of its processes running: other work on them distorts
        every figure (the summary shows it)."""
        cpus = sorted(set(self.plan.load_cpus + self.plan.server_cpus))
        j0 = probe.cpu_jiffies(cpus)
        time.sleep(seconds)
        j1 = probe.cpu_jiffies(cpus)
        busy = {str(c): round(probe.busy_percent(j0, j1, [c]) or 0.0, 1) for c in cpus}
        self.meta.setdefault("quiet_checks", []).append({"when": when, "busy_pct": busy,
                                                         "loadavg": facts.loadavg()})
        noisy = {c: b for c, b in busy.items() if b > QUIET_BUSY_PCT}
        if noisy:
            log(f"warning: {when}, with none of the lab's processes running, CPU "
                + ", ".join(f"{c} was {b:.0f}%" for c, b in noisy.items())
                + " busy: other work on the machine distorts the results")

    def warm_up(self, loops, server):
        plan = self.plan
        for inst in server.instances.values():
            for k, w in enumerate(inst.workloads):
                if server.failed:
                    return
                if not server.runs(w):
                    continue
                jvm = server.d.kind != "nginx"
                seconds = plan.warmup if k == 0 and jvm else plan.warmup_each
                c = plan.connections[0]
                log(f"warm-up {server.id}: {seconds} s of {w.id} at {c} connections")
                try:
                    v = self.run_wrk(inst, w, c, seconds, os.path.join(self.out, "wrk", f"loops{loops}",
                                                                      f"warmup-{w.id}-c{c}-{server.id}.txt"))
                    log(f"warm-up {server.id} {w.id}: {v['requests'] / (v['duration_us'] / 1e6):,.0f} req/s"
                        + ("" if v["requests"] else " (no request completed; measuring it anyway)"))
                except RuntimeError as e:
                    if self.check_alive(loops, server):
                        server.fail(f"warm-up failed: {e}")
                        self.failure(loops, server.id, f"warm-up on {w.id} failed: {e}")
                    return
                if not self.check_alive(loops, server):
                    return
                probe.wait_connections_closed(inst.port, 10)

    def thread_facts(self, server):
        result = {}
        for inst in server.instances.values():
            if server.d.kind == "nginx":
                result[inst.name] = {"processes": [inst.pid] + probe.children(inst.pid),
                                     "workers": len(probe.children(inst.pid))}
                continue
            names = probe.thread_names(inst.pid)
            prefix = server.d.loop_threads
            loops = sorted(n for n in names if prefix and n.startswith(prefix))
            result[inst.name] = {"threads": len(names), "event_loop_threads": len(loops) if prefix else None,
                                 "event_loop_names": loops}
        return result

    def run_group(self, loops, group_no, total_runs):
        plan = self.plan
        logs = os.path.join(self.out, "logs", f"loops{loops}")
        os.makedirs(logs, exist_ok=True)
        ctx = Context(ROOT, self.jdk, self.nginx, cpu_list_text(plan.server_cpus), loops, self.files_dir, logs,
                      self.work)
        workloads = plan.workload_defs()
        port = plan.base_port
        self.servers = []
        for d in plan.server_defs():
            if d.id in self.skipped:
                continue
            roles = instances(d, workloads)
            ports = {}
            for role in roles:
                ports[role] = port
                port += 1
            self.servers.append(Server(d, roles, ports, ctx))
        group = self.groups.setdefault(str(loops), {"servers": {}})
        self.quiet_check(f"before loops={loops}")
        log(f"loops={loops} ({group_no}/{len(plan.loops)}): starting {', '.join(s.id for s in self.servers)} "
            f"on CPU {ctx.server_cpus}")
        for s in self.servers:
            t0 = time.monotonic()
            s.start()
            entry = group["servers"].setdefault(s.id, {})
            entry["commands"] = {i.name: " ".join(shlex.quote(x) for x in i.command) for i in s.instances.values()}
            entry["ports"] = {i.name: i.port for i in s.instances.values()}
            if s.failed:
                self.failure(loops, s.id, s.failed)
                continue
            entry["ready"] = {i.name: i.ready_line for i in s.instances.values()}
            entry["start_s"] = round(time.monotonic() - t0, 1)
            for i in s.instances.values():
                for warning in i.warnings:
                    log(f"warning: {i.name}: {warning}")
                log(f"{i.name} ready in {entry['start_s']} s on port {i.port}: {i.ready_line}")
        self.check_all(loops, "before the runs")
        self.write_meta("running")

        for s in self.live():
            self.warm_up(loops, s)
        for s in self.live():
            facts_ = self.thread_facts(s)
            group["servers"][s.id]["threads_after_warmup"] = facts_
            if s.d.loops and s.d.loop_threads:
                for name, f in facts_.items():
                    if f.get("event_loop_threads") not in (None, loops):
                        log(f"warning: {name} has {f['event_loop_threads']} event-loop threads "
                            f"({', '.join(f['event_loop_names']) or 'none named ' + s.d.loop_threads + '*'}), "
                            f"not {loops}")
        self.write_meta("running")

        for rnd in range(1, plan.rounds + 1):
            live = self.live()
            n = len(live)
            order = [live[(k + rnd - 1) % n] for k in range(n)] if n else []
            log(f"loops={loops} round {rnd}/{plan.rounds}, order: {' '.join(s.id for s in order)}")
            for w in workloads:
                for c in plan.connections:
                    for s in order:
                        if s.runs(w):
                            self.measure(rnd, loops, s, w, c, total_runs)
        if self.syscall_tool:
            log(f"loops={loops}: system-call pass with {self.syscall_tool} (round 0; not in the medians)")
            for w in workloads:
                for c in plan.connections:
                    for s in self.live():
                        if s.runs(w):
                            self.measure(0, loops, s, w, c, total_runs)
        self.check_all(loops, "after the runs")
        for s in self.servers:
            for i in s.instances.values():
                for warning in i.warnings:
                    group["servers"][s.id].setdefault("warnings", []).append(f"{i.name}: {warning}")
            if s.bad_workloads:
                group["servers"][s.id]["unchecked_workloads"] = s.bad_workloads
            if s.failed:
                group["servers"][s.id]["failed"] = s.failed
        log(f"loops={loops}: stopping the servers")
        stop_all(self.servers)
        self.servers = []
        self.quiet_check(f"after loops={loops}")
        self.write_meta("running")

    def run(self):
        plan = self.plan
        for d in plan.server_defs():
            why = unavailable(d, self.jdk, self.nginx)
            if why:
                self.skipped[d.id] = why
                log(f"skipping {d.id}: {why}")
        runnable = [s for s in plan.servers if s not in self.skipped]
        if not runnable:
            raise PlanError("no server can run (see the reasons above)")
        total, b = estimate(plan, runnable, syscalls=bool(self.syscall_tool))
        log(f"lab: {describe(plan, runnable)}" + ("" if self.syscall_tool or not plan.syscalls
                                                  else " (no system-call pass: " + self.syscall_note + ")"))
        if plan.max_minutes and total > plan.max_minutes * 60:
            raise PlanError(f"the estimate ({minutes(total)}) exceeds --max-minutes {plan.max_minutes}")
        total_runs = b["measured_runs"] + b["syscall_runs"]
        os.makedirs(self.out, exist_ok=True)
        log(f"results go to {self.out}")
        status = "failed"
        try:
            self.make_files()
            self.write_meta("running")
            for k, loops in enumerate(plan.loops, 1):
                self.run_group(loops, k, total_runs)
            status = "complete"
        except (Interrupted, KeyboardInterrupt) as e:
            status = "interrupted"
            log(f"interrupted ({e or 'SIGINT'}); stopping everything")
            raise
        finally:
            self.stop_everything()
            if self.work:
                shutil.rmtree(self.work, ignore_errors=True)
            self.write_meta(status)
            log(f"{status} after {minutes(time.time() - self.start_epoch)} (estimate was {minutes(total)}); "
                f"{self.run_no} runs in {self.csv}")
        return 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("plan", "run"):
        sys.exit(__doc__)
    try:
        if sys.argv[1] == "plan":
            cmd_plan(sys.argv[2:])
            return 0
        # SIGINT too: started in the background by a script, Python would inherit it ignored.
        for sig in STOP_SIGNALS:
            signal.signal(sig, on_signal)
        lab = Lab(make_plan(sys.argv[2:]))
        return lab.run()
    except PlanError as e:
        sys.stderr.write(f"{PROG}: error: {e}\n")
        return 2
    except (Interrupted, KeyboardInterrupt):
        return 130


if __name__ == "__main__":
    sys.exit(main())
