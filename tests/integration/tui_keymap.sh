#!/bin/sh
# --keymap FILE: its bindings apply on top of the built-in keymap, a bad line is reported as
# FILE:LINE on the message line (and on stderr after exit) while the other lines still load, and
# `?` lists the keys from the active keymap.
set -u
. "$(dirname "$0")/tui/lib.sh"

t_sim_start
km="$T_DIR/my.keymap"
cat >"$km" <<'KEYS'
# my keys
bind generic x quit
bind generic F99 help
bind generic q none
bind clusters J cursor.down
KEYS

# the user's keymap ($XDG_CONFIG_HOME/hcptui/keymap) loads first, --keymap on top of it
mkdir -p "$T_DIR/cfg/hcptui"
printf 'bind generic W help\nbind generic F98 help\n' >"$T_DIR/cfg/hcptui/keymap"
printf '# a bastion\nread-only = true\n' >"$T_DIR/cfg/hcptui/config" # the config file: read-only without a flag

t_start 220 30 "XDG_CONFIG_HOME=$T_DIR/cfg" -- --keymap "$km" # wide: both paths fit
t_wait "etcd-degraded"
t_wait "keymap (2 problems): " # every problem on the message line, one after the other
t_expect "keymap:2: unknown key \"F98\"; "
t_expect "my.keymap:3: unknown key \"F99\""
t_expect " x quit" # the hint bar shows the key bound now (q is unbound)
t_expect "READ-ONLY"
t_keys '?'
t_wait "Keys of Hosted clusters"
t_expect "J, j, Down"            # the clusters keymap's J comes first, then the generic keys
t_keys Escape
t_wait_gone "Keys of"
t_keys W                          # from the user's keymap
t_wait "Keys of Hosted clusters"
t_keys Escape
t_wait_gone "Keys of"
t_keys q                          # unbound by the file
t_wait "q is not bound here"
t_keys x
T_ALLOW_STDERR=1
t_wait_exit
[ "$T_EXIT" = 0 ] || fail "hcptui exited with $T_EXIT"
grep -q "my.keymap:3: unknown key \"F99\"" "$T_DIR/stderr" || { cat "$T_DIR/stderr"; fail "keymap errors not on stderr after exit"; }
[ "$(wc -l <"$T_DIR/stderr")" -eq 2 ] || { cat "$T_DIR/stderr"; fail "expected exactly the two keymap errors on stderr"; }
echo "tui_keymap: ok"
