"""The lab's matrix: the servers and workloads it knows, its options with the --quick and --full presets,
and the time estimate of a selection."""

import argparse
import os
import re
from dataclasses import dataclass

# ---- servers ----------------------------------------------------------------------------------------

CORE_JAR = "ringserver-core/target/ringserver-core-0.1.0-SNAPSHOT.jar"
PEERS_DIR = "bench/peers/target"


@dataclass(frozen=True)
class ServerDef:
    id: str
    kind: str           # "standalone" (ringserver-core's CLI), "spring" (a bench/peers jar) or "nginx"
    backend: str = ""   # ringserver backend, or Reactor Netty transport
    profile: str = ""   # spring: the bench/peers/build.sh profile, the jar being sample-<profile>.jar
    loops: str = ""     # what --loops sets ("" when the server keeps its defaults)
    loop_threads: str = ""  # prefix of the event-loop threads' names (JVMs), to count them
    label: str = ""

    @property
    def jar(self):
        if self.kind == "standalone":
            return CORE_JAR
        if self.kind == "spring":
            return f"{PEERS_DIR}/sample-{self.profile}.jar"
        return ""

    @property
    def io_uring(self):
        return self.backend == "io_uring"

    def supports(self, workload):
        return not workload.spring_only or self.kind == "spring"


BACKENDS = ("io_uring", "epoll", "kqueue", "nio")


def _servers():
    s = []
    # kqueue on Linux runs over libkqueue (a userspace emulation on epoll): a check of the kqueue poller,
    # not a figure for macOS.
    for backend in BACKENDS:
        s.append(ServerDef(f"ringserver-{backend}", "standalone", backend, loops="event loops (--loops)",
                           loop_threads="ringserver-loop", label=f"ringserver {backend} (standalone)"))
    for backend in BACKENDS:
        s.append(ServerDef(f"webflux-{backend}", "spring", backend, "ringserver",
                           loops="event loops (--ringserver.event-loops)", loop_threads="ringserver-loop",
                           label=f"WebFlux on ringserver {backend}"))
    s.append(ServerDef("nginx", "nginx", loops="worker processes (worker_processes)", label="nginx"))
    s.append(ServerDef("netty-epoll", "spring", "epoll", "netty", loops="event loops (-Dreactor.netty.ioWorkerCount)",
                       loop_threads="reactor-http-", label="WebFlux on Reactor Netty epoll"))
    s.append(ServerDef("netty-io_uring", "spring", "io_uring", "netty-io_uring",
                       loops="event loops (-Dreactor.netty.ioWorkerCount)", loop_threads="reactor-http-",
                       label="WebFlux on Reactor Netty io_uring"))
    s.append(ServerDef("tomcat", "spring", "", "tomcat", label="WebFlux on Tomcat (its defaults)"))
    s.append(ServerDef("jetty", "spring", "", "jetty", label="WebFlux on Jetty (its defaults)"))
    return {d.id: d for d in s}


SERVERS = _servers()
SERVER_ORDER = list(SERVERS)

# ---- workloads --------------------------------------------------------------------------------------

HELLO_BODY = b"Hello, World!"
PIPELINE_DEPTH = 16


@dataclass(frozen=True)
class Workload:
    id: str
    path: str
    depth: int = 1          # requests pipelined per connection
    size: int = 0           # static: the file's size in bytes
    spring_only: bool = False
    role: str = "hello"     # which standalone ringserver process serves it: "hello" (--hello) or "files" (serve DIR)

    @property
    def file(self):
        return self.path.lstrip("/") if self.size else ""


def _workloads():
    w = [Workload("hello", "/plaintext"),
         Workload("hello-pipelined", "/plaintext", depth=PIPELINE_DEPTH)]
    for name, size in (("4k", 4 << 10), ("64k", 64 << 10), ("1m", 1 << 20)):
        w.append(Workload(f"static-{name}", f"/{name}.bin", size=size, role="files"))
    w.append(Workload("json", "/api/notes", spring_only=True))
    return {x.id: x for x in w}


WORKLOADS = _workloads()
WORKLOAD_ORDER = list(WORKLOADS)

# ---- results.csv ------------------------------------------------------------------------------------

# One row per run (bench/README.md explains each). Round 0 is the system-call pass after the rounds.
CSV_COLUMNS = ["round", "loops", "workload", "connections", "server", "rps", "p50_us", "p95_us", "p99_us", "max_us",
               "requests", "errors", "non2xx", "mb_per_s", "duration_s", "server_cpu_pct", "cpu_us_per_req",
               "load_cpu_busy_pct", "server_cpu_busy_pct", "vcsw_per_req", "ivcsw_per_req", "vcsw_per_s",
               "ivcsw_per_s", "rss_mb", "threads", "syscalls_per_req", "syscalls_per_s", "syscall_source",
               "ctxsw_per_req_perf", "server_syscalls_per_req", "completions_per_poll", "leftover_connections",
               "quick"]

# ---- options ----------------------------------------------------------------------------------------

