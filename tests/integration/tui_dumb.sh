#!/bin/sh
# A terminal that cannot move the cursor (TERM=dumb): a clear message and exit status 1, not one
# frozen header line.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
tmux -L "$T_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
    "env TERM=dumb '$HCPTUI' --kubeconfig '$T_DIR/kubeconfig' 2>'$T_DIR/stderr'; echo EXITED \$? >'$T_DIR/exit'; sleep 30"
T_ALLOW_STDERR=1 t_wait_exit
[ "$T_EXIT" = 1 ] || fail "TERM=dumb exited $T_EXIT"
grep -q 'terminal type "dumb" cannot move the cursor: set TERM' "$T_DIR/stderr" || fail "$(cat "$T_DIR/stderr")"
echo "ok: dumb terminal"
