#!/bin/sh
# make bench: measures hcptui against its budgets (docs/benchmarks.md) and against kubectl.
# Usage: tests/bench/run.sh BUILD_DIR
#   1. bench_store: decode, store, panes and key presses in one process (no HTTP)
#   2. the simulator with a 5,000-cluster fleet; hcptui --once (each pane) and kubectl get -o json on
#      the same data, several runs each, medians: wall time, CPU, peak RSS, wire bytes, requests
#   3. idle: the console in tmux for 10 s after its first paint: bytes to the terminal, requests;
#      then a live fleet (a controller tick a second): its CPU, terminal and wire bytes
#   4. key presses end to end: the console on a pty, from the key's byte to its answer's last byte
# Environment: BENCH_RUNS (default 3), BENCH_FLEET (default 5000), BENCH_SEED (default 1).
# Reports budgets as PASS/OVER and exits 0 whatever they say; exits 1 when a measurement failed.
set -u
B=${1:-build}
B=$(cd "$B" && pwd) || exit 1
RUNS=${BENCH_RUNS:-3}
FLEET=${BENCH_FLEET:-5000}
SEED=${BENCH_SEED:-1}
case $FLEET in '' | *[!0-9]*) echo "bench: BENCH_FLEET must be a number of hosted clusters"; exit 2 ;; esac
case $RUNS in '' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a positive number"; exit 2 ;; esac
HCPSIM="$B/hcpsim"
HCPTUI="$B/hcptui"
BENCHRUN="$B/bench/benchrun"
RSS_BUDGET_KB=65536

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hcptui-bench.XXXXXX")
sock="hcptui-bench-$$"
simpid=""
proxypid=""
cleanup() {
    tmux -L "$sock" kill-server >/dev/null 2>&1 || true
    if [ -n "$proxypid" ]; then kill "$proxypid" 2>/dev/null; wait "$proxypid" 2>/dev/null; fi
    if [ -n "$simpid" ]; then kill "$simpid" 2>/dev/null; wait "$simpid" 2>/dev/null; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
    echo "bench: FAILED: $*"
    exit 1
}

for f in "$HCPSIM" "$HCPTUI" "$BENCHRUN" "$B/bench/bench_store" "$B/bench/byteproxy" "$B/bench/keylat"; do
    [ -x "$f" ] || die "$f is missing (run make bench)"
done
command -v kubectl >/dev/null 2>&1 || die "kubectl is not installed (tests/deps.sh)"
command -v tmux >/dev/null 2>&1 || die "tmux is not installed (tests/deps.sh)"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# median of the numbers on standard input (one per line)
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print v[int((NR + 1) / 2)] }'; }
# field LINE NAME: the value of NAME=VALUE in a benchrun line
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# verdict VALUE BUDGET: PASS when VALUE < BUDGET (numbers, decimals allowed)
verdict() { awk -v v="$1" -v b="$2" 'BEGIN { print (v + 0 < b + 0) ? "PASS" : "OVER" }'; }
status_kb() { sed -n "s/^$2:[^0-9]*\([0-9]*\) kB/\1/p" "/proc/$1/status" 2>/dev/null; }
# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the "(comm)")
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

echo "bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -sr), fleet $FLEET (seed $SEED), $RUNS runs per command"
echo "bench: $(kubectl version --client 2>/dev/null | head -n 1)"

# ---- 1. in process ------------------------------------------------------------------------------
echo
echo "== 1. in process: decode, store, panes, key presses (bench_store) =="
"$B/bench/bench_store" --fleet "$FLEET" --seed "$SEED" || die "bench_store failed"

# ---- 2. against the simulator -------------------------------------------------------------------
echo
echo "== 2. hcptui --once against kubectl get -o json, same simulator, same data =="
kc="$tmp/kubeconfig"
reqlog="$tmp/requests.log"
t0=$(now_ms)
"$HCPSIM" --listen 127.0.0.1:0 --kubeconfig "$kc" --fleet "$FLEET" --seed "$SEED" --tick 0 \
    --request-log "$reqlog" >"$tmp/sim.log" 2>&1 &
