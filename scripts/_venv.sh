# Sourced by scripts/site and scripts/test: makes .venv hold exactly the pinned
# stack and the project's plugins. Reruns only when a lock or plugin manifest changes.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo_root/.venv"

pick_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "error: Python 3.11 or newer is needed; install it or set PYTHON=/path/to/python3.11" >&2
    exit 1
}

# pip's own chatter goes to a log that is shown only when an install fails.
quiet_pip() {
    local log
    log=$(mktemp)
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check -q "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "error: pip install $* failed (full output above)" >&2
        exit 1
    fi
    rm -f "$log"
}

# ensure_venv LOCKFILE: installs LOCKFILE's pins plus the plugins into .venv.
ensure_venv() {
    local lockfile="$repo_root/$1"
    local stamp="$venv/.installed-$(basename "$lockfile")"
    local wanted
    wanted=$(cat "$lockfile" "$repo_root"/requirements*.lock "$repo_root"/plugins/*/pyproject.toml | sha256sum | cut -d' ' -f1)
    if [ ! -x "$venv/bin/python" ]; then
        "$(pick_python)" -m venv "$venv"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        echo "Setting up $venv from $(basename "$lockfile") ..." >&2
        quiet_pip --upgrade pip
        quiet_pip -r "$lockfile"
        local plugin
        for plugin in "$repo_root"/plugins/*/; do
            quiet_pip --no-deps -e "$plugin"
        done
        echo "$wanted" >"$stamp"
    fi
}

# ensure_wheelhouse: the wheels the package test (tests/fencerun_package) installs fencerun
# with into fresh venvs, downloaded here so that the test needs no network.
ensure_wheelhouse() {
    local wheelhouse="$repo_root/.cache/wheelhouse"
    local stamp="$wheelhouse/.downloaded"
    local wanted
    wanted=$(cat "$repo_root/requirements.lock" "$repo_root/plugins/fencerun/pyproject.toml" "$repo_root/scripts/fencerun_wheels.py" | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        echo "Downloading the wheels of fencerun's package test into $wheelhouse ..." >&2
        local log
        log=$(mktemp)
        if ! "$venv/bin/python" "$repo_root/scripts/fencerun_wheels.py" "$wheelhouse" >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            echo "error: downloading the package test's wheels failed (output above)" >&2
            exit 1
        fi
        rm -f "$log"
        echo "$wanted" >"$stamp"
    fi
}
