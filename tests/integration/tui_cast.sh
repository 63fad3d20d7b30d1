#!/bin/sh
# --cast FILE: the session's screen as an asciicast v2 file that a real player reads (asciinema),
# with the console's exit status passed on; --record FILE: the keys typed, which play back.
set -u
. "$(dirname "$0")/tui/lib.sh"
command -v asciinema >/dev/null 2>&1 || fail "asciinema is not installed (tests/deps.sh installs it)"

printf 'wait-for "etcd-degraded"\nwait-idle\nkey 3\nwait-for "quorum held"\nquit\n' >"$T_DIR/tour.play"
tmux -L "$T_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
    "env LANG=C.UTF-8 XDG_STATE_HOME='$T_DIR/state' '$HCPTUI' --demo --cast '$T_DIR/tour.cast' --play '$T_DIR/tour.play' 2>'$T_DIR/stderr'; echo EXITED \$? >'$T_DIR/exit'; sleep 30"
T_EXIT_TENTHS=300 t_wait_exit
[ "$T_EXIT" = 0 ] || fail "the cast session exited $T_EXIT"
t_stop

cast="$T_DIR/tour.cast"
head -n 1 "$cast" | grep -q '^{"version":2,"width":100,"height":30,"timestamp":[0-9]*,"env":{"TERM":"[^"]*","SHELL":"[^"]*"}}$' ||
    fail "header: $(head -n 1 "$cast")"
python3 - "$cast" <<'PY' || fail "the cast's events are not asciicast v2"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
events = [json.loads(l) for l in lines[1:]]
assert events, "no event"
last = 0.0
for t, kind, data in events:
    assert kind in ("o", "r") and isinstance(data, str) and t >= last, (t, kind)
    last = t
out = "".join(d for _, k, d in events if k == "o")
assert "Hosted clusters" in out and "quorum held" in out
PY
grep -qE 'PRIVATE KEY|BEGIN CERTIFICATE|client-key-data|token' "$cast" && fail "credentials in the cast"

# a real player reads it (asciinema cat wants a terminal: run it in one)
tmux -L "$T_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
    "asciinema cat '$cast' >'$T_DIR/played' 2>&1; echo EXITED \$? >'$T_DIR/exit'; sleep 30"
T_ALLOW_STDERR=1 t_wait_exit
[ "$T_EXIT" = 0 ] || { cat "$T_DIR/played"; fail "asciinema cat exited $T_EXIT"; }
grep -q "etcd-degraded" "$T_DIR/played" || fail "asciinema played no fleet"
t_stop

# the console's status comes through the relay: a failing script is 1
printf 'expect "nowhere"\n' >"$T_DIR/fail.play"
tmux -L "$T_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
    "env LANG=C.UTF-8 '$HCPTUI' --demo --cast '$T_DIR/fail.cast' --play '$T_DIR/fail.play' 2>'$T_DIR/stderr'; echo EXITED \$? >'$T_DIR/exit'; sleep 30"
T_ALLOW_STDERR=1 T_EXIT_TENTHS=300 t_wait_exit
[ "$T_EXIT" = 1 ] || fail "a failing script under --cast exited $T_EXIT"
t_stop

# --record: a person's keys become a script that plays back
t_sim_start
t_start 120 30 "XDG_STATE_HOME=$T_DIR/state" -- --record "$T_DIR/rec.play"
t_wait "etcd-degraded"
t_wait "live"
t_keys 2; t_wait "[2 Node pools]"
sleep 0.5 # a pause the recording keeps as a sleep
t_keys : n s Space p r o d Enter; t_wait "namespace: prod"
t_keys 3; t_wait "[3 etcd]"
t_keys q
t_wait_exit
grep -q '^type "ns prod"$' "$T_DIR/rec.play" || { cat "$T_DIR/rec.play"; fail "the prompt's text is not one type"; }
grep -q '^key 3$' "$T_DIR/rec.play" && grep -q '^sleep [0-9]*ms$' "$T_DIR/rec.play" || fail "$(cat "$T_DIR/rec.play")"
t_stop
sed -i 's/^key q$/wait-for "[3 etcd]"/' "$T_DIR/rec.play" # end on a check, then the recorded quit
t_start 120 30 "XDG_STATE_HOME=$T_DIR/state" -- --play "$T_DIR/rec.play" --play-speed 4x
T_EXIT_TENTHS=300 t_wait_exit
[ "$T_EXIT" = 0 ] || fail "the recording did not play back: $T_EXIT"
echo "ok: cast and record"
