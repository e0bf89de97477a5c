"""Isolation: what keeps a block from hanging, exhausting, leaking from or escaping the build.

`policy` says what a block may do, `probe` finds what the kernel allows,
`sandbox` builds the container, `limits` and `reaper` bound and clean up its
processes, `environment` and `scrub` keep the build's secrets and paths out.
"""

from fencerun.isolation.policy import IsolationPolicy
from fencerun.isolation.probe import Protections

__all__ = ["IsolationPolicy", "Protections"]
