"""Isolation: what keeps a block from hanging, exhausting, leaking from or escaping the build.

`policy` says what a block may do, `probe` finds what the kernel allows (its trials in
`probe_trials`), and `protections` records the answer.
The container is built from `namespaces`, the view of the machine (`view_plan` decides
it, `view_mounts` mounts it) and `privileges`; `fork_server_setup` does once what is the
same for every container. `limits` and `reaper` bound and clean up its processes,
`environment` and `scrub` keep the build's secrets and paths out.
"""

from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.protections import Protections

__all__ = ["IsolationPolicy", "Protections"]
