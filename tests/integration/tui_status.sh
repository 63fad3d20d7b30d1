#!/bin/sh
# What the console says about its data: the tab count counts objects (not etcd's heading rows),
# --refresh says it polls, and a dead API server is named in full words at 80x24 while the last
# data stays on screen.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
tabline() { t_screen | sed -n 2p; }

# The etcd pane: 22 pods under 8 control-plane headings; the count is of pods.
t_start 120 30
t_wait "etcd-degraded"
t_keys 3
t_wait "[3 etcd]"
t_wait "quorum held"
tabline | grep -qE " 22/22( |$)" || { tabline; fail "the etcd count is not 22/22 (pods only)"; }
t_keys / e t c d - 0 Enter
t_wait "filter: etcd-0"
tabline | grep -qE " 8/22( |$)" || { tabline; fail "the filtered etcd count is not 8/22"; }
t_keys Escape
t_wait_gone "filter:"

# The request counters: a quiet count on the hint bar, the table with i (and :stats), q closes it.
t_screen | sed -n 29p | grep -qE "[0-9]+ req *$" || { t_screen | sed -n 29p; fail "no request count on the hint bar"; }
t_keys i
t_wait "REQUEST KIND"
for w in "hostedclusters list" "nodepools watch" "all kinds" "REQUESTS" "ERRORS" "RETRIES" "BYTES IN" \
    "BYTES OUT" "MEAN LAT" "MAX LAT" "FRESHNESS" " Requests "; do
    t_expect "$w"
done
t_screen | grep "hostedclusters list" | grep -qE " 1 +0 +0 .* live *$" ||
    { t_screen; fail "the hostedclusters list row does not read 1 request, 0 errors, 0 retries, live"; }
t_keys q
t_wait_gone "REQUEST KIND"
t_expect "[3 etcd]"
t_keys : s t a t s Enter
t_wait "REQUEST KIND"
t_keys Escape
t_wait_gone "REQUEST KIND"
t_keys q
t_wait_exit
t_stop

# --refresh N: the header says it polls, not that it is live.
t_start 120 30 -- --refresh 5
t_wait "etcd-degraded"
t_wait "polling 5s"
t_screen | head -n 1 | grep -qE "· live( |$)" && fail "the header says live while polling"
t_keys q
t_wait_exit
t_stop

# The API server dies after data arrived, at 80x24: rows stay, and the words are shown in full.
t_start 80 24
t_wait "etcd-degraded"
t_wait "live"
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
t_wait "stale" 20
t_expect "etcd-degraded"
msg=$(t_screen | sed -n 24p)
case "$msg" in
*"stale "*) ;;
*) fail "the message line does not say the data is stale: '$msg'" ;;
esac
case "$msg" in *"…"|*"~") fail "the stale words are cut: '$msg'" ;; esac
# the screen repaints every second (the stale words) and retries fail, yet the hint bar's count
# stays put: it moves by itself at most once a minute
count() { t_screen | sed -n 23p | grep -oE '[0-9.]+[kMG]? (req|err)( [0-9.]+[kMG]? err)? *$'; }
before=$(count)
[ -n "$before" ] || { t_screen | sed -n 23p; fail "no request count on the hint bar"; }
sleep 6
after=$(count)
[ "$after" = "$before" ] || fail "the hint bar's count ticked along: '$before' then '$after'"
# the statistics say which kinds are stale, and the failed requests count as errors
t_keys i
t_wait "REQUEST KIND"
t_wait "stale"
t_wait " err"
t_keys Escape
t_wait_gone "REQUEST KIND"
t_keys q
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
echo "tui_status: ok"
