#!/bin/sh
# Idle: with nothing changing in the cluster (simulator with --tick 0), the console writes zero
# bytes to the terminal over 10 seconds after its first paint. Counted with tmux pipe-pane, which
# copies everything the program writes to its terminal. Started away from a minute boundary, since
# ages legitimately refresh once a minute.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
sec=$(date +%S); sec=${sec#0}
if [ "$sec" -gt 42 ]; then sleep $((62 - sec)); fi

t_start 120 40
tmux -L "$T_SOCK" pipe-pane -o "cat >> '$T_DIR/bytes'"
t_wait "etcd-degraded"
t_wait "live"
sleep 2 # let the first paint and the watches settle
before=$(wc -c <"$T_DIR/bytes")
[ "$before" -gt 0 ] || fail "pipe-pane recorded nothing: the count would prove nothing"
sleep 10
after=$(wc -c <"$T_DIR/bytes")
[ "$after" -eq "$before" ] || fail "idle console wrote $((after - before)) bytes in 10 s"

# a key still answers at once, and costs bytes
t_keys j
sleep 0.5
moved=$(wc -c <"$T_DIR/bytes")
[ "$moved" -gt "$after" ] || fail "a key press wrote nothing"
t_keys q
t_wait_exit
echo "tui_idle: ok ($before bytes for the first paint, 0 idle)"
