#!/bin/sh
# hcpsim's watch streaming and fault injection, over raw HTTPS (python3): chunked framing, bookmarks
# before timeoutSeconds, watches freed when clients vanish, latency, 429 with Retry-After, 500,
# connection resets, truncated and malformed bodies, dropped and stalled watches, the request log
# format, the admin token context, and the command line (usage errors exit 2).
# Env: HCPSIM (the binary).
set -u
: "${HCPSIM:?HCPSIM must name the hcpsim binary}"
command -v python3 >/dev/null 2>&1 || { echo "python3 not found in PATH"; exit 1; }

root=${HCPTUI_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$root/tests/integration/sim_lib.inc"

# --- the command line
"$HCPSIM" --bogus >"$d/out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -q 'usage: hcpsim' "$d/out" || fail "a bad flag: exit $rc: $(cat "$d/out")"
"$HCPSIM" --kubeconfig "$d/k" --faults 'error=404@1' >"$d/out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -q 'code must be 429' "$d/out" || fail "a bad --faults: exit $rc: $(cat "$d/out")"
"$HCPSIM" --kubeconfig "$d/k" --fleet bogus >"$d/out" 2>&1; rc=$?
[ "$rc" = 2 ] || fail "a bad --fleet: exit $rc: $(cat "$d/out")"
"$HCPSIM" --kubeconfig "$d/k" --listen nowhere >"$d/out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -q 'bad listen address' "$d/out" || fail "a bad --listen: exit $rc: $(cat "$d/out")"
"$HCPSIM" --kubeconfig "$d/k" --seed -1 >"$d/out" 2>&1; rc=$?
[ "$rc" = 2 ] || fail "a bad --seed: exit $rc: $(cat "$d/out")"
"$HCPSIM" --help >"$d/out" 2>&1 || fail "--help failed"
grep -q -- '--request-log FILE' "$d/out" || fail "--help text: $(cat "$d/out")"
[ ! -e "$d/k" ] || fail "a failed start wrote a kubeconfig"
echo "ok: command line"

start_sim --fleet demo --tick 0 --seed 3

kubectl --kubeconfig "$d/admin" --context hcpsim-token get hc -n prod >/dev/null 2>&1 || fail "the hcpsim-token context"
grep -q ' admin-token GET /apis/hypershift.openshift.io/v1beta1/namespaces/prod/hostedclusters' "$d/log" ||
    fail "the request log does not name the admin token"

python3 - "$d" "$pid" <<'EOF' || fail "see above"
import base64, http.client, json, os, re, socket, ssl, sys, threading, time

d, pid = sys.argv[1], int(sys.argv[2])
kc = open(os.path.join(d, "admin")).read()
def field(name):
    return re.search(r"^\s*%s: (\S+)$" % name, kc, re.M).group(1)
server = field("server")
host, port = server[len("https://"):].rsplit(":", 1)
port = int(port)
for name, key in (("ca.pem", "certificate-authority-data"), ("cert.pem", "client-certificate-data"),
                  ("key.pem", "client-key-data")):
    open(os.path.join(d, name), "wb").write(base64.b64decode(field(key)))
ctx = ssl.create_default_context(cafile=os.path.join(d, "ca.pem"))
ctx.load_cert_chain(os.path.join(d, "cert.pem"), os.path.join(d, "key.pem"))

def conn(timeout=20):
    return http.client.HTTPSConnection(host, port, context=ctx, timeout=timeout)

def request(method, path, body=None, ctype="application/json", headers=None):
    c = conn()
    h = {"Accept": "application/json"}
    if body is not None:
        h["Content-Type"] = ctype
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data

def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)

HC = "/apis/hypershift.openshift.io/v1beta1/namespaces/prod/hostedclusters"

# a quiet watch, kept open in the background while the rest runs: its periodic BOOKMARK comes at 10 s
periodic = []
def quiet_watch():
    c = conn(timeout=30)
    t0 = time.monotonic()
    c.request("GET", "/api/v1/namespaces/prod-prod-east/persistentvolumeclaims?watch=1&allowWatchBookmarks=true"
                     "&timeoutSeconds=60")
    r = c.getresponse()
    while time.monotonic() - t0 < 14:
        line = r.readline()
        if not line:
            break
        if json.loads(line)["type"] == "BOOKMARK":
            periodic.append(time.monotonic() - t0)
            break
    c.close()
