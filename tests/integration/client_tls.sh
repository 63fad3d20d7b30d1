#!/bin/sh
# TLS and connection failures in words, against hcpsim (its certificate names 127.0.0.1, ::1 and
# localhost): tls-server-name is what gets verified, a CA that did not sign the server is named as
# the kubeconfig's, insecure-skip-tls-verify is honoured, and a closed port is "cannot connect".
set -u
. "$HCPTUI_ROOT/tests/integration/client_lib.inc"

start_sim --fleet demo --tick 0
KC="$D/admin.kc"

# expect_fail NAME KUBECONFIG WORDS: --once fails (exit 1) and stderr holds WORDS
expect_fail() {
    if "$CLIENTCHECK" --kubeconfig "$2" --once --dump "$D/$1.dump" 2>"$D/$1.err"; then
        fail "$1: succeeded, should have failed"
    fi
    grep -qF "$3" "$D/$1.err" || fail "$1: expected \"$3\" in: $(cat "$D/$1.err")"
    echo "failed as expected: $1"
}
expect_ok() {
    "$CLIENTCHECK" --kubeconfig "$2" --once --dump "$D/$1.dump" 2>"$D/$1.err" || fail "$1: $(cat "$D/$1.err")"
    grep -q '^hc ' "$D/$1.dump" || fail "$1: no hosted clusters"
    echo "ok: $1"
}

# tls-server-name: the URL keeps the IP address, the certificate is checked against the name.
sed 's/^\(    server: .*\)$/\1\n    tls-server-name: localhost/' "$KC" >"$D/sni-good.kc"
expect_ok "tls-server-name localhost" "$D/sni-good.kc"
sed 's/^\(    server: .*\)$/\1\n    tls-server-name: wrong.example/' "$KC" >"$D/sni-bad.kc"
expect_fail "tls-server-name wrong.example" "$D/sni-bad.kc" "the server's certificate does not name the host"

# A CA that did not sign the server's certificate (the client certificate stands in for one).
cert=$(sed -n 's/^ *client-certificate-data: *//p' "$KC" | head -n 1)
sed "s|^\(    certificate-authority-data: \).*|\1$cert|" "$KC" >"$D/wrong-ca.kc"
expect_fail "wrong CA" "$D/wrong-ca.kc" "the server's certificate is not signed by the CA in kubeconfig $D/wrong-ca.kc"

# insecure-skip-tls-verify: no CA at all, and it still connects.
sed -e '/certificate-authority-data:/d' -e 's/^\(    server: .*\)$/\1\n    insecure-skip-tls-verify: true/' "$KC" >"$D/insecure.kc"
expect_ok "insecure-skip-tls-verify" "$D/insecure.kc"

# A closed port.
port=$(sed -n 's/^ *server: https:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$KC" | head -n 1)
kill "$SIM_PID"
wait "$SIM_PID" 2>/dev/null
SIM_PID=""
expect_fail "closed port" "$KC" "cannot connect to https://127.0.0.1:$port"
echo "ok"
