"""Where a block's pids cgroup goes: cgroup v1's pids hierarchy, or cgroup v2 where the
build's cgroup may have children. This machine mounts v1, so v2 is laid out in a folder,
with the /proc files that point at it."""

from __future__ import annotations

from pathlib import Path

from fencerun.isolation.limits import PidsCgroup, pids_parent

V2_MOUNT = "36 25 0:31 / {root} rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw"
V1_MOUNT = "40 30 0:35 / {root} rw,relatime shared:15 - cgroup cgroup rw,pids"


def lay_out(tmp_path: Path, *, mountinfo: str, membership: str) -> Path:
    """A /proc/self of our own, for `PidsCgroup.create_root`."""
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "mountinfo").write_text(mountinfo + "\n")
    (proc / "cgroup").write_text(membership + "\n")
    return proc


def v2_tree(tmp_path: Path, *, controllers: str) -> tuple[Path, Path]:
    """(the proc folder, the build's cgroup) in a unified tree where the build sits in
    /user.slice/build.scope and its parent hands down `controllers`."""
    root = tmp_path / "cgroup2"
    build = root / "user.slice" / "build.scope"
    build.mkdir(parents=True)
    (build / "cgroup.controllers").write_text(controllers + "\n")
    (build / "cgroup.subtree_control").write_text("\n")
    proc = lay_out(
        tmp_path,
        mountinfo=V2_MOUNT.format(root=root),
        membership="0::/user.slice/build.scope",
    )
    return proc, build


def test_a_v2_build_cgroup_with_pids_gets_children_with_pids_max(tmp_path: Path) -> None:
    proc, build = v2_tree(tmp_path, controllers="cpu memory pids")
    cgroup = PidsCgroup.create_root("fencerun-1-ab", proc=proc)
    assert cgroup is not None and cgroup.path == build / "fencerun-1-ab"
    # pids handed down by the build's cgroup and by fencerun's own, to the blocks' cgroups
    assert (build / "cgroup.subtree_control").read_text() == "+pids"
    assert (cgroup.path / "cgroup.subtree_control").read_text() == "+pids"
    block = cgroup.child("w7-python", 64)
    assert (block.path / "pids.max").read_text() == "64"


def test_v2_without_the_pids_controller_makes_no_cgroup(tmp_path: Path) -> None:
    proc, build = v2_tree(tmp_path, controllers="cpu memory")
    assert PidsCgroup.create_root("fencerun-1-ab", proc=proc) is None
    assert not (build / "fencerun-1-ab").exists()


def test_v2_build_cgroup_that_refuses_children_makes_no_cgroup(tmp_path: Path) -> None:
    proc, build = v2_tree(tmp_path, controllers="cpu memory pids")
    # What the kernel refuses (a cgroup with processes of its own, another owner's) reads
    # as an OSError; a folder where the file should be gives one.
    (build / "cgroup.subtree_control").unlink()
    (build / "cgroup.subtree_control").mkdir()
    assert PidsCgroup.create_root("fencerun-1-ab", proc=proc) is None
    assert not (build / "fencerun-1-ab").exists()


def test_a_v1_pids_hierarchy_is_used_as_before(tmp_path: Path) -> None:
    root = tmp_path / "pids"
    (root / "build").mkdir(parents=True)
    proc = lay_out(tmp_path, mountinfo=V1_MOUNT.format(root=root), membership="8:pids:/build")
    cgroup = PidsCgroup.create_root("fencerun-1-ab", proc=proc)
    assert cgroup is not None and cgroup.path == root / "build" / "fencerun-1-ab"
    assert not (cgroup.path / "cgroup.subtree_control").exists()  # v1 has no such thing


def test_the_pids_controller_is_where_it_is_mounted(tmp_path: Path) -> None:
    """A hybrid machine (like this one) has both; pids is in v1 there, and v2 does not list it."""
    mountinfo = "\n".join(
        [
            V2_MOUNT.format(root="/sys/fs/cgroup/unified"),
            V1_MOUNT.format(root="/sys/fs/cgroup/pids"),
        ]
    )
    membership = "8:pids:/a\n1:name=systemd:/b\n0::/c"
    assert pids_parent(mountinfo, membership) == (Path("/sys/fs/cgroup/pids/a"), 1)
    assert pids_parent(V2_MOUNT.format(root="/nowhere"), "0::/c") is None
