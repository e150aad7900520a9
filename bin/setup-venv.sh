# Sourced by ./start-demo, ./run-tests and .ci/run: find Python 3.12+, make .venv, install.
# Prints a clear message and exits when no suitable Python is found.

fnv_find_python() {
    local candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    candidates+=(python3.13 python3.12 python3.14)
    if command -v pyenv >/dev/null 2>&1; then
        local root
        root=$(pyenv root 2>/dev/null)
        for version in $(ls "$root/versions" 2>/dev/null | sort -rV); do
            candidates+=("$root/versions/$version/bin/python3")
        done
    fi
    for dir in "$HOME/.pyenv/versions"/*/bin; do
        [ -x "$dir/python3" ] && candidates+=("$dir/python3")
    done
    candidates+=(python3 python)
    for candidate in "${candidates[@]}"; do
        if command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ]; then
            if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
                echo "$candidate"
                return 0
            fi
        fi
    done
    return 1
}

fnv_setup_venv() {
    # $1: extras to install ("" or "dev")
    local root python stamp wanted
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    cd "$root" || exit 1
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
        if ! python=$(fnv_find_python); then
            echo "FNV Regio needs Python 3.12 or newer (Django 6.1). None was found:" >&2
            echo "install python3.12 or python3.13, or set PYTHON=/path/to/python3.12." >&2
            exit 1
        fi
        echo "[fnv-regio] Python: $python ($("$python" --version 2>&1))"
        rm -rf .venv
        "$python" -m venv .venv || { echo "Could not create .venv with $python (is the venv module installed?)" >&2; exit 1; }
        .venv/bin/python -m pip install --quiet --upgrade pip >.venv/install.log 2>&1
    fi
    # A stamp per hash of pyproject.toml and extras: a second start installs nothing. The "dev"
    # extras include "demo", so after ./run-tests the demo starts without asking pip again.
    local extras hash
    extras=${1:-dev}
    wanted=".[$extras]"
    hash=$(sha256sum pyproject.toml | cut -c1-16)
    stamp=".venv/.installed-$hash-$extras"
    if [ ! -f "$stamp" ] && ! { [ "$extras" = demo ] && [ -f ".venv/.installed-$hash-dev" ]; }; then
        echo "[fnv-regio] Installing dependencies into .venv (a few minutes the first time; details in .venv/install.log) …"
        # pip's own output goes to a file: the terminal keeps the runner's lines; shown on failure.
        if ! .venv/bin/python -m pip install --quiet -e "$wanted" >>.venv/install.log 2>&1; then
            tail -n 40 .venv/install.log >&2
            echo "Installing the dependencies failed; all of pip's output is in .venv/install.log." >&2
            exit 1
        fi
        # Stamps of an older pyproject.toml go; the other extras' stamp of this one stays valid.
        find .venv -maxdepth 1 -name '.installed-*' ! -name ".installed-$hash-*" -delete
        touch "$stamp"
    fi
}