QUICK = dict(servers=["ringserver-io_uring", "ringserver-epoll", "webflux-io_uring", "nginx", "netty-epoll", "tomcat"],
             workloads=["hello", "static-64k", "json"], connections=[50, 1000], loops=[1],
             rounds=1, duration=5, warmup=5, warmup_each=3, syscall_duration=3)
FULL = dict(servers=SERVER_ORDER, workloads=WORKLOAD_ORDER, connections=[50, 200, 1000, 5000], loops=None,
            rounds=3, duration=15, warmup=60, warmup_each=5, syscall_duration=10)
MIN_WARMUP = 20  # seconds of load a JVM gets on its first workload, outside --quick


class PlanError(Exception):
    pass


def parse_list(text):
    return [x for x in re.split(r"[,\s]+", text.strip()) if x]


def parse_cpus(text):
    """A taskset-style CPU list ('1', '0,2', '2-3') as a sorted list of CPU numbers."""
    cpus = set()
    for part in parse_list(text.replace(",", " ")):
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise PlanError(f"not a CPU list: '{text}' (use e.g. 1, 0,2 or 2-3)")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise PlanError(f"not a CPU list: '{text}'")
        cpus.update(range(first, last + 1))
    if not cpus:
        raise PlanError("empty CPU list")
    return sorted(cpus)


def cpu_list_text(cpus):
    return ",".join(str(c) for c in cpus)


def positive_ints(name, text):
    values = []
    for x in parse_list(text):
        if not re.fullmatch(r"[1-9]\d*", x):
            raise PlanError(f"{name} takes positive integers, not '{x}'")
        if int(x) not in values:
            values.append(int(x))
    if not values:
        raise PlanError(f"{name} is empty")
    return values


def choose(name, text, known):
    values = []
    for x in parse_list(text):
        if x not in known:
            raise PlanError(f"unknown {name} '{x}' (known: {', '.join(known)})")
        if x not in values:
            values.append(x)
    if not values:
        raise PlanError(f"--{name}s is empty")
    return values


def parser():
    p = argparse.ArgumentParser(prog="bench/lab.sh", add_help=False)
    p.add_argument("--servers")
    p.add_argument("--workloads")
    p.add_argument("--connections")
    p.add_argument("--loops")
    p.add_argument("--rounds")
    p.add_argument("--duration")
    p.add_argument("--warmup")
    p.add_argument("--warmup-each")
    p.add_argument("--syscall-duration")
    p.add_argument("--no-syscalls", action="store_true")
    p.add_argument("--server-cpus", default="1")
    p.add_argument("--load-cpus", default="0")
    p.add_argument("--base-port", default="18400")
    p.add_argument("--wrk-timeout", default="10")
    p.add_argument("--max-minutes")
    p.add_argument("--out")
    p.add_argument("--dry-run", action="store_true")
    preset = p.add_mutually_exclusive_group()
    preset.add_argument("--quick", action="store_true")
    preset.add_argument("--full", action="store_true")
    return p


@dataclass
class Plan:
    servers: list
    workloads: list
    connections: list
    loops: list
    rounds: int
    duration: int
    warmup: int
    warmup_each: int
    syscall_duration: int
    syscalls: bool
    server_cpus: list
    load_cpus: list
    base_port: int
    wrk_timeout: int
    max_minutes: int
    out: str
    dry_run: bool
    quick: bool
    args: list

    @property
    def wrk_threads(self):
        return len(self.load_cpus)

    def server_defs(self):
        return [SERVERS[s] for s in self.servers]

    def workload_defs(self):
        return [WORKLOADS[w] for w in self.workloads]

    def options(self):
        """The plan as recorded in meta.json."""
        return {"servers": self.servers, "workloads": self.workloads, "connections": self.connections,
                "loops": self.loops, "rounds": self.rounds, "duration_s": self.duration, "warmup_s": self.warmup,
                "warmup_each_s": self.warmup_each, "syscall_pass": self.syscalls,
                "syscall_duration_s": self.syscall_duration, "server_cpus": cpu_list_text(self.server_cpus),
                "load_cpus": cpu_list_text(self.load_cpus), "wrk_threads": self.wrk_threads,
                "wrk_timeout_s": self.wrk_timeout, "pipeline_depth": PIPELINE_DEPTH, "base_port": self.base_port,
                "quick": self.quick, "arguments": self.args}