quiet = threading.Thread(target=quiet_watch, daemon=True)
quiet.start()
def touch(value):
    r, body = request("PATCH", HC + "/prod-east", json.dumps({"metadata": {"labels": {"touch": value}}}),
                      "application/merge-patch+json")
    check(r.status == 200, "patch: %d %s" % (r.status, body[:200]))

def set_faults(spec):
    r, body = request("PUT", "/hcpsim/v1/faults", spec, "text/plain")
    check(r.status == 200, "set faults %r: %d %s" % (spec, r.status, body))

# --- a watch with bookmarks: chunked, one event per line, a BOOKMARK ~2 s before the end, closed at timeoutSeconds
r, body = request("GET", HC)
rv = json.loads(body)["metadata"]["resourceVersion"]
c = conn()
start = time.monotonic()
c.request("GET", HC + "?watch=1&resourceVersion=%s&allowWatchBookmarks=true&timeoutSeconds=4" % rv)
resp = c.getresponse()
check(resp.status == 200, "watch status %d" % resp.status)
check(resp.getheader("Transfer-Encoding") == "chunked", "watch is not chunked: %s" % resp.getheaders())
check(resp.getheader("Content-Type") == "application/json", "watch content type")
threading.Timer(0.3, touch, args=("1",)).start()
events = []
while True:
    line = resp.readline()
    if not line:
        break
    ev = json.loads(line)
    events.append((round(time.monotonic() - start, 2), ev["type"], ev["object"]))
elapsed = time.monotonic() - start
c.close()
types = [t for _, t, _ in events]
check(types[0] == "MODIFIED" and events[0][2]["metadata"]["name"] == "prod-east", "first event: %s" % types)
check("BOOKMARK" in types, "no bookmark: %s" % types)
bm = [e for e in events if e[1] == "BOOKMARK"][0]
check(1.5 <= bm[0] <= 3.5, "bookmark at %.2f s" % bm[0])
check(bm[2] == {"kind": "HostedCluster", "apiVersion": "hypershift.openshift.io/v1beta1",
                "metadata": {"resourceVersion": events[0][2]["metadata"]["resourceVersion"]}}, "bookmark: %s" % bm[2])
check(3.8 <= elapsed <= 6.0, "the watch ended after %.2f s, not at its 4 s timeout" % elapsed)
print("ok: watch with bookmarks and timeoutSeconds", [(t, ty) for t, ty, _ in events], "%.2fs" % elapsed)

# --- clients that vanish free their watches (and their threads)
def threads():
    return len(os.listdir("/proc/%d/task" % pid))
def settled():
    # the thread of a connection closed just before may still be on its way out
    last, same = threads(), 0
    for _ in range(50):
        time.sleep(0.1)
        now = threads()
        same = same + 1 if now == last else 0
        last = now
        if same >= 3:
            break
    return last
base = settled()
socks = []
for i in range(12):
    s = ctx.wrap_socket(socket.create_connection((host, port)), server_hostname=host)
    s.sendall(("GET %s?watch=1 HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\n\r\n" % (HC, host)).encode())
    check(s.recv(100).startswith(b"HTTP/1.1 200"), "watch %d did not start" % i)
    socks.append(s)
check(threads() >= base + 12, "no thread per watch? %d -> %d" % (base, threads()))
for s in socks:
    s.close()
deadline = time.monotonic() + 5
while threads() > base + 1 and time.monotonic() < deadline:
    time.sleep(0.1)
check(threads() <= base + 1, "watch threads leaked: %d before, %d after" % (base, threads()))
print("ok: closed watch connections release their threads")

# --- latency
set_faults("latency=400ms,path=/version")
t = time.monotonic(); r, _ = request("GET", "/version"); dt = time.monotonic() - t
check(r.status == 200 and dt >= 0.39, "latency: %d after %.2f s" % (r.status, dt))
t = time.monotonic(); request("GET", "/api"); dt = time.monotonic() - t
check(dt < 0.35, "latency applied outside its path: %.2f s" % dt)
print("ok: latency, scoped by path")

