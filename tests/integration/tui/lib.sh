# Shared helpers for the tmux screen tests of the console (tests/integration/tui_*.sh).
# Sourced, not run. Needs HCPSIM and HCPTUI (tests/run.sh sets them).
# Each test gets a private tmux server (-L), a private temp dir and a simulator on a free port;
# everything is stopped by the EXIT trap.

: "${HCPSIM:?HCPSIM must point at build/hcpsim}" "${HCPTUI:?HCPTUI must point at build/hcptui}"
command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed"; exit 1; }

T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hcptui-tui.XXXXXX")
T_SOCK="hcptui-test-$$"
T_SIMPID=""

t_cleanup() {
    tmux -L "$T_SOCK" kill-server >/dev/null 2>&1 || true
    if [ -n "$T_SIMPID" ]; then kill "$T_SIMPID" 2>/dev/null; wait "$T_SIMPID" 2>/dev/null; fi
    rm -rf "$T_DIR"
}
trap t_cleanup EXIT

fail() {
    echo "FAIL: $*"
    if tmux -L "$T_SOCK" has-session 2>/dev/null; then
        echo "---- screen ----"
        tmux -L "$T_SOCK" capture-pane -p 2>/dev/null
        echo "----------------"
    fi
    exit 1
}

# Starts the simulator with the demo fleet, frozen (no controller ticks), and waits for its kubeconfig.
t_sim_start() {
    "$HCPSIM" --kubeconfig "$T_DIR/kubeconfig" --fleet demo --tick 0 "$@" >"$T_DIR/sim.log" 2>&1 &
    T_SIMPID=$!
    i=0
    while [ ! -s "$T_DIR/kubeconfig" ]; do
        i=$((i + 1))
        [ $i -gt 100 ] && { cat "$T_DIR/sim.log"; fail "the simulator did not start in 10 s"; }
        kill -0 "$T_SIMPID" 2>/dev/null || { cat "$T_DIR/sim.log"; fail "the simulator exited"; }
        sleep 0.1
    done
}

# t_start COLS ROWS [ENV=VALUE ...] -- [hcptui options]: the console in a fresh tmux session
# (with the simulator's kubeconfig unless T_NO_KUBECONFIG is set).
t_start() {
    cols=$1; rows=$2; shift 2
    envs="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs="$envs $1"; shift; done
    [ "${1:-}" = "--" ] && shift
    args=""
    [ -n "${T_NO_KUBECONFIG:-}" ] || args="--kubeconfig '$T_DIR/kubeconfig'"
    for a in "$@"; do args="$args '$a'"; done
    tmux -L "$T_SOCK" -f /dev/null new-session -d -x "$cols" -y "$rows" \
        "env -u NO_COLOR $envs '$HCPTUI' $args 2>'$T_DIR/stderr'; echo EXITED \$? >'$T_DIR/exit'; sleep 30"
    tmux -L "$T_SOCK" set-option -g status off >/dev/null
}

# t_stop: ends the tmux server of the previous console and waits until it is gone.
t_stop() {
    tmux -L "$T_SOCK" kill-server >/dev/null 2>&1
    i=0
    while tmux -L "$T_SOCK" list-sessions >/dev/null 2>&1; do
        i=$((i + 1)); [ $i -gt 50 ] && fail "the tmux server did not stop"
        sleep 0.1
    done
    sleep 0.2
    rm -f "$T_DIR/exit" "$T_DIR/stderr"
}

t_screen() { tmux -L "$T_SOCK" capture-pane -p; }
t_keys() { tmux -L "$T_SOCK" send-keys "$@"; }
t_resize() { tmux -L "$T_SOCK" resize-window -x "$1" -y "$2"; }

# t_wait TEXT [SECONDS]: until TEXT is on the screen (fixed string).
t_wait() {
    deadline=$(( $(date +%s) + ${2:-10} ))
    while :; do
        t_screen | grep -qF -- "$1" && return 0
        [ "$(date +%s)" -ge "$deadline" ] && fail "\"$1\" did not appear"
        sleep 0.1
    done
}

# t_wait_gone TEXT [SECONDS]: until TEXT is no longer on the screen.
t_wait_gone() {
    deadline=$(( $(date +%s) + ${2:-10} ))
    while :; do
        t_screen | grep -qF -- "$1" || return 0
        [ "$(date +%s)" -ge "$deadline" ] && fail "\"$1\" is still on the screen"
        sleep 0.1
    done
}

t_expect() { t_screen | grep -qF -- "$1" || fail "expected \"$1\" on the screen"; }
t_expect_not() { t_screen | grep -qF -- "$1" && fail "did not expect \"$1\" on the screen"; return 0; }

# The screen fits COLS x ROWS: no line is wider, and there are ROWS lines at most.
t_expect_fits() {
    t_screen >"$T_DIR/fit"
    lines=$(wc -l <"$T_DIR/fit")
    [ "$lines" -le "$2" ] || fail "$lines lines on a $2-line screen"
    widest=$(LC_ALL=C.UTF-8 wc -L <"$T_DIR/fit")
    [ "$widest" -le "$1" ] || fail "a line is $widest cells wide on a $1-column screen"
}

# Waits for the console to exit (at most T_EXIT_TENTHS tenths of a second, default 100); its
# status in T_EXIT.
t_wait_exit() {
    i=0
    while [ ! -s "$T_DIR/exit" ]; do
        i=$((i + 1)); [ $i -gt "${T_EXIT_TENTHS:-100}" ] && fail "hcptui did not exit"
        sleep 0.1
    done
    T_EXIT=$(sed 's/EXITED //' "$T_DIR/exit")
    # anything on stderr (a sanitizer report, a stray message) is a failure
    if [ -z "${T_ALLOW_STDERR:-}" ] && [ -s "$T_DIR/stderr" ]; then cat "$T_DIR/stderr"; fail "hcptui wrote to stderr"; fi
}
