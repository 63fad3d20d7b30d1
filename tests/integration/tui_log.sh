#!/bin/sh
# --log FILE: requests and freshness changes in words (a server going away and coming back), never
# a credential.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
t_start 120 30 -- --log "$T_DIR/hcptui.log"
t_wait "etcd-degraded"
t_wait "live"
kill "$T_SIMPID"; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
t_wait "stale" 40
t_keys q
t_wait_exit
log="$T_DIR/hcptui.log"
[ "$(stat -c %a "$log")" = 600 ] || fail "the log is $(stat -c %a "$log")"
grep -q "hcptui .* started" "$log" || fail "no start line"
grep -qE "request GET /apis/hypershift.openshift.io/v1beta1/hostedclusters\?[^ ]*: 200" "$log" || fail "no list request: $(head "$log")"
grep -q "hostedclusters: live" "$log" || fail "no live line"
grep -qE "hostedclusters: stale" "$log" || fail "no stale line: $(tail "$log")"
grep -q "exits with status 0" "$log" || fail "no exit line"
grep -qiE "token|password|BEGIN .*(KEY|CERTIFICATE)|client-key" "$log" && fail "credentials in the log"
echo "ok: log"
