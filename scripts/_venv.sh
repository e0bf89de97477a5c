# Sourced by scripts/site and scripts/test: makes .venv hold exactly the pinned
# stack and the project's plugins. Reruns only when a lock or plugin manifest changes.
# Written for bash 3.2 (the /bin/bash of macOS) and without GNU-only tools.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo_root/.venv"
source "$repo_root/scripts/_system.sh"

# The floor the locks install on (README: Python 3.11 or newer, Debian 12's 3.11.2 included).
python_floor="3.11"
python_ok='import sys; sys.exit(sys.version_info < (3, 11))'

pick_python() {
    local candidate
    if [ -n "${PYTHON:-}" ]; then
        # Asked for by name: use it or say why not, never fall back to another one.
        if ! command -v "$PYTHON" >/dev/null 2>&1; then
            echo "error: PYTHON=$PYTHON is not a program on this machine; set PYTHON to a" \
                "Python $python_floor or newer, or unset it" >&2
            exit 1
        fi
        if ! "$PYTHON" -c "$python_ok" 2>/dev/null; then
            echo "error: PYTHON=$PYTHON is $("$PYTHON" --version 2>&1 || echo "not a working Python");" \
                "the site needs Python $python_floor or newer" >&2
            exit 1
        fi
        echo "$PYTHON"
        return
    fi
    for candidate in python3 python3.14 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "$python_ok" 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "error: Python $python_floor or newer is needed; install it (Debian: apt-get install" \
        "python3 python3-venv; macOS: brew install python) or set PYTHON=/path/to/python3" >&2
    exit 1
}

# identity PYTHON: which interpreter it is; a venv's Python names the one it was made from.
identity() {
    "$1" -c 'import sys; print(sys.version, sys.base_prefix)'
}

# Debian and Ubuntu ship venv's pip bootstrap apart from Python (python3.X-venv).
ensure_venv_module() {
    local python=$1 package
    "$python" -c 'import ensurepip, venv' 2>/dev/null && return 0
    package=$("$python" -c 'import sys; print(f"python3.{sys.version_info.minor}-venv")')
    if has_dpkg && can_install_packages; then
        install_packages "$package" || exit 1
        "$python" -c 'import ensurepip, venv' 2>/dev/null && return 0
    fi
    echo "error: $python cannot make a virtual environment (no ensurepip module);" \
        "on Debian or Ubuntu install $package, elsewhere use a Python that has venv" \
        "(set PYTHON=/path/to/python3)" >&2
    exit 1
}

# fingerprint FILE...: one digest over the files' contents (sha256sum is not on macOS).
fingerprint() {
    "$venv/bin/python" -c '
import hashlib, sys
digest = hashlib.sha256()
for name in sys.argv[1:]:
    with open(name, "rb") as stream:
        digest.update(stream.read())
print(digest.hexdigest())' "$@"
}

# hold_setup_lock PYTHON / release_setup_lock: one set-up at a time per checkout, so
# that `scripts/site` and `scripts/test` started together do not both write .venv. The
# lock is flock(2) on fd 9 (taken by Python, for flock(1) is not on macOS); it belongs to
# the open file, so it stays held by this shell once Python has exited.
hold_setup_lock() {
    mkdir -p "$repo_root/.cache"
    exec 9>"$repo_root/.cache/setup.lock"
    if ! "$1" -c 'import fcntl; fcntl.flock(9, fcntl.LOCK_EX | fcntl.LOCK_NB)' 2>/dev/null; then
        echo "Waiting for another set-up of this checkout to finish ..." >&2
        "$1" -c 'import fcntl; fcntl.flock(9, fcntl.LOCK_EX)'
    fi
}

release_setup_lock() {
    exec 9>&-
}

# ensure_venv LOCKFILE: installs LOCKFILE's pins plus the plugins into .venv.
ensure_venv() {
    local python
    python=$(pick_python)
    hold_setup_lock "$python"
    make_venv "$1" "$python"
    release_setup_lock
}

make_venv() {
    local lockfile="$repo_root/$1" python=$2
    local stamp="$venv/.installed-$(basename "$lockfile")"
    local wanted
    # A venv whose interpreter is gone (a Homebrew upgrade) or is not the PYTHON asked
    # for is made anew.
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "$python_ok" 2>/dev/null ||
        { [ -n "${PYTHON:-}" ] && [ "$(identity "$venv/bin/python")" != "$(identity "$python")" ]; }; then
        ensure_venv_module "$python"
        echo "Making $venv with $("$python" --version 2>&1) ..." >&2
        "$python" -m venv --clear "$venv"
    fi
    # The checkout is part of it: the plugins are installed editable, pointing into it, so a
    # venv another checkout set up last (a copy that links this .venv) is set up again.
    wanted="$(fingerprint "$lockfile" "$repo_root"/requirements*.lock "$repo_root"/plugins/*/pyproject.toml) $repo_root"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        echo "Setting up $venv from $(basename "$lockfile") ..." >&2
        # pip moves to its pinned version first, alone with the plugins' build backend;
        # every file installed from PyPI must match a hash in the locks.
        quiet_pip --require-hashes -r "$repo_root/requirements-build.lock"
        quiet_pip --require-hashes -r "$lockfile"
        local plugin
        for plugin in "$repo_root"/plugins/*/; do
            # Built with the backend installed above and nothing else: no index to fetch from.
            quiet_pip --no-index --no-deps --no-build-isolation -e "$plugin"
        done
        echo "$wanted" >"$stamp"
    fi
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

# ensure_wheelhouse: the wheels the package test (tests/fencerun/package) installs fencerun
# with into fresh venvs, downloaded here so that the test needs no network.
ensure_wheelhouse() {
    hold_setup_lock "$venv/bin/python"
    fetch_wheels
    release_setup_lock
}

fetch_wheels() {
    local wheelhouse="$repo_root/.cache/wheelhouse"
    local stamp="$wheelhouse/.downloaded"
    local wanted
    wanted=$(fingerprint "$repo_root/requirements.lock" "$repo_root/tests/fencerun/package/floors.lock" \
        "$repo_root/plugins/fencerun/pyproject.toml" "$repo_root/scripts/fencerun_wheels.py")
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
