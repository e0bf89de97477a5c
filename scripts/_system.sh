# Sourced by the setup scripts: installing system packages with apt-get, as root or through
# sudo, on Debian and Ubuntu; elsewhere (macOS) only naming them. Written for bash 3.2 (the
# /bin/bash of macOS) and without GNU-only tools.

# The site's blocks run sbin commands (swapon); an ordinary user's PATH on Debian has no sbin.
case ":$PATH:" in
    *:/usr/sbin:*) ;;
    *) PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" ;;
esac
export PATH

has_dpkg() {
    command -v dpkg-query >/dev/null 2>&1
}

package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Root runs apt-get itself; anyone else goes through sudo.
_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

can_install_packages() {
    command -v apt-get >/dev/null 2>&1 &&
        { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }
}

# install_hint PACKAGE...: how to install them by hand, as one sentence.
install_hint() {
    if command -v apt-get >/dev/null 2>&1; then
        local sudo="sudo "
        [ "$(id -u)" -ne 0 ] || sudo=""
        echo "Install them with: ${sudo}apt-get install $*."
    else
        echo "These are Debian's package names and this is not Debian or Ubuntu:" \
            "install the same tools with this system's package manager."
    fi
}

# install_packages PACKAGE...: installs them with apt-get; on failure says what to do, returns 1.
install_packages() {
    local log
    echo "Installing system packages: $*" >&2
    log=$(mktemp)
    if _as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >"$log" 2>&1 &&
        _as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
            install -y -qq --no-install-recommends "$@" >>"$log" 2>&1; then
        rm -f "$log"
        return 0
    fi
    cat "$log" >&2
    rm -f "$log"
    echo "error: could not install $* (apt-get's output above). $(install_hint "$@")" >&2
    return 1
}