simpid=$!
i=0
while [ ! -s "$kc" ]; do
    i=$((i + 1))
    [ $i -gt 1200 ] && { cat "$tmp/sim.log"; die "the simulator did not start in 120 s"; }
    kill -0 "$simpid" 2>/dev/null || { cat "$tmp/sim.log"; die "the simulator exited"; }
    sleep 0.1
done
echo "simulator ready in $(($(now_ms) - t0)) ms, resident $(mib "$(status_kb "$simpid" VmRSS)") MiB"

# The byte counter: a relay in front of the simulator, and a kubeconfig that points at it.
simport=$(sed -n 's|^ *server: https://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$kc" | head -n 1)
[ -n "$simport" ] || die "no https://127.0.0.1:PORT server in the simulator's kubeconfig"
"$B/bench/byteproxy" --target "127.0.0.1:$simport" --port-file "$tmp/proxy.port" --stats "$tmp/proxy.stats" \
    >"$tmp/proxy.log" 2>&1 &
proxypid=$!
i=0
while [ ! -s "$tmp/proxy.port" ]; do
    i=$((i + 1)); [ $i -gt 100 ] && { cat "$tmp/proxy.log"; die "byteproxy did not start"; }
    sleep 0.05
done
kcp="$tmp/kubeconfig-counted"
sed "s|https://127\.0\.0\.1:$simport|https://127.0.0.1:$(cat "$tmp/proxy.port")|" "$kc" >"$kcp"
# wire_bytes: bytes the relay carried so far (both ways), once the count stopped moving
wire_bytes() {
    prev=""
    i=0
    while :; do
        cur=$(sed -n 's/^up=\([0-9]*\) down=\([0-9]*\).*/\1 \2/p' "$tmp/proxy.stats" 2>/dev/null)
        [ -n "$cur" ] && [ "$cur" = "$prev" ] && break
        i=$((i + 1)); [ $i -gt 50 ] && break
        prev=$cur
        sleep 0.2
    done
    echo "${cur:-0 0}" | awk '{ print $1 + $2 }'
}

reqs() { wc -l <"$reqlog" | tr -d ' '; }

# measure NAME CHECK COMMAND...: RUNS runs through benchrun; CHECK is "rows" (a table with rows) or
# "items" (a JSON list with items). Medians go to $tmp/NAME.{wall,rss,cpu,reqs,out}.
measure() {
    name=$1; check=$2; shift 2
    : >"$tmp/$name.all"
    r=1
    while [ "$r" -le "$RUNS" ]; do
        before=$(reqs)
        line=$("$BENCHRUN" --out "$tmp/out" -- "$@" 2>"$tmp/err") ||
            { rc=$?; cat "$tmp/err"; die "$name: $* exited with status $rc ($line)"; }
        after=$(reqs)
        # the collections this run asked for (list pages and watches), from the request log
        sed -n "$((before + 1)),${after}p" "$reqlog" | awk '{ print $4 }' | sed 's|?.*||; s|.*/||' | sort -u |
            tr '\n' ' ' >"$tmp/$name.kinds"
        case $check in
        rows) [ "$(wc -l <"$tmp/out")" -gt 1 ] || { cat "$tmp/out" "$tmp/err"; die "$name printed no rows"; } ;;
        items) if ! grep -q '"items"' "$tmp/out" || [ "$(wc -c <"$tmp/out")" -le 1000 ]; then
            head -c 500 "$tmp/out"; cat "$tmp/err"; die "$name printed no list"
        fi ;;
        esac
        echo "$(field "$line" wall_ms) $(field "$line" maxrss_kb)" \
            "$(($(field "$line" user_ms) + $(field "$line" sys_ms))) $((after - before)) $(wc -c <"$tmp/out")" >>"$tmp/$name.all"
        r=$((r + 1))
    done
    col=1
    for what in wall rss cpu reqs out; do
        awk -v c=$col '{ print $c }' "$tmp/$name.all" | median >"$tmp/$name.$what"
        col=$((col + 1))
    done
}

