#!/bin/sh
# hcptui --demo: the simulator runs in-process on a loopback port, the console connects with its
# in-memory admin kubeconfig, and the demo fleet moves (the upgrade in flight makes progress).
set -u
. "$(dirname "$0")/tui/lib.sh"

T_NO_KUBECONFIG=1
t_start 160 48 -- --demo
t_wait "upgrade-demo" 15
t_expect "https://127.0.0.1:"
t_expect "etcd-degraded"
t_wait "live"
# the upgrade's own cell, not the whole row: ages and other cells move on every repaint
progress() { t_screen | grep "upgrade-demo " | head -n 1 | grep -oE 'Partial [0-9]+%|Completed'; }
first=$(progress)
case "$first" in "Partial "*) ;; *) fail "the demo upgrade is not in flight: '$first'" ;; esac
deadline=$(( $(date +%s) + 20 ))
while [ "$(progress)" = "$first" ]; do
    [ "$(date +%s)" -ge "$deadline" ] && fail "the demo upgrade did not move in 20 s: $first"
    sleep 0.5
done
# :ctx completes from the in-memory kubeconfig's contexts, and switching works
t_keys :
t_keys c t x Space Tab
t_wait ":ctx hcpsim"
t_wait "hcpsim hcpsim-token"   # the candidates, on the hint bar
t_keys - Tab
t_wait ":ctx hcpsim-token"
t_keys Enter
t_wait "context: hcpsim-token"
t_wait "ctx hcpsim-token"
t_wait "upgrade-demo"
t_keys q
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui --demo exited with $T_EXIT"
echo "tui_demo: ok"
