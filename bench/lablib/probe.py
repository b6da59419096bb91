"""What bench/lab.py reads about a run: /proc (CPU time, context switches, RSS, threads, CPU busy, the
connections still open), wrk and its 'LAB ...' line, perf stat and strace -c, ringserver's stats lines,
and the response checks (curl, and a raw socket for pipelining)."""

import os
import re
import signal
import socket
import subprocess
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---- /proc ------------------------------------------------------------------------------------------

def stat_fields(pid):
    """Fields of /proc/PID/stat after the command name (which may hold spaces or parentheses)."""
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()


def alive(pid):
    try:
        return stat_fields(pid)[0] not in ("Z", "X")
    except (OSError, ValueError, IndexError):
        return False


def cpu_seconds(pids):
    """utime + stime of the processes (all their threads, those that ended included), in seconds."""
    ticks = 0
    for pid in pids:
        rest = stat_fields(pid)  # rest[0] is field 3 (state): utime is field 14, stime 15
        ticks += int(rest[11]) + int(rest[12])
    return ticks / CLK_TCK


def context_switches(pids):
    """{(pid, tid): (voluntary, involuntary)} context switches of every live thread of the processes."""
    counts = {}
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            vol = invol = None
            try:
                with open(f"/proc/{pid}/task/{task}/status") as f:
                    for line in f:
                        if line.startswith("voluntary_ctxt_switches:"):
                            vol = int(line.split()[1])
                        elif line.startswith("nonvoluntary_ctxt_switches:"):
                            invol = int(line.split()[1])
            except (OSError, ValueError):
                continue
            if vol is not None and invol is not None:
                counts[(pid, task)] = (vol, invol)
    return counts


def context_switch_delta(before, after):
    """(voluntary, involuntary) switches between two context_switches() readings, thread by thread: a
    thread born during the run counts from zero, one that ended during the run is lost with its counts
    (so the figure is a lower bound for servers whose pools retire threads, never a negative number)."""
    vol = invol = 0
    for key, (v1, i1) in after.items():
        v0, i0 = before.get(key, (0, 0))
        vol += max(0, v1 - v0)
        invol += max(0, i1 - i0)
    return vol, invol


def status_value(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def rss_mb(pids):
    """VmRSS summed over the processes, in MB (10⁶ bytes)."""
    kb = [status_value(pid, "VmRSS") for pid in pids]
    kb = [k for k in kb if k is not None]
    return sum(kb) * 1024 / 1e6 if kb else None


def threads(pids):
    return sum(status_value(pid, "Threads") or 0 for pid in pids)


def thread_names(pid):
    names = []
    try:
        tasks = sorted(os.listdir(f"/proc/{pid}/task"), key=int)
    except OSError:
        return names
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return names


def children(pid):
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if stat_fields(name)[1] == str(pid):  # field 4: ppid
                    found.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return sorted(found)


def cpu_jiffies(cpus):
    """{cpu: (busy, total)} from /proc/stat; idle and iowait count as not busy."""
    wanted = {f"cpu{c}": c for c in cpus}
    values = {}
    with open("/proc/stat") as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] in wanted:
                numbers = [int(x) for x in fields[1:9]]
                total = sum(numbers)
                values[wanted[fields[0]]] = (total - numbers[3] - numbers[4], total)
    return values


def busy_percent(before, after, cpus):
    """How busy the CPUs were between two cpu_jiffies snapshots, averaged over the CPUs."""
    busy = sum(after[c][0] - before[c][0] for c in cpus)
    total = sum(after[c][1] - before[c][1] for c in cpus)
    return 100.0 * busy / total if total > 0 else None


TCP_LISTEN, TCP_TIME_WAIT = "0A", "06"


def open_connections(port):
    """TCP sockets on 127.0.0.1 (v4 and v6) with PORT at either end, neither listening nor in TIME_WAIT."""
    count = 0
    hex_port = f"{port:04X}"
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if len(fields) < 4 or fields[3] in (TCP_LISTEN, TCP_TIME_WAIT):
                        continue
                    if fields[1].endswith(":" + hex_port) or fields[2].endswith(":" + hex_port):
                        count += 1
        except OSError:
            continue
    return count