kube_cache="$tmp/kube-cache" # kubectl's discovery cache: fresh for this run, warm after its first call
for pane in clusters nodepools etcd updates; do
    measure "hcptui-$pane" rows env COLUMNS=200 LC_ALL=C.UTF-8 "$HCPTUI" --kubeconfig "$kc" --once --pane "$pane"
done
measure kubectl-hcnp items kubectl --kubeconfig "$kc" --cache-dir "$kube_cache" get hc,np -A -o json
measure kubectl-etcd items kubectl --kubeconfig "$kc" --cache-dir "$kube_cache" get pods -A -l app=etcd -o json

# bytes on the wire: one more run of each, through the relay (the timed runs go straight to the server)
wire() { # NAME COMMAND...
    name=$1; shift
    before=$(wire_bytes)
    "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; die "$name (through the relay) failed"; }
    echo $(($(wire_bytes) - before)) >"$tmp/$name.wire"
}
wire hcptui-clusters env COLUMNS=200 LC_ALL=C.UTF-8 "$HCPTUI" --kubeconfig "$kcp" --once --pane clusters
wire kubectl-hcnp kubectl --kubeconfig "$kcp" --cache-dir "$kube_cache" get hc,np -A -o json
wire kubectl-etcd kubectl --kubeconfig "$kcp" --cache-dir "$kube_cache" get pods -A -l app=etcd -o json

get() { cat "$tmp/$1.$2" 2>/dev/null || echo 0; }
div() { awk -v v="$1" -v d="$2" 'BEGIN { printf "%.2f", v / d }'; }
wire_mb() { [ -f "$tmp/$1.wire" ] && div "$(get "$1" wire)" 1e6 || echo "-"; }
table_line() { printf '%-44s %8s %8s %9s %9s %8s %9s\n' "$@"; }
row() { # label name
    table_line "$1" "$(div "$(get "$2" wall)" 1000)" "$(div "$(get "$2" cpu)" 1000)" "$(mib "$(get "$2" rss)")" \
        "$(wire_mb "$2")" "$(get "$2" reqs)" "$(div "$(get "$2" out)" 1e6)"
}
echo
table_line "command (median of $RUNS runs)" "wall s" "CPU s" "peak MiB" "wire MB" "requests" "output MB"
for pane in clusters nodepools etcd updates; do row "hcptui --once --pane $pane" "hcptui-$pane"; done
row "kubectl get hc,np -A -o json" kubectl-hcnp
row "kubectl get pods -A -l app=etcd -o json" kubectl-etcd
sum() { awk -v a="$(get kubectl-hcnp "$1")" -v b="$(get kubectl-etcd "$1")" 'BEGIN { print a + b }'; }
k_wall=$(sum wall); k_cpu=$(sum cpu); k_wire=$(sum wire); k_reqs=$(sum reqs)
k_rss=$(awk -v a="$(get kubectl-hcnp rss)" -v b="$(get kubectl-etcd rss)" 'BEGIN { print (a > b) ? a : b }')
h_wall=$(get hcptui-clusters wall); h_cpu=$(get hcptui-clusters cpu); h_rss=$(get hcptui-clusters rss)
h_wire=$(get hcptui-clusters wire)
table_line "kubectl, both (sum; peak: the larger)" "$(div "$k_wall" 1000)" "$(div "$k_cpu" 1000)" "$(mib "$k_rss")" \
    "$(div "$k_wire" 1e6)" "$k_reqs" "-"
echo
echo "wire MB: both directions through a counting relay, TLS included (one extra run each)."
echo "what each command fetched (collections in the request log, discovery included):"
for name in hcptui-clusters hcptui-nodepools hcptui-etcd hcptui-updates kubectl-hcnp kubectl-etcd; do
    printf '  %-18s %s\n' "$name" "$(get "$name" kinds)"
