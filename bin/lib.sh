# Shared by bin/setup, bin/test, bin/run and bin/lock (sourced, not executed).

CONSULT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONSULT_VENV="$CONSULT_ROOT/.venv"
# uv installed by bin/setup lives beside the environment, outside its
# site-packages, so that `uv sync` (exact by default) never removes it.
CONSULT_UV_BOOTSTRAP="$CONSULT_VENV/.uv"
export UV_PYTHON_DOWNLOADS=never

consult_python_ok() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

# Print the path of a Python 3.12+ interpreter: $CONSULT_PYTHON if set, else
# the first working one among the usual names, pyenv's versions and the usual
# install locations. pyenv shims for versions not selected here fail the test
# run and are skipped.
consult_find_python() {
    if [ -n "${CONSULT_PYTHON:-}" ]; then
        if consult_python_ok "$CONSULT_PYTHON"; then
            command -v "$CONSULT_PYTHON"
            return 0
        fi
        echo "error: CONSULT_PYTHON=$CONSULT_PYTHON is not a working Python 3.12 or newer." >&2
        return 1
    fi
    local candidate found
    local candidates=(python3.12 python3.13 python3.14 python3 python)
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    for found in "$pyenv_root"/versions/3.1[2-9]*/bin/python3 \
        /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] \
        /opt/homebrew/bin/python3.1[2-9]; do
        [ -x "$found" ] && candidates+=("$found")
    done
    for candidate in "${candidates[@]}"; do
        found=$(command -v "$candidate" 2>/dev/null) || continue
        if consult_python_ok "$found"; then
            echo "$found"
            return 0
        fi
    done
    echo "error: Python 3.12 or newer not found (tried ${candidates[*]})." >&2
    echo "       Install it (Debian: apt-get install python3; pyenv: pyenv install 3.12)" >&2
    echo "       or point CONSULT_PYTHON at it." >&2
    return 1
}

# Print a command line (one word per line) running uv, or fail: uv on PATH,
# uv installed in the given Python, or the copy bin/setup bootstrapped.
consult_find_uv() {
    local python="${1:-}"
    if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then
        command -v uv
    elif [ -n "$python" ] && "$python" -m uv --version >/dev/null 2>&1; then
        printf '%s\n' "$python" -m uv
    elif [ -x "$CONSULT_UV_BOOTSTRAP/bin/uv" ]; then
        echo "$CONSULT_UV_BOOTSTRAP/bin/uv"
    else
        return 1
    fi
}

# The lock exported for plain pip, one file per dependency set; bin/lock
# writes them and bin/test checks they match uv.lock.
consult_export_requirements() {
    local which=$1
    shift
    case "$which" in
    dev) "$@" export --frozen --no-emit-project --group dev ;;
    prod) "$@" export --frozen --no-emit-project --no-dev ;;
    esac
}
