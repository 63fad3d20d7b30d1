#!/bin/sh
# The API server dies after data arrived: the client keeps the data and says why it is stale and when it
# tries again ("stale 5s, connection refused, retrying in 8s"); a server back on the same address is
# reached within the ~30 s reconnect cap (here it has a new CA, so the words turn to TLS).
set -u
. "$HCPTUI_ROOT/tests/integration/client_lib.inc"

start_sim --fleet demo --tick 0
port=$(sed -n 's|.*server: https://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$D/admin.kc" | head -n 1)
[ -n "$port" ] || fail "no port in the kubeconfig: $(cat "$D/admin.kc")"
cp "$D/admin.kc" "$D/first.kc" # the restarted simulator rewrites admin.kc with its new CA

"$CLIENTCHECK" --kubeconfig "$D/first.kc" --watch-timeout 60 --dump "$D/dump" --ready "$D/ready" \
    >"$D/cc.out" 2>"$D/cc.err" &
CC_PID=$!
wait_file "$D/ready" 20 || fail "clientcheck did not finish its first lists: $(cat "$D/cc.err")"
converge "first lists" 20
objects_of "$D/dump" >"$D/before"

# hc_text: the freshness words of the HostedCluster kind in a fresh dump
hc_text() {
    rm -f "$D/dump"
    kill -USR1 "$CC_PID" || fail "clientcheck died: $(cat "$D/cc.err")"
    wait_file "$D/dump" 5 || fail "clientcheck wrote no dump"
    sed -n 's/^# freshness HostedCluster .* text=//p' "$D/dump"
}

# wait_text PATTERN SECONDS: until the HostedCluster words match the extended regex PATTERN
wait_text() {
    end=$(($(date +%s) + $2))
    while :; do
        t=$(hc_text)
        printf '%s\n' "$t" | grep -Eq "$1" && return 0
        [ "$(date +%s)" -lt "$end" ] || fail "freshness never matched /$1/ (last: $t)"
        sleep 0.3
    done
}

kill -KILL "$SIM_PID"
wait "$SIM_PID" 2>/dev/null
SIM_PID=""
wait_text '^stale [0-9]+s, connection refused, retrying( in [0-9]+s)?$' 15
echo "after the kill: $t"
objects_of "$D/dump" >"$D/after"
cmp -s "$D/before" "$D/after" || fail "the last good data was not kept"

# The countdown is at most the cap (30 s, and a second of rounding).
for _ in 1 2 3 4 5 6; do
    t=$(hc_text)
    secs=$(printf '%s\n' "$t" | sed -n 's/.*retrying in \([0-9]*\)s$/\1/p')
    [ -z "$secs" ] || [ "$secs" -le 31 ] || fail "a retry waits longer than the cap: $t"
    sleep 0.5
done

# A server on the same address again (new CA): the next try reaches it within the cap.
rm -f "$D/admin.kc" "$D/ro.kc"
start_sim --fleet demo --tick 0 --listen "127.0.0.1:$port"
wait_text 'TLS: certificate not trusted' 40
echo "after the restart: $t"
kill "$CC_PID"
wait "$CC_PID" || fail "clientcheck exited with an error: $(cat "$D/cc.err")"
CC_PID=""
echo "ok"
