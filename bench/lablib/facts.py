"""The machine and the versions recorded with every lab result."""

import os
import platform
import re
import resource
import subprocess
import zipfile


def run(command, stderr=True):
    try:
        r = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return ((r.stdout or "") + (r.stderr if stderr else "")).strip()


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def mem_total_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / (1 << 20), 1)
    return None


def loadavg():
    return " ".join(read("/proc/loadavg").split()[:3])


def machine(server_cpus, load_cpus):
    cpus = sorted(set(server_cpus) | set(load_cpus))
    governors = {c: read(f"/sys/devices/system/cpu/cpu{c}/cpufreq/scaling_governor") for c in cpus}
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)
    return {
        "hostname": platform.node(),
        "kernel": platform.release(),
        "os": (run(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]) or platform.platform()),
        "cpu_model": cpu_model(),
        "cpus_online": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "mem_total_gib": mem_total_gib(),
        "cpu_governors": {str(c): g for c, g in governors.items() if g} or "not exposed",
        "virtualization": run(["systemd-detect-virt"], stderr=False) or "unknown",
        "somaxconn": read("/proc/sys/net/core/somaxconn"),
        "tcp_max_syn_backlog": read("/proc/sys/net/ipv4/tcp_max_syn_backlog"),
        "tcp_tw_reuse": read("/proc/sys/net/ipv4/tcp_tw_reuse"),
        "ip_local_port_range": (read("/proc/sys/net/ipv4/ip_local_port_range") or "").replace("\t", "-"),
        "io_uring_disabled": read("/proc/sys/kernel/io_uring_disabled"),
        "perf_event_paranoid": read("/proc/sys/kernel/perf_event_paranoid"),
        "open_files_limit": f"{nofile[0]} (hard {nofile[1]})",
    }


# Library name prefixes of BOOT-INF/lib entries worth recording (as found: a jar without one has none).
LIBS = ["spring-boot", "spring-webflux", "spring-web", "reactor-core", "reactor-netty-http", "reactor-netty-core",
        "netty-transport", "netty-transport-native-epoll", "netty-transport-native-io_uring",
        "netty-transport-classes-io_uring", "netty-transport-native-io-uring", "tomcat-embed-core",
        "jetty-server", "jetty-http", "jetty-ee10-servlet", "jackson-databind", "tools.jackson.core",
        "jackson-core", "ringserver-core", "ringserver-spring-boot-starter"]


def jar_libs(path):
    """{library: version} from the names of an executable jar's BOOT-INF/lib entries."""
    try:
        names = [n.rsplit("/", 1)[-1] for n in zipfile.ZipFile(path).namelist() if n.startswith("BOOT-INF/lib/")]
    except (OSError, zipfile.BadZipFile):
        return {}
    found = {}
    for prefix in LIBS:
        for n in names:
            m = re.fullmatch(re.escape(prefix) + r"-(\d[^/]*?)(?:-linux-[^/]*)?\.jar", n)
            if m:
                found[prefix] = m.group(1)
    return found


def git(root, *args):
    return run(["git", "-C", root] + list(args), stderr=False)


def versions(root, jdk, nginx, jars):
    java = run([os.path.join(jdk, "bin", "java"), "-version"]).splitlines() if jdk else []
    commit = git(root, "rev-parse", "HEAD") or "unknown"
    dirty = run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"], stderr=False)
    v = {
        "java": java[0] if java else "not used",
        "java_runtime": java[1] if len(java) > 1 else "",
        "jdk_home": jdk or "",
        "nginx": (run([nginx, "-v"]) if nginx else "not used"),
        "wrk": re.sub(r"\s+Copyright.*", "", run(["wrk", "-v"]).splitlines()[0]) if run(["wrk", "-v"]) else "unknown",
        "perf": run(["perf", "--version"]) or "not installed",
        "strace": (run(["strace", "-V"]).splitlines() or ["not installed"])[0],
        "curl": (run(["curl", "--version"]).splitlines() or ["unknown"])[0],
        "ringserver_commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "ringserver_branch": git(root, "rev-parse", "--abbrev-ref", "HEAD"),
        "jars": {},
    }
    for name, path in sorted(jars.items()):
        if os.path.exists(path):
            v["jars"][name] = {"path": os.path.relpath(path, root), "libraries": jar_libs(path),
                               "modified_utc": _mtime(path)}
    return v


def _mtime(path):
    import datetime
    return datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def io_uring_unavailable():
    """Why io_uring cannot run here, or '' (ringserver needs Linux 5.19; the sysctl may disable it)."""
    disabled = read("/proc/sys/kernel/io_uring_disabled")
    if disabled == "2":
        return "io_uring is disabled (kernel.io_uring_disabled=2)"
    m = re.match(r"(\d+)\.(\d+)", platform.release())
    if m and (int(m.group(1)), int(m.group(2))) < (5, 19):
        return f"kernel {platform.release()} is older than 5.19"
    if disabled == "1" and os.geteuid() != 0:
        return "io_uring is restricted to a group (kernel.io_uring_disabled=1) and this is not root"
    return ""


def kqueue_unavailable():
    """Why the kqueue backend cannot run here, or '' (on Linux it needs libkqueue.so.0)."""
    if platform.system() == "Darwin":
        return ""
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    if "libkqueue.so.0 " in out:
        return ""
    return "libkqueue.so.0 is not installed (on Linux the kqueue backend runs over libkqueue; see .ci/run)"