done
ratio() { awk -v k="$1" -v h="$2" 'BEGIN { if (h > 0) printf "%.1fx", k / h; else print "n/a" }'; }
line4() { printf '%-58s %14s  %-12s %s\n' "$@"; }
line4 "comparison: clusters pane vs both kubectl commands" "kubectl/hcptui" "budget" "verdict"
line4 "wall time" "$(ratio "$k_wall" "$h_wall")" "> 1x" "$(verdict "$h_wall" "$k_wall")"
line4 "CPU time" "$(ratio "$k_cpu" "$h_cpu")" "-" "-"
line4 "peak RSS" "$(ratio "$k_rss" "$h_rss")" "> 1x" "$(verdict "$h_rss" "$k_rss")"
line4 "bytes on the wire" "$(ratio "$k_wire" "$h_wire")" "-" "-"
line4 "hcptui --once peak RSS (clusters)" "$(mib "$h_rss") MiB" "< 64 MiB" "$(verdict "$h_rss" "$RSS_BUDGET_KB")"

# ---- 3. the console, idle ----------------------------------------------------------------------
echo
echo "== 3. the console in tmux (200x50): idle for 10 s after its first paint, then a live fleet =="
q_start=$(reqs)
t0=$(now_ms)
tmux -L "$sock" -f /dev/null new-session -d -x 200 -y 50 \
    "exec env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color '$HCPTUI' --kubeconfig '$kcp' 2>'$tmp/tui.err'" ||
    die "tmux cannot start a session"
tmux -L "$sock" set-option -g status off >/dev/null
tmux -L "$sock" pipe-pane -o "cat >> '$tmp/bytes'"
tuipid=$(tmux -L "$sock" list-panes -F '#{pane_pid}' | head -n 1)
screen() { tmux -L "$sock" capture-pane -p 2>/dev/null; }
# wait_for TEXT SECONDS: until TEXT is on the screen
wait_for() {
    deadline=$(($(date +%s) + $2))
    until screen | grep -qF -- "$1"; do
        [ "$(date +%s)" -ge "$deadline" ] && { screen; die "\"$1\" did not appear on the console in $2 s"; }
        sleep 0.05
    done
}
wait_for "hc-0" 120
first_rows=$(($(now_ms) - t0))
wait_for " live " 120 # the header says "live" once every kind is listed and watched
all_rows=$(($(now_ms) - t0))
screen | grep -qF "$FLEET/$FLEET" || { screen; die "the console does not show $FLEET/$FLEET clusters when live"; }
echo "start -> first rows on screen: $first_rows ms (the first page of 500 is shown as it arrives)"
echo "start -> every kind listed, \"live\" on screen: $all_rows ms (connect through the relay, list, decode, paint)"
sleep 2 # the watches open and the screen settles
# ages tick once a minute (a legitimate redraw): keep the 10 s window away from the minute boundary
sec=$(date +%S); sec=${sec#0}
if [ "$sec" -gt 46 ]; then sleep $((63 - sec)); fi
rss_idle=$(status_kb "$tuipid" VmRSS)
[ -n "$rss_idle" ] || die "cannot read the console's memory (pid $tuipid)"
b0=$(wc -c <"$tmp/bytes")
[ "$b0" -gt 0 ] || die "pipe-pane recorded nothing: the idle count would prove nothing"
q0=$(reqs)
w0=$(wire_bytes)
c0=$(cpu_ticks "$tuipid")
sleep 10
b1=$(wc -c <"$tmp/bytes")
q1=$(reqs)
w1=$(wire_bytes)
c1=$(cpu_ticks "$tuipid")
line4 "measure" "figure" "budget" "verdict"
line4 "requests to start (lists, pages, watches)" "$((q0 - q_start))" "-" "-"
line4 "bytes to the terminal, first paint" "$b0 B" "-" "-"
line4 "bytes to the terminal, 10 s idle" "$((b1 - b0)) B" "0 B" "$([ "$b1" -eq "$b0" ] && echo PASS || echo OVER)"
line4 "requests in 10 s idle (beyond the open watches)" "$((q1 - q0))" "0" "$([ "$q1" -eq "$q0" ] && echo PASS || echo OVER)"
line4 "bytes on the wire in 10 s idle (watch bookmarks)" "$((w1 - w0)) B" "-" "-"
line4 "CPU time in 10 s idle" "$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f ms", t * 1000 / hz }')" "-" "-"
line4 "resident memory, clusters pane (VmRSS)" "$(mib "$rss_idle") MiB" "< 64 MiB" "$(verdict "$rss_idle" "$RSS_BUDGET_KB")"