def make_plan(argv):
    a, rest = parser().parse_known_args(argv)
    if rest:
        raise PlanError(f"unknown option '{rest[0]}' (bench/lab.sh --help lists them)")
    preset = QUICK if a.quick else FULL
    server_cpus = parse_cpus(a.server_cpus)
    load_cpus = parse_cpus(a.load_cpus)
    if set(server_cpus) & set(load_cpus):
        raise PlanError(f"--server-cpus {a.server_cpus} and --load-cpus {a.load_cpus} overlap")

    def number(name, value, default):
        return positive_ints(name, value)[0] if value is not None else default

    loops_default = preset["loops"] or sorted({1, max(2, len(server_cpus))})
    plan = Plan(
        servers=choose("server", a.servers, SERVER_ORDER) if a.servers else list(preset["servers"]),
        workloads=choose("workload", a.workloads, WORKLOAD_ORDER) if a.workloads else list(preset["workloads"]),
        connections=positive_ints("--connections", a.connections) if a.connections else list(preset["connections"]),
        loops=positive_ints("--loops", a.loops) if a.loops else list(loops_default),
        rounds=number("--rounds", a.rounds, preset["rounds"]),
        duration=number("--duration", a.duration, preset["duration"]),
        warmup=number("--warmup", a.warmup, preset["warmup"]),
        warmup_each=number("--warmup-each", a.warmup_each, preset["warmup_each"]),
        syscall_duration=number("--syscall-duration", a.syscall_duration, preset["syscall_duration"]),
        syscalls=not a.no_syscalls,
        server_cpus=server_cpus, load_cpus=load_cpus,
        base_port=number("--base-port", a.base_port, 18400),
        wrk_timeout=number("--wrk-timeout", a.wrk_timeout, 10),
        max_minutes=number("--max-minutes", a.max_minutes, 0),
        out=a.out or "", dry_run=a.dry_run, quick=a.quick, args=list(argv))
    if not plan.quick and plan.warmup < MIN_WARMUP:
        raise PlanError(f"--warmup must be at least {MIN_WARMUP} s (JVMs need it); use --quick for a smoke test")
    if min(plan.connections) < plan.wrk_threads:
        raise PlanError(f"--connections {min(plan.connections)} is fewer than wrk's {plan.wrk_threads} threads "
                        f"(one per load CPU)")
    if plan.base_port + 2 * len(SERVER_ORDER) > 65535:
        raise PlanError("--base-port is too high")
    if not any(SERVERS[s].supports(WORKLOADS[w]) for s in plan.servers for w in plan.workloads):
        raise PlanError("nothing to measure: none of the servers runs any of the workloads "
                        "(json runs on the Spring servers only)")
    return plan


# ---- estimate ---------------------------------------------------------------------------------------

# Seconds, measured on a 2-CPU machine with the server on one CPU (bench/README.md): a Spring JVM's
# start-up, a standalone ringserver's, nginx's; the overhead of each run (checks, waiting for the
# previous connections to close, reading /proc) and of each run with perf or strace attached.
START_S = {"spring": 12, "standalone": 1.5, "nginx": 0.5}
RUN_OVERHEAD_S = 1.0
SYSCALL_RUN_OVERHEAD_S = 1.5
WARMUP_OVERHEAD_S = 1.0
GROUP_OVERHEAD_S = 12  # quiet checks, response checks, stopping the servers


def instances(server, workloads):
    """The processes a server runs for these workloads, each with its workloads in order."""
    roles = {}
    for w in workloads:
        if server.supports(w):
            role = w.role if server.kind == "standalone" else "main"
            roles.setdefault(role, []).append(w)
    return roles


def estimate(plan, servers=None, syscalls=None):
    """Estimated seconds for the plan (its servers, or those given), as (total, breakdown)."""
    servers = [SERVERS[s] for s in (servers if servers is not None else plan.servers)]
    syscalls = plan.syscalls if syscalls is None else syscalls
    workloads = plan.workload_defs()
    start = warm = runs_n = 0
    for s in servers:
        roles = instances(s, workloads)
        start += START_S[s.kind] * (len(roles) if s.kind == "standalone" else 1)
        for ws in roles.values():
            warm += plan.warmup + WARMUP_OVERHEAD_S + (len(ws) - 1) * (plan.warmup_each + WARMUP_OVERHEAD_S)
        runs_n += sum(len(ws) for ws in roles.values()) * len(plan.connections)
    groups = len(plan.loops)
    measured = groups * plan.rounds * runs_n * (plan.duration + RUN_OVERHEAD_S)
    perf = groups * runs_n * (plan.syscall_duration + SYSCALL_RUN_OVERHEAD_S) if syscalls else 0
    total = groups * (start + warm + GROUP_OVERHEAD_S) + measured + perf
    return total, {"groups": groups, "start_s": groups * start, "warmup_s": groups * warm,
                   "measured_runs": groups * plan.rounds * runs_n, "measured_s": measured,
                   "syscall_runs": groups * runs_n if syscalls else 0, "syscall_s": perf}


def minutes(seconds):
    if seconds < 90:
        return f"{seconds:.0f} s"
    m = seconds / 60
    return f"{m:.0f} min" if m < 90 else f"{m / 60:.1f} h"


def describe(plan, servers=None):
    total, b = estimate(plan, servers)
    return (f"{b['measured_runs']} measured runs of {plan.duration} s"
            + (f" + {b['syscall_runs']} system-call runs of {plan.syscall_duration} s" if b["syscall_runs"] else "")
            + f", {b['groups']} loops value(s); start-ups ≈ {minutes(b['start_s'])}, warm-ups ≈ {minutes(b['warmup_s'])}"
            + f"; estimated total ≈ {minutes(total)}")


def default_out(root, stamp, quick):
    return os.path.join(root, "bench", "results", f"lab-{stamp}" + ("-quick" if quick else ""))
