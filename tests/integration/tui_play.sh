#!/bin/sh
# Scripted playback: every demo of keymaps/demos plays against a fresh demo fleet and exits 0; a
# statement that does not hold exits 1 with its file, line and the screen; a bad script is refused
# before anything starts (exit 2, every bad line named); a vhs tape plays as is; a key from the
# person pauses the playback and Esc resumes it.
set -u
. "$(dirname "$0")/tui/lib.sh"

STATE="$T_DIR/state"
play() { # SCRIPT [more hcptui options]: plays it on a fresh simulator, the status in T_EXIT
    script=$1; shift
    t_sim_start
    t_start 160 48 "XDG_STATE_HOME=$STATE" -- --play "$script" "$@"
    T_EXIT_TENTHS=600 T_ALLOW_STDERR=1 t_wait_exit # notes and reports go to stderr
    cp "$T_DIR/stderr" "$T_DIR/play.err"
    t_stop
    kill "$T_SIMPID" 2>/dev/null; wait "$T_SIMPID" 2>/dev/null; T_SIMPID=""
    rm -f "$T_DIR/kubeconfig"
}

for demo in "$HCPTUI_ROOT"/keymaps/demos/*.play "$HCPTUI_ROOT"/keymaps/demos/*.tape; do
    play "$demo" --play-speed 10x
    [ "$T_EXIT" = 0 ] || { cat "$T_DIR/play.err"; fail "$(basename "$demo") exited $T_EXIT"; }
    echo "ok: $(basename "$demo")"
done
grep -q "Output is ignored" "$T_DIR/play.err" || fail "the tape's Output was not noted"

# a statement that does not hold: exit 1, the line, the statement, the screen
printf 'wait-for "etcd-degraded"\nexpect "no such cluster"\nquit\n' >"$T_DIR/bad.play"
play "$T_DIR/bad.play"
[ "$T_EXIT" = 1 ] || fail "a failing expect exited $T_EXIT"
grep -q "bad.play:2: expect \"no such cluster\": not on the screen" "$T_DIR/play.err" || fail "no line: $(cat "$T_DIR/play.err")"
grep -q "etcd-degraded" "$T_DIR/play.err" || fail "the screen is not in the report"
printf 'wait-for "nowhere" timeout 1s\n' >"$T_DIR/slow.play"
play "$T_DIR/slow.play"
[ "$T_EXIT" = 1 ] && grep -q "slow.play:1: .*did not appear on the screen in time" "$T_DIR/play.err" ||
    fail "a wait-for past its timeout: exit $T_EXIT, $(cat "$T_DIR/play.err")"

# a bad script: refused before the console starts, every bad line named
printf 'key Nope\nsleep soon\nquit\n' >"$T_DIR/broken.play"
"$HCPTUI" --demo --play "$T_DIR/broken.play" >"$T_DIR/out" 2>&1 && fail "a broken script ran"
rc=$?
[ "$rc" = 2 ] || fail "a broken script exited $rc"
grep -q "broken.play:1:" "$T_DIR/out" && grep -q "broken.play:2:" "$T_DIR/out" || fail "$(cat "$T_DIR/out")"

# a key from the person pauses the playback (the console is theirs), Esc resumes it
printf 'wait-for "etcd-degraded"\nsleep 3s\nkey 3\nwait-for "[3 etcd]"\nquit\n' >"$T_DIR/long.play"
t_sim_start
t_start 160 48 "XDG_STATE_HOME=$STATE" -- --play "$T_DIR/long.play"
t_wait "etcd-degraded"
t_keys 2
t_wait "playback paused"
t_wait "[2 Node pools]"
sleep 3.5
t_expect "[2 Node pools]" # paused: the script's key 3 has not come
t_keys Escape # resumes: the script's key 3, its wait-for and quit follow
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "the resumed playback exited $T_EXIT"
echo "ok: playback"