# A live fleet: one controller tick a second (the simulator's control API) for 10 s. A tick at this
# scale rewrites hundreds of objects, and the watches carry them to the console.
tick() { kubectl --kubeconfig "$kc" create --raw '/hcpsim/v1/tick?n=1' -f /dev/null 2>"$tmp/err" |
    sed -n 's/.*"resourceVersion":"\([0-9]*\)".*/\1/p'; }
rv0=$(tick) # the first tick after a frozen start is the largest: not measured
[ -n "$rv0" ] || { cat "$tmp/err"; die "the simulator's tick API did not answer"; }
sleep 2
b0=$(wc -c <"$tmp/bytes"); w0=$(wire_bytes); c0=$(cpu_ticks "$tuipid"); l0=$(reqs); t1=$(now_ms)
n=0
while [ $n -lt 10 ]; do
    rv=$(tick); [ -n "$rv" ] || die "a tick failed"
    n=$((n + 1))
    sleep 1
done
sleep 1 # the last events reach the screen
t2=$(now_ms)
b1=$(wc -c <"$tmp/bytes"); w1=$(wire_bytes); c1=$(cpu_ticks "$tuipid")
console_reqs=$(sed -n "$((l0 + 1)),\$p" "$reqlog" | grep -v -e ' /hcpsim/' -e ' /version' -c)
cpu_ms=$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", t * 1000 / hz }')
line4 "live fleet: 10 ticks in $(div $((t2 - t1)) 1000) s, objects written" "$((rv - rv0))" "-" "-"
line4 "  console CPU time (share of one CPU)" "$cpu_ms ms ($(awk -v c="$cpu_ms" -v w=$((t2 - t1)) 'BEGIN { printf "%.0f", 100 * c / w }')%)" "-" "-"
line4 "  bytes to the terminal" "$((b1 - b0)) B" "-" "-"
line4 "  bytes on the wire (watch events)" "$(div $((w1 - w0)) 1e6) MB" "-" "-"
line4 "  console requests (beyond the open watches)" "$console_reqs" "0" "$([ "$console_reqs" -eq 0 ] && echo PASS || echo OVER)"

# every pane once (Tab), then the memory the console holds with all of them open
for _ in 1 2 3 4; do
    tmux -L "$sock" send-keys Tab
    sleep 1
done
rss_all=$(status_kb "$tuipid" VmRSS)
hwm=$(status_kb "$tuipid" VmHWM)
line4 "resident memory, every pane shown once (VmRSS)" "$(mib "$rss_all") MiB" "< 64 MiB" "$(verdict "$rss_all" "$RSS_BUDGET_KB")"
line4 "peak resident memory (VmHWM)" "$(mib "$hwm") MiB" "< 64 MiB" "$(verdict "$hwm" "$RSS_BUDGET_KB")"
tmux -L "$sock" send-keys q
i=0
while kill -0 "$tuipid" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && die "the console did not quit on q"
    sleep 0.1
done
if [ -s "$tmp/tui.err" ]; then cat "$tmp/tui.err"; die "the console wrote to stderr"; fi

# ---- 4. key presses end to end -------------------------------------------------------------------
echo
echo "== 4. key presses end to end: the console on a pty (200x50), key byte in -> last byte of the answer out =="
echo "(Esc waits ESCDELAY, 25 ms, by design: it might start a key sequence)"
env -u NO_COLOR LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color "$B/bench/keylat" --cols 200 --lines 50 \
    --keys 'j*100,k*30,PgDn*20,G,g,G,g,G,g,s*14,Tab*8,/,h,c,-,0,4,2,1,Esc' -- "$HCPTUI" --kubeconfig "$kc" ||
    die "the end-to-end key measure failed"

echo
echo "bench: done (budgets are reported, not enforced: see docs/benchmarks.md)"
