"""Find out once which protections this kernel and this user allow.

Each protection is tried in a throwaway child process exactly the way a block
will use it (the trials that take more than a call are in `probe_trials`); what
fails is left out with a note, never assumed. The answer is a `Protections`.
"""

from __future__ import annotations

import json
import os
import signal
import socket
from typing import Any

from fencerun.isolation import libc
from fencerun.isolation.namespaces import (
    BLOCK_HOSTNAME,
    Namespaces,
    bring_up_loopback,
    enter_namespaces,
    offline_network_namespace,
)
from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.privileges import drop_privileges, last_capability
from fencerun.isolation.probe_trials import (
    block_identity,
    build_block_view,
    nproc_counts_this_namespace,
    pid_namespace_by_clone,
    pid_namespace_works,
    workdir_idmap,
)
from fencerun.isolation.protections import Protections
from fencerun.isolation.view_plan import MachineView

_PROBE_PATIENCE_S = 20

# prctl options the sandbox uses where a host may refuse them: (option, argument, what is
# lost without it). Refused, each is left out and named on the protections line.
_OPTIONAL_PRCTLS = {
    "subreaper": (
        libc.PR_SET_CHILD_SUBREAPER,
        1,
        "subreaper (prctl PR_SET_CHILD_SUBREAPER refused)",
    ),
    "death_signal": (
        libc.PR_SET_PDEATHSIG,
        signal.SIGKILL,
        "death signal (prctl PR_SET_PDEATHSIG refused): a worker killed outright may leave "
        "its fork server behind",
    ),
    "no_new_privs": (
        libc.PR_SET_NO_NEW_PRIVS,
        1,
        "no_new_privs (prctl PR_SET_NO_NEW_PRIVS refused): a set-uid program run by a block "
        "takes its owner's uid",
    ),
}


def _allowed_prctls() -> dict[str, bool]:
    """Which of `_OPTIONAL_PRCTLS` the host allows, tried in the probe's child."""
    return {
        name: libc.prctl_allowed(option, argument)
        for name, (option, argument, _) in _OPTIONAL_PRCTLS.items()
    }


def probe(
    policy: IsolationPolicy,
    *,
    process_cap: str,
    machine: MachineView | None = None,
    block_uid: int | None = None,
    project_dir: str | None = None,
) -> Protections:
    """Try every protection in a child process; report what worked. The mount namespace is
    tried with the view blocks will get of `machine`; a root build's `block_uid` as its
    blocks become it, with `project_dir` writable as a workdir is."""
    cgroup_note = [] if "pids cgroup" in process_cap else ["pids cgroup"]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            signal.alarm(_PROBE_PATIENCE_S)  # a probe that hangs ends, and says so below
            # First, before any namespace: whatever else fails, the worker must know which
            # of these calls it may make without dying.
            report: dict[str, object] = {"prctls": _allowed_prctls()}
            try:
                identity = (block_uid, project_dir)
                report.update(_probe_here(policy, machine or MachineView(), identity))
            except BaseException as error:  # the probe must report, whatever happens
                report["notes"] = [f"namespaces (probe failed: {error})"]
            os.write(write_end, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        raw = pipe.read()
    os.waitpid(pid, 0)
    found: dict[str, Any] = (
        json.loads(raw) if raw else {"notes": ["namespaces (the probe did not finish)"]}
    )
    namespaces = Namespaces(
        user=bool(found.get("user")),
        pid=bool(found.get("pid")),
        mount=bool(found.get("mount")),
        network=bool(found.get("network")),
        uts=bool(found.get("uts")),
        own_proc=bool(found.get("proc")),
    )
    notes = [str(note) for note in found.get("notes", [])] + cgroup_note
    # A call the probe could not confirm is not made: a refused one would end the worker.
    allowed = found.get("prctls", {})
    notes += [why for name, (_, _, why) in _OPTIONAL_PRCTLS.items() if not allowed.get(name)]
    return Protections(
        namespaces,
        bool(found.get("caps")),
        process_cap,
        tuple(notes),
        nproc_per_namespace=bool(found.get("nproc_per_namespace")),
        subreaper=bool(allowed.get("subreaper")),
        death_signal=bool(allowed.get("death_signal")),
        own_uid=bool(found.get("own_uid")),
        idmapped_folders=bool(found.get("idmapped_folders")),
    )


def _probe_here(
    policy: IsolationPolicy, machine: MachineView, identity: tuple[int | None, str | None]
) -> dict[str, object]:
    report: dict[str, object] = {}
    notes: list[str] = []
    report["notes"] = notes
    if not policy.namespaces:
        notes.append("namespaces (turned off by the policy)")
        report["caps"] = drop_privileges(last_capability())
        return report
    worker_mount_namespace = os.readlink("/proc/self/ns/mnt")
    uid, project_dir = identity
    # Made as the worker makes it, before any view (where /proc is read-only).
    workdir = workdir_idmap(project_dir, uid) if uid is not None and project_dir else None
    if os.geteuid() != 0:
        # First, from outside any user namespace, as the fork server will make them.
        report.update(pid_namespace_by_clone(policy, machine, worker_mount_namespace))
        try:
            enter_namespaces(Namespaces(user=True))
            report["user"] = True
            report["nproc_per_namespace"] = nproc_counts_this_namespace()
        except OSError as error:
            for found_by_clone in ("pid", "proc", "pid_note"):
                report.pop(found_by_clone, None)
            notes.append(f"user namespaces ({error.strerror}): no PID, mount or network namespace")
            report["caps"] = drop_privileges(last_capability())
            return report
    wanted = [("mount", libc.CLONE_NEWNS), ("uts", libc.CLONE_NEWUTS)]
    if policy.network:
        notes.append("network namespace (the policy allows the network)")
    else:
        wanted.append(("network", libc.CLONE_NEWNET))
    for name, flag in wanted:
        try:
            libc.unshare(flag)
            report[name] = True
        except OSError as error:
            notes.append(f"{name} namespace ({error.strerror})")
    if report.get("mount"):
        try:
            build_block_view(policy, machine, worker_mount_namespace)
        except (OSError, RuntimeError) as error:
            report["mount"] = False
            notes.append(f"mount namespace ({error})")
    if report.get("uts"):
        try:
            socket.sethostname(BLOCK_HOSTNAME)
        except OSError as error:
            report["uts"] = False
            notes.append(f"UTS namespace (host name: {error.strerror})")
    if report.get("network"):
        try:
            bring_up_loopback()
            if not report.get("user"):
                # The fork server joins it (setns), which a host may refuse.
                offline = offline_network_namespace()
                try:
                    libc.setns(offline, libc.CLONE_NEWNET)
                finally:
                    os.close(offline)
        except OSError as error:
            report["network"] = False
            notes.append(f"network namespace (loopback: {error.strerror})")
    if report.get("mount") and not report.get("user") and uid is not None:
        # Before the PID namespace's children mount their /proc over this one.
        report.update(block_identity(policy, machine, uid, workdir, notes))
    if report.get("user"):
        if "pid_note" in report:
            notes.append(str(report.pop("pid_note")))
        report["proc"] = report.get("proc") and report.get("mount")
    elif pid_namespace_works(mount_proc=bool(report.get("mount"))):
        report["pid"] = True
        report["proc"] = report.get("mount")
    else:
        notes.append("PID namespace (not permitted)")
    report["caps"] = drop_privileges(last_capability())
    return report
