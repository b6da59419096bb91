"""Starting, checking and stopping the lab's servers: a standalone ringserver is two processes (--hello,
and serve DIR for the files), a Spring application one JVM, nginx a master and its workers. Every process
runs pinned (taskset) in a session of its own, so that stopping it stops everything it started."""

import os
import re
import signal
import subprocess
import time

from . import probe
from .plan import HELLO_BODY

JVM_FLAGS = ["--enable-native-access=ALL-UNNAMED"]
READY_TIMEOUT = {"standalone": 60, "spring": 180, "nginx": 30}
STOP_TIMEOUT = 15
NGINX_BACKLOG = 4096


class ServerFailed(Exception):
    pass


class Context:
    """What starting a server needs: paths, the JDK, nginx, the CPUs and the loops value."""

    def __init__(self, root, jdk, nginx, server_cpus, loops, files_dir, logs_dir, work_dir):
        self.root = root
        self.jdk = jdk
        self.nginx = nginx
        self.server_cpus = server_cpus  # taskset list text
        self.loops = loops
        self.files_dir = files_dir
        self.logs_dir = logs_dir
        self.work_dir = work_dir


class Instance:
    """One server process (with nginx, the master: its workers are found once it runs)."""

    def __init__(self, server, role, port, workloads, ctx):
        self.server = server
        self.role = role
        self.port = port
        self.workloads = workloads
        self.ctx = ctx
        name = server.id if role == "main" else f"{server.id}-{role}"
        self.name = name
        self.out_path = os.path.join(ctx.logs_dir, f"{name}.out")
        self.err_path = os.path.join(ctx.logs_dir, f"{name}.err")
        self.proc = None
        self.command = []
        self.ready_line = ""
        self.workers = []
        self.warnings = []

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def cpu_pids(self):
        """The processes whose CPU, switches and memory count: the JVM, or nginx's master and workers
        (looked up again each time: a worker that died would have been replaced)."""
        if self.server.kind == "nginx":
            workers = probe.children(self.pid)
            if workers != self.workers and self.workers:
                self.warnings.append(f"nginx workers changed from {self.workers} to {workers}")
            self.workers = workers
            return [self.pid] + workers
        return [self.pid]

    def alive(self):
        return self.proc is not None and self.proc.poll() is None and probe.alive(self.pid)

    def log_tail(self, lines=25):
        text = []
        paths = [self.out_path, self.err_path]
        if self.server.kind == "nginx":
            paths.append(os.path.join(self.ctx.work_dir, "nginx", "error.log"))
        for path in paths:
            try:
                with open(path, errors="replace") as f:
                    tail = f.read().splitlines()[-lines:]
            except OSError:
                continue
            # The stats lines say nothing about why a server failed.
            tail = [t for t in tail if not t.startswith("stats ")]
            if tail:
                text.append(f"--- {os.path.basename(path)}:\n" + "\n".join(tail))
        return "\n".join(text)

    # ---- start ------------------------------------------------------------------------------------

    def build_command(self):
        ctx, s = self.ctx, self.server
        java = os.path.join(ctx.jdk, "bin", "java") if ctx.jdk else "java"
        if s.kind == "standalone":
            command = [java] + JVM_FLAGS + ["-jar", os.path.join(ctx.root, s.jar)]
            command += ["--hello"] if self.role == "hello" else ["serve", ctx.files_dir]
            command += ["--port", str(self.port), "--address", "127.0.0.1", "--backend", s.backend,
                        "--loops", str(ctx.loops), "--stats", "1"]
        elif s.kind == "spring":
            command = [java] + JVM_FLAGS
            if s.profile.startswith("netty"):
                command.append(f"-Dreactor.netty.ioWorkerCount={ctx.loops}")
            command += ["-jar", os.path.join(ctx.root, s.jar), f"--server.port={self.port}",
                        "--server.address=127.0.0.1",
                        f"--spring.web.resources.static-locations=file:{ctx.files_dir}/"]
            if s.profile == "ringserver":
                command += [f"--ringserver.backend={s.backend}", f"--ringserver.event-loops={ctx.loops}"]
        else:
            conf = self.write_nginx_conf()
            command = [ctx.nginx]
            if "-e filename" in subprocess.run([ctx.nginx, "-h"], capture_output=True, text=True).stderr:
                command += ["-e", os.path.join(ctx.work_dir, "nginx", "error.log")]
            command += ["-c", conf, "-p", os.path.join(ctx.work_dir, "nginx") + "/"]
        return ["taskset", "-c", ctx.server_cpus] + command

    def write_nginx_conf(self):
        ctx = self.ctx
        d = os.path.join(ctx.work_dir, "nginx")
        os.makedirs(d, exist_ok=True)
        version = subprocess.run([ctx.nginx, "-V"], capture_output=True, text=True).stderr
        temp_paths = f"    client_body_temp_path {d}/client_body;\n"
        for module in ("proxy", "fastcgi", "uwsgi", "scgi"):
            if f"--without-http_{module}_module" not in version:
                temp_paths += f"    {module}_temp_path {d}/{module};\n"
        conf = f"""# bench/lab.sh: nginx with {ctx.loops} worker(s), the hello body and the files
worker_processes {ctx.loops};
worker_rlimit_nofile 65536;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 16384; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    default_type application/octet-stream;
{temp_paths}    server {{
        listen 127.0.0.1:{self.port} backlog={NGINX_BACKLOG};
        root {ctx.files_dir};
        location = /plaintext {{ default_type text/plain; return 200 "{HELLO_BODY.decode()}"; }}
        location / {{ }}
    }}
}}
"""
        path = os.path.join(d, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        return path

    def start(self):
        if probe.port_in_use(self.port):
            raise ServerFailed(f"port {self.port} is already taken (use --base-port)")
        self.command = self.build_command()
        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.proc = subprocess.Popen(self.command, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         start_new_session=True)

    def wait_ready(self):
        kind = self.server.kind
        deadline = time.monotonic() + READY_TIMEOUT[kind]
        while True:
            if not self.alive():
                raise ServerFailed(f"exited before it was ready (status {self.proc.poll()})\n{self.log_tail()}")
            if self.ready():
                return
            if time.monotonic() >= deadline:
                raise ServerFailed(f"not ready within {READY_TIMEOUT[kind]} s\n{self.log_tail()}")
            time.sleep(0.2)

    def ready(self):
        s = self.server
        if s.kind == "nginx":
            self.workers = probe.children(self.pid)
            if len(self.workers) < self.ctx.loops:
                return False
            try:
                status, _, _ = probe.curl(f"http://127.0.0.1:{self.port}/plaintext",
                                          os.path.join(self.ctx.work_dir, "ready.head"),
                                          os.path.join(self.ctx.work_dir, "ready.body"), timeout=2)
            except RuntimeError:
                return False
            if status != "200":
                return False
            self.ready_line = f"nginx master {self.pid}, {len(self.workers)} worker(s) {self.workers}"
            return True
        pattern = r"^ringserver listening on .*" if s.kind == "standalone" else r"^bench ready:.*"
        try:
            with open(self.out_path, errors="replace") as f:
                m = re.search(pattern, f.read(), re.M)
        except OSError:
            return False
        if not m:
            return False
        self.ready_line = m.group(0).strip()
        self.check_transport()
        return True

    def check_transport(self):
        """Fails when the server says it runs another backend or transport than its name says."""
        s = self.server
        if not s.backend:
            return
        token = s.backend.replace("_", "").lower()
        if s.kind == "standalone":
            m = re.search(r" backend=(\S+)", self.ready_line)
            if m and m.group(1) != s.backend:
                raise ServerFailed(f"started backend {m.group(1)}, not {s.backend}: {self.ready_line}")
            return
        m = re.search(r"\btransport=(\S+)", self.ready_line)
        if not m:
            self.warnings.append(f"its ready line names no transport: {self.ready_line}")
            return
        value = re.sub(r"[^a-z0-9]", "", m.group(1).lower())
        if token not in value and not (token == "iouring" and "uring" in value):
            raise ServerFailed(f"runs transport {m.group(1)}, not {s.backend}: {self.ready_line}")

    def terminate(self):
        """Asks the process (its whole session) to stop; stop() waits for it."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def stop(self):
        if self.proc is None:
            return
        self.terminate()
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        # Whatever is left in its session (nginx workers, a JVM that ignored SIGTERM).
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass


class Server:
    """A server of one loops group: its processes, and whether it still takes part."""

    def __init__(self, d, roles, ports, ctx):
        self.d = d
        self.id = d.id
        self.instances = {role: Instance(d, role, ports[role], ws, ctx) for role, ws in roles.items()}
        self.failed = ""             # why it takes no further part in this group
        self.bad_workloads = {}      # workload id -> why it is not measured (its check failed)

    def instance_for(self, workload):
        role = workload.role if self.d.kind == "standalone" else "main"
        return self.instances.get(role)

    def workloads(self):
        return [w for inst in self.instances.values() for w in inst.workloads]

    def runs(self, workload):
        inst = self.instance_for(workload)
        return (not self.failed and workload.id not in self.bad_workloads and inst is not None
                and workload in inst.workloads)

    def start(self):
        try:
            for inst in self.instances.values():
                inst.start()
                inst.wait_ready()
        except ServerFailed as e:
            self.fail(f"did not start: {e}")
        except OSError as e:
            self.fail(f"did not start: {e}")

    def fail(self, why):
        if not self.failed:
            self.failed = why
        self.stop()

    def alive(self):
        return all(inst.alive() for inst in self.instances.values())

    def dead_instance(self):
        for inst in self.instances.values():
            if not inst.alive():
                return inst
        return None

    def terminate(self):
        for inst in self.instances.values():
            inst.terminate()

    def stop(self):
        self.terminate()
        for inst in self.instances.values():
            inst.stop()


def stop_all(servers):
    """Stops the servers together: SIGTERM to all first, then each is waited for (and killed if need be)."""
    for s in servers:
        s.terminate()
    for s in servers:
        s.stop()
