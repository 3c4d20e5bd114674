"""A private, real, single-node Slurm cluster on this host (munged + slurmctld + slurmd).

Used by the slurm backend's tests and ci/slurm-smoke.sh (docs/decisions/0008-slurm-backend.md).
Everything lives in one directory the caller chooses: the munge key, socket, seed and log,
slurm.conf, the controller's state, the node's spool, logs and pid files. The daemons listen on
loopback only, on free ports picked at start, so the cluster never touches /etc/slurm,
/etc/munge or another cluster on the same host. The node is this host (its short hostname),
with the CPUs and memory `slurmd -C` reads from the machine.

    with SlurmCluster(Path("out/slurm")) as c:       # up() ... down()
        subprocess.run(["sinfo"], env=c.env())

    python -m ncv.slurm_cluster up --dir D            # prints `export SLURM_CONF=...`
    python -m ncv.slurm_cluster status --dir D
    python -m ncv.slurm_cluster down --dir D

Accounting: no slurmdbd (it needs MySQL/MariaDB). AccountingStorageType=accounting_storage/none;
JobCompType=jobcomp/filetxt writes one line per finished job to log/jobcomp.txt. The backend
does not need either: it reads the exit-status file its wrapper writes per task, and squeue /
`scontrol show job` for tasks that never wrote one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .errors import InfraError

BINARIES = ("munged", "slurmctld", "slurmd", "sinfo", "squeue", "sbatch", "scontrol", "scancel")
PARTITION = "ncv"


def missing_binaries() -> list[str]:
    return [b for b in BINARIES if not _which(b)]


def _which(name: str) -> str | None:
    # munged/slurmd/slurmctld are in /usr/sbin, which a non-login PATH may lack.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours is dead for our purposes
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _node_hardware() -> tuple[int, int]:
    """(CPUs, RealMemory in MB) of this machine, as slurmd itself will see them."""
    try:
        out = subprocess.run([_which("slurmd") or "slurmd", "-C"], capture_output=True, text=True,
                             timeout=30).stdout
        kv = dict(w.split("=", 1) for w in out.split() if "=" in w)
        return int(kv["CPUs"]), int(kv["RealMemory"])
    except (OSError, KeyError, ValueError, subprocess.TimeoutExpired):
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
        return os.cpu_count() or 1, mem_kb // 1024


class SlurmCluster:
    """Starts and stops the private cluster in WORKDIR (created if missing)."""

    def __init__(self, workdir: Path | str, start_timeout_s: float = 60.0):
        self.dir = Path(workdir).resolve()
        self.start_timeout_s = start_timeout_s
        self.node = socket.gethostname().split(".")[0]
        self.conf = self.dir / "slurm.conf"
        self.munge_socket = self.dir / "munge" / "munge.socket"
        self.partition = PARTITION

    # ---- paths -----------------------------------------------------------------------
    def _pidfile(self, daemon: str) -> Path:
        return self.dir / "run" / f"{daemon}.pid"

    def log(self, daemon: str) -> Path:
        return self.dir / "log" / f"{daemon}.log"

    def env(self) -> dict[str, str]:
        """The variables the Slurm client commands (sbatch, squeue, ...) need for this cluster."""
        path = os.environ.get("PATH", "/usr/bin:/bin")
        return {"SLURM_CONF": str(self.conf), "PATH": path}

    def client_env(self) -> dict[str, str]:
        """os.environ with env() applied, for subprocess calls."""
        return dict(os.environ, **self.env())

    # ---- configuration ---------------------------------------------------------------
    def _write_config(self) -> None:
        for d in ("munge", "state", "spool", "log", "run"):
            (self.dir / d).mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir / "munge", 0o711)  # munged wants x for all on its socket dir
        key = self.dir / "munge" / "munge.key"
        if not key.exists():
            fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(1024))
        cpus, mem = _node_hardware()
        ctld_port, slurmd_port = _free_port(), _free_port()
        while slurmd_port == ctld_port:
            slurmd_port = _free_port()
        d = self.dir
        (d / "plugstack.conf").write_text("")  # keep /etc/slurm/plugstack.conf out
        lines = [
            "# Private single-node test cluster written by ncv.slurm_cluster; do not edit.",
            "ClusterName=ncv",
            f"SlurmctldHost={self.node}(127.0.0.1)",
            f"SlurmctldPort={ctld_port}",
            f"SlurmdPort={slurmd_port}",
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={self.munge_socket}",
            f"StateSaveLocation={d / 'state'}",
            f"SlurmdSpoolDir={d / 'spool'}",
            f"SlurmctldPidFile={self._pidfile('slurmctld')}",
            f"SlurmdPidFile={self._pidfile('slurmd')}",
            f"SlurmctldLogFile={self.log('slurmctld')}",
            f"SlurmdLogFile={self.log('slurmd')}",
            f"PlugStackConfig={d / 'plugstack.conf'}",
            "SlurmctldDebug=info",
            "SlurmdDebug=info",
            # linuxproc tracks a job's processes by parentage, so a job that starts its own
            # session (setsid) is still killed by scancel; cgroups are often not delegated
            # inside containers.
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "MpiDefault=none",
            "SchedulerType=sched/backfill",
            # start freed slots' array tasks at the next 1 s tick instead of every 3 s
            "SchedulerParameters=batch_sched_delay=0",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU",
            "ReturnToService=2",
            "SlurmdTimeout=60",
            "InactiveLimit=0",
            "KillWait=5",
            "MinJobAge=600",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/filetxt",
            f"JobCompLoc={d / 'log' / 'jobcomp.txt'}",
            f"NodeName={self.node} NodeAddr=127.0.0.1 NodeHostname={self.node} CPUs={cpus} "
            f"RealMemory={mem} State=UNKNOWN",
            f"PartitionName={PARTITION} Nodes={self.node} Default=YES MaxTime=INFINITE State=UP",
        ]
        self.conf.write_text("\n".join(lines) + "\n")

    # ---- lifecycle -------------------------------------------------------------------
    def up(self) -> "SlurmCluster":
        miss = missing_binaries()
        if miss:
            raise InfraError(f"slurm cluster: missing {', '.join(miss)}: install Debian packages slurm-wlm, "
                             "slurm-client and munge (./ncv's bootstrap does, from ci/apt-packages.txt)")
        if self.running():
            raise InfraError(f"slurm cluster: already running in {self.dir} (stop it: "
                             f"python -m ncv.slurm_cluster down --dir {self.dir})")
        # Unix socket paths are limited to 107 bytes: munged's, and slurmstepd's in the spool
        # directory (<node>_<job>.<step>).
        if len(str(self.dir)) + len(self.node) + 40 > 107:
            raise InfraError(f"slurm cluster: directory path too long for Unix sockets ({len(str(self.dir))} "
                             f"characters; keep it under {107 - 40 - len(self.node)}): {self.dir}")
        self._write_config()
        self.munge_socket.unlink(missing_ok=True)  # a crashed munged's; up() waits for the new one
        deadline = time.monotonic() + self.start_timeout_s
        try:
            m = self.dir / "munge"
            self._start("munged", [_which("munged"), "--force", f"--socket={self.munge_socket}",
                                   f"--key-file={m / 'munge.key'}", f"--pid-file={self._pidfile('munged')}",
                                   f"--log-file={self.log('munged')}", f"--seed-file={m / 'munged.seed'}"])
            self._wait(deadline, "munged socket", lambda: self.munge_socket.exists())
            self._start("slurmctld", [_which("slurmctld"), "-c", "-f", str(self.conf)])  # -c: a fresh start
            self._wait(deadline, "slurmctld", lambda: " is UP" in self._run("scontrol", "ping", timeout=10).stdout)
            self._start("slurmd", [_which("slurmd"), "-f", str(self.conf), "-N", self.node])
            self._wait(deadline, f"node {self.node} idle in sinfo", lambda: self.node_state() == "idle")
        except BaseException:
            self.down()
            raise
        return self

    def _start(self, daemon: str, argv: list) -> None:
        self._pidfile(daemon).unlink(missing_ok=True)
        with open(self.log(daemon).with_suffix(".out"), "ab") as out:
            p = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               env=self.client_env(), timeout=60)
        if p.returncode != 0:
            raise InfraError(f"slurm cluster: {daemon} failed to start (exit {p.returncode}); see "
                             f"{self.log(daemon)} and {self.log(daemon).with_suffix('.out')}")

    def _wait(self, deadline: float, what: str, ok) -> None:
        delay = 0.05
        while True:
            if ok():
                return
            for d in ("munged", "slurmctld", "slurmd"):
                pid = self._pid(d)  # None while the daemon has not written its pid file completely
                if pid is not None and not _pid_alive(pid):
                    raise InfraError(f"slurm cluster: {d} died while waiting for {what}; see {self.log(d)}")
            if time.monotonic() > deadline:
                raise InfraError(f"slurm cluster: timed out after {self.start_timeout_s:g} s waiting for "
                                 f"{what}; see logs in {self.dir / 'log'}")
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def _run(self, cmd: str, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
        try:
            return subprocess.run([cmd, *args], capture_output=True, text=True, env=self.client_env(),
                                  timeout=timeout)
        except subprocess.TimeoutExpired as e:
            return subprocess.CompletedProcess(e.cmd, 124, "", "timeout")

    def _pid(self, daemon: str) -> int | None:
        try:
            return int(self._pidfile(daemon).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _alive(self, daemon: str) -> bool:
        pid = self._pid(daemon)
        return pid is not None and _pid_alive(pid)

    def running(self) -> bool:
        return any(self._alive(d) for d in ("munged", "slurmctld", "slurmd"))

    def node_state(self) -> str:
        p = self._run("sinfo", "-h", "-N", "-n", self.node, "-o", "%t", timeout=10)
        return p.stdout.strip() if p.returncode == 0 else ""

    def _stepds(self) -> list[int]:
        """slurmstepd processes of this cluster (they outlive slurmd by design): the ones with a
        file open in our spool directory or started with our config."""
        spool = str(self.dir / "spool")
        pids = []
        for ent in os.listdir("/proc"):
            if not ent.isdigit():
                continue
            try:
                with open(f"/proc/{ent}/comm") as f:
                    if f.read().strip() != "slurmstepd":
                        continue
                fds = os.listdir(f"/proc/{ent}/fd")
                if any(os.readlink(f"/proc/{ent}/fd/{fd}").startswith(spool) for fd in fds):
                    pids.append(int(ent))
            except OSError:
                continue
        return pids

    def down(self, timeout_s: float = 30.0) -> None:
        """Cancels every job, stops slurmd, slurmctld and munged, and waits until none of their
        processes (nor a job step of this cluster) is left."""
        deadline = time.monotonic() + timeout_s
        if self._alive("slurmctld"):
            ids = self._run("squeue", "-h", "-o", "%A", timeout=10).stdout.split()
            if ids:
                self._run("scancel", *sorted(set(ids)), timeout=10)
                delay = 0.05
                while time.monotonic() < deadline and self._run("squeue", "-h", "-o", "%A", timeout=10).stdout.strip():
                    time.sleep(delay)
                    delay = min(delay * 2, 0.5)
        for d in ("slurmd", "slurmctld", "munged"):
            self._stop(d, deadline)
        for pid in self._stepds():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        left = [d for d in ("slurmd", "slurmctld", "munged") if self._alive(d)] + \
            [f"slurmstepd {p}" for p in self._stepds() if _pid_alive(p)]
        if left:
            raise InfraError(f"slurm cluster: still running after stop: {', '.join(left)}")

    def _stop(self, daemon: str, deadline: float) -> None:
        pid = self._pid(daemon)
        if pid is None or not _pid_alive(pid):
            self._pidfile(daemon).unlink(missing_ok=True)
            return
        os.kill(pid, signal.SIGTERM)
        delay = 0.02
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(delay)
            delay = min(delay * 2, 0.25)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            end = time.monotonic() + 5
            while _pid_alive(pid) and time.monotonic() < end:
                time.sleep(0.05)
        self._pidfile(daemon).unlink(missing_ok=True)

    def status(self) -> str:
        parts = [f"{d}: {'running (pid %d)' % self._pid(d) if self._alive(d) else 'stopped'}"
                 for d in ("munged", "slurmctld", "slurmd")]
        if self._alive("slurmctld"):
            parts.append(f"node {self.node}: {self.node_state() or 'unknown'}")
        return "; ".join(parts)

    def __enter__(self) -> "SlurmCluster":
        return self.up()

    def __exit__(self, *exc) -> None:
        self.down()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ncv slurm", description="a private single-node Slurm cluster on this host")
    ap.add_argument("action", choices=["up", "down", "status"])
    ap.add_argument("--dir", default=None, help="cluster directory (default: $NCV_OUT/slurm, i.e. out/slurm)")
    a = ap.parse_args(argv)
    from . import paths
    from .errors import NcvError

    c = SlurmCluster(Path(a.dir) if a.dir else paths.out_dir() / "slurm")
    try:
        if a.action == "up":
            t0 = time.monotonic()
            c.up()
            print(f"slurm cluster up in {time.monotonic() - t0:.1f} s: node {c.node}, partition {c.partition}")
            print(f"export SLURM_CONF={c.conf}")
        elif a.action == "down":
            t0 = time.monotonic()
            c.down()
            print(f"slurm cluster down in {time.monotonic() - t0:.1f} s")
        else:
            print(c.status())
            return 0 if c.running() else 1
    except NcvError as e:
        print(f"ncv slurm: {e}", file=sys.stderr)
        return e.status
    return 0


if __name__ == "__main__":
    sys.exit(main())
