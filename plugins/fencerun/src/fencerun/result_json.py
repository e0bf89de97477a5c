"""A result as JSON and back: one format for the result store and for frozen recordings."""

from __future__ import annotations

from typing import Any, TypeVar

from fencerun.model import Figure, Origin, Provenance, Result

_T = TypeVar("_T")


class EntryError(ValueError):
    """Stored data that does not describe a result this version can use."""


def result_to_json(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data. The origin is left out: it says where a result came
    from in this build, and the reader sets it."""
    data: dict[str, Any] = {
        "output": result.output,
        "returncode": result.returncode,
        "timed_out": result.timed_out,
        "truncated": result.truncated,
        "figures": [figure.svg for figure in result.figures],
        "provenance": None,
    }
    # Only when set, which a kept result never is (a block at its cap failed): entries and
    # recordings read the same as before it existed, and older versions still read them.
    if result.process_cap is not None:
        data["process_cap"] = result.process_cap
    # Only when there is some: most blocks show their stderr (shells) or write none.
    if result.stderr:
        data["stderr"] = result.stderr
    if result.provenance is not None:
        provenance = result.provenance
        data["provenance"] = {
            "os": provenance.os,
            "interpreter": provenance.interpreter,
            "started_at": provenance.started_at,
            "duration_s": round(provenance.duration_s, 3),  # ms: finer only adds diff noise
        }
    return data


def result_from_json(data: object, *, origin: Origin = "cached") -> Result:
    """The result `result_to_json` wrote; raises EntryError for anything else."""
    fields = json_object(data, "result")
    figures = json_field(fields, "figures", list)
    provenance = fields.get("provenance")
    process_cap = _integer(fields, "process_cap") if "process_cap" in fields else None
    stderr = json_field(fields, "stderr", str) if "stderr" in fields else ""
    return Result(
        output=json_field(fields, "output", str),
        stderr=stderr,
        returncode=_integer(fields, "returncode"),
        timed_out=json_field(fields, "timed_out", bool),
        truncated=json_field(fields, "truncated", bool),
        figures=tuple(Figure(_svg(svg)) for svg in figures),
        provenance=None if provenance is None else _provenance(provenance),
        process_cap=process_cap,
        origin=origin,
    )


def _provenance(data: object) -> Provenance:
    # Entries and recordings made before provenance left the machine out carry its name as
    # "host": they read as before, and the name is dropped so no page shows it.
    fields = json_object(data, "provenance")
    duration = fields.get("duration_s")
    if isinstance(duration, bool) or not isinstance(duration, int | float):
        raise EntryError("provenance.duration_s is not a number")
    return Provenance(
        os=json_field(fields, "os", str),
        interpreter=json_field(fields, "interpreter", str),
        started_at=json_field(fields, "started_at", str),
        duration_s=float(duration),
    )


def json_object(data: object, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise EntryError(f"{what} is not a JSON object")
    return data


def json_field(fields: dict[str, Any], name: str, kind: type[_T]) -> _T:
    value = fields.get(name)
    if not isinstance(value, kind):
        raise EntryError(f"{name} is missing or not a {kind.__name__}")
    return value


def _integer(fields: dict[str, Any], name: str) -> int:
    value = fields.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise EntryError(f"{name} is missing or not an integer")
    return value


def _svg(value: object) -> str:
    if not isinstance(value, str):
        raise EntryError("a figure is not an SVG string")
    return value