def wait_connections_closed(port, timeout=15.0):
    """Waits until the previous run's connections to PORT are closed (TIME_WAIT is fine); returns how many
    were still open at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        n = open_connections(port)
        if n == 0 or time.monotonic() >= deadline:
            return n
        time.sleep(0.2)


def port_in_use(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


# ---- wrk --------------------------------------------------------------------------------------------

LAB_LINE = re.compile(r"^LAB (.*)$", re.M)


def parse_wrk(text):
    """The values of wrk's 'LAB ...' line (bench/lab.lua's done()), or None."""
    m = LAB_LINE.search(text)
    if not m:
        return None
    values = {}
    for token in m.group(1).split():
        key, _, value = token.partition("=")
        try:
            values[key] = float(value)
        except ValueError:
            return None
    needed = ("requests", "duration_us", "p50_us", "p95_us", "p99_us", "max_us", "connect", "read", "write",
              "status", "timeout")
    return values if all(k in values for k in needed) else None


# ---- ringserver stats lines -------------------------------------------------------------------------

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


def stats_lines(path):
    """The complete 'stats ...' lines of a ringserver log (the last one may be being written)."""
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    return [line.strip() for line in text.splitlines(keepends=True)
            if line.endswith("\n") and line.startswith("stats ")]


def fresh_stats(path, timeout=5.0):
    """Waits for a stats line printed after now (--stats 1 prints one a second) and returns the last line
    as a dict, or None when none comes."""
    time.sleep(0.2)
    count = len(stats_lines(path))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = stats_lines(path)
        if len(lines) > count:
            return parse_stats(lines[-1])
        time.sleep(0.1)
    return None


def last_stats(path):
    lines = stats_lines(path)
    return parse_stats(lines[-1]) if lines else None


# ---- perf and strace --------------------------------------------------------------------------------

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
        if line.startswith("#") or not (name == event or name.startswith(event + ":")):
            continue
        first = fields[0].strip()
        return int(first) if re.fullmatch(r"\d+", first) else None
    return None


def perf_events_fds(pid):
    try:
        return sum(1 for fd in os.listdir(f"/proc/{pid}/fd")
                   if "perf_event" in os.readlink(f"/proc/{pid}/fd/{fd}"))
    except OSError:
        return 0


class Counter:
    """perf stat or strace -c attached to every thread of the server's processes for one run."""

    def __init__(self, tool, pids, output, perf_events=()):
        self.tool = tool
        self.output = output
        self.pids = list(pids)
        self.perf_events = list(perf_events)
        self.proc = None

    def start(self):
        if os.path.exists(self.output):
            os.remove(self.output)
        if self.tool == "perf":
            command = ["perf", "stat", "-x,", "-o", self.output, "-p", ",".join(str(p) for p in self.pids)]
            for event in self.perf_events:
                command += ["-e", event]
        else:
            command = ["strace", "-c", "-f", "-o", self.output]
            for pid in self.pids:
                command += ["-p", str(pid)]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        # perf opens one descriptor per thread and event; wait for them so that the run is counted whole.
        # strace attaches thread by thread (no such sign): give it a moment.
        if self.tool == "perf":
            want = sum(threads_of(pid) for pid in self.pids) * len(self.perf_events)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and self.proc.poll() is None:
                if perf_events_fds(self.proc.pid) >= want:
                    break
                time.sleep(0.02)
            time.sleep(0.1)
        else:
            time.sleep(1.0)
        return self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def counts(self):
        """{'syscalls': n, 'context_switches': n} (None where not counted)."""
        if self.tool == "perf":
            return {"syscalls": perf_event_count(self.output, "raw_syscalls:sys_enter"),
                    "context_switches": perf_event_count(self.output, "context-switches")}
        return {"syscalls": strace_total(self.output), "context_switches": None}


def threads_of(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def strace_total(path):
    """The calls of strace -c's 'total' line."""
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        fields = line.split()
        if fields and fields[-1] == "total":
            numbers = [x for x in fields[:-1] if re.fullmatch(r"[\d.]+", x)]
            # % time, seconds, usecs/call, calls[, errors]
            if len(numbers) >= 4:
                return int(numbers[3])
    return None


# ---- response checks --------------------------------------------------------------------------------

def curl(url, head_path, body_path, timeout=30):
    """Fetches URL with curl; returns (status, headers dict (lower-case names), body bytes) or raises
    RuntimeError."""
    result = subprocess.run(["curl", "-sS", "--max-time", str(timeout), "-D", head_path, "-o", body_path,
                             "-w", "%{http_code}", url], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"curl failed: {result.stderr.strip() or result.returncode}")
    headers = {}
    with open(head_path, errors="replace") as f:
        for line in f.read().splitlines()[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
    with open(body_path, "rb") as f:
        body = f.read()
    return result.stdout.strip(), headers, body


def pipelined_responses(port, path, depth, timeout=10.0):
    """Sends DEPTH GET requests back to back on one connection and counts the '200' status lines that come
    back (the body checked elsewhere does not contain one)."""
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").encode() * depth
    data = b""
    deadline = time.monotonic() + timeout
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        while data.count(b"HTTP/1.1 200 ") < depth and time.monotonic() < deadline:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
    return data.count(b"HTTP/1.1 200 ")