# --- error codes with their reasons; 429 carries Retry-After
set_faults("error=429@1:retry-after=3")
r, body = request("GET", HC)
st = json.loads(body)
check(r.status == 429 and st["reason"] == "TooManyRequests" and st["code"] == 429, "429: %s" % body)
check(r.getheader("Retry-After") == "3", "Retry-After: %s" % r.getheader("Retry-After"))
check(st.get("details") == {"retryAfterSeconds": 3} and list(st)[-1] == "code", "429 details: %s" % body)
set_faults("error=500@1,only=PATCH")
r, body = request("GET", HC)
check(r.status == 200, "only=PATCH hit a GET")
r, body = request("PATCH", HC + "/prod-east", "{}", "application/merge-patch+json")
check(r.status == 500 and json.loads(body)["reason"] == "InternalError", "500: %s" % body)
set_faults("error=503@0.5")
codes = [request("GET", "/api")[0].status for _ in range(40)]
check(5 <= codes.count(503) <= 35 and codes.count(200) + codes.count(503) == 40, "503@0.5: %s" % codes)
print("ok: 429 with Retry-After, 500 scoped by method, 503 at a share")

# --- resets, truncated and malformed bodies
set_faults("reset@1")
try:
    request("GET", HC)
    check(False, "reset@1 answered")
except (http.client.RemoteDisconnected, ConnectionError, ssl.SSLError):
    pass
set_faults("truncate@1")
try:
    r, body = request("GET", HC)
    check(False, "truncate@1 gave a whole body of %d bytes" % len(body))
except http.client.IncompleteRead as e:
    check(len(e.partial) > 0, "truncate sent nothing")
set_faults("malformed@1")
r, body = request("GET", HC)
check(r.status == 200 and int(r.getheader("Content-Length")) == len(body), "malformed: length")
try:
    json.loads(body)
    check(False, "malformed@1 sent valid JSON")
except ValueError:
    pass
print("ok: reset, truncate, malformed")

# --- dropped and stalled watches
set_faults("drop-watch=1s")
c = conn(); t = time.monotonic()
c.request("GET", HC + "?watch=1&timeoutSeconds=10")
resp = c.getresponse()
try:
    resp.read()
    check(False, "drop-watch ended the stream cleanly")
except (http.client.IncompleteRead, ConnectionError, ssl.SSLError):
    pass
dt = time.monotonic() - t
check(0.8 <= dt <= 4, "dropped after %.2f s" % dt)
c.close()
set_faults("stall-watch@1")
c = conn(); t = time.monotonic()
c.request("GET", HC + "?watch=1&allowWatchBookmarks=true&timeoutSeconds=3")
resp = c.getresponse()
threading.Timer(0.3, touch, args=("2",)).start()
got = resp.read()
dt = time.monotonic() - t
check(got == b"" and 2.8 <= dt <= 5, "stalled watch sent %r, ended after %.2f s" % (got[:80], dt))
c.close()
set_faults("")
print("ok: drop-watch, stall-watch")

# --- the control API: ticks, the current faults, unknown endpoints
r, body = request("POST", "/hcpsim/v1/tick?n=3")
check(r.status == 200 and json.loads(body)["ticks"] == 3, "tick: %d %s" % (r.status, body))
r, body = request("POST", "/hcpsim/v1/tick?n=0")
check(r.status == 400, "tick n=0: %d" % r.status)
set_faults("latency=1ms , reset@0")
r, body = request("GET", "/hcpsim/v1/faults")
check(json.loads(body) == {"spec": "latency=1ms , reset@0"}, "GET faults: %s" % body)
set_faults("")
r, body = request("POST", "/hcpsim/v1/nothing")
check(r.status == 404, "unknown control endpoint: %d" % r.status)
print("ok: control API (tick, faults, 404)")

# --- the periodic bookmark of the quiet watch
quiet.join(16)
check(len(periodic) == 1 and 9.5 <= periodic[0] <= 11.5, "periodic bookmark: %s" % periodic)
print("ok: a quiet watch gets a BOOKMARK every 10 s (first at %.2f s)" % periodic[0])

# --- the request log: one line per request, in the documented format
lines = open(os.path.join(d, "log")).read().splitlines()
pat = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (admin|admin-token|readonly|anonymous) "
                 r"(GET|POST|PUT|PATCH|DELETE) /\S* (\d{3}|reset) \d+$")
bad = [l for l in lines if not pat.match(l)]
check(not bad, "request log lines out of format: %s" % bad[:3])
check(any(" reset " in l for l in lines), "no reset line in the request log")
check(any(re.search(r" admin GET \S+watch=1&timeoutSeconds=10 200 ", l) for l in lines), "no watch line")
print("ok: request log format (%d lines)" % len(lines))
EOF
stop_sim
echo "PASS sim_api_watch"
