#!/bin/bash
# Runs INSIDE a booted test host (`testhost images NAME` passes it to bash via nsenter).
# Builds the stand-in images from the host's own Debian binaries with `podman import` (no public
# registry), then pushes some into the in-host registry (127.0.0.1:5000) for `.image` units, and
# starts the services the DCI server stand-in talks to: PostgreSQL (role and database `dci`, the
# password read from stdin) and Redis.
# Idempotent: an image is rebuilt only when missing or built by another IMAGES_VERSION.
set -euo pipefail
IMAGES_VERSION=6                      # bump when an image's content changes
LABEL=runner.testhost.version
REGISTRY=localhost:5000
PUSH=(sleeper-standin web-standin dci-control-server)
DB_PASSWORD=$(cat)                    # `testhost images` sends it; never on a command line
log() { printf '[%(%H:%M:%S)T] images: %s\n' -1 "$*" >&2; }

addbin() { # DIR BINARY...: copy binaries and the shared libraries they need
  local d=$1 b lib; shift
  for b in "$@"; do
    cp -L --parents "$b" "$d/"
    for lib in $(ldd "$b" 2>/dev/null | awk '/=> \//{print $3}'); do cp -L --parents "$lib" "$d/"; done
  done
  mkdir -p "$d/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$d/lib64/"
}
base() { # DIR: busybox (sh, httpd, sleep, ...) + curl (for HealthCmd=curl ...) + catatonit
  local d=$1 a
  mkdir -p "$d/bin" "$d/etc" "$d/tmp" "$d/run" "$d/var/run" "$d/standin"; chmod 1777 "$d/tmp"
  cp /usr/bin/busybox "$d/bin/busybox"
  for a in sh ash cat echo env grep hostname httpd id ip kill ls nc nslookup ps sed sleep tr wget; do
    ln -s busybox "$d/bin/$a"
  done
  addbin "$d" /usr/bin/curl
  cp /usr/bin/catatonit "$d/bin/catatonit"        # static; PID 1 that forwards SIGTERM and reaps
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$d/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$d/etc/group"
  mkdir -p "$d/root"
}
addlibs() { # DIR FILE...: the shared libraries FILEs (programs or modules) need, into DIR
  local d=$1 f lib; shift
  for f in "$@"; do
    for lib in $(ldd "$f" 2>/dev/null | awk '/=> \//{print $3}'); do
      [ -e "$d$lib" ] || cp -L --parents "$lib" "$d/"
    done
  done
}
exists_current() { # IMAGE: present and built by this script version
  [ "$(podman image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null || true)" = "$IMAGES_VERSION" ]
}
import() { # DIR IMAGE CHANGE...
  local d=$1 img=$2; shift 2
  local changes=() c
  for c in "$@" "LABEL $LABEL=$IMAGES_VERSION" 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'; do
    changes+=(--change "$c")
  done
  tar -C "$d" --numeric-owner -c . | podman import -q "${changes[@]}" - "$img" >/dev/null
  rm -rf "$d"
  log "built $img"
}

# 1) localhost/web-standin: busybox httpd on :5000, ignores its command line; a generic web
#    container for module tests (the DCI API's contract is dci-control-server's, below)
build_api() {
  local d; d=$(mktemp -d); base "$d"
  mkdir -p "$d/www/api/v1" "$d/www/cgi-bin"
  printf '<h1>web stand-in</h1>\n' >"$d/www/index.html"
  printf '{"_meta": {"standin": "web"}}\n' >"$d/www/api/v1/index.html"
  # /cgi-bin/env: the environment PID 1 of the container was started with (what podman passed:
  # Environment=, EnvironmentFile=, image ENV), raw NUL-separated NAME=value records, so values with
  # newlines stay intact.  Not the CGI's own environment (httpd adds request variables there).
  cat >"$d/www/cgi-bin/env" <<'EOF'
#!/bin/sh
printf 'Content-Type: application/octet-stream\r\n\r\n'
cat /proc/1/environ
EOF
  # /cgi-bin/instance: the container name (podman lists it after the hostname in /etc/hosts),
  # falling back to the hostname. Podman rewrites /etc/hosts whenever a container joins or
  # leaves the network (all four instances restart at once): a read in that moment can miss
  # the line, so look again for up to a second before falling back.
  cat >"$d/www/cgi-bin/instance" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
h=$(hostname)
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  n=$(awk -v h="$h" '$1 !~ /^(127\.|::1)/ { for (i = 2; i <= NF; i++) if ($i == h) { for (j = 2; j <= NF; j++) if ($j != h && $j !~ /\./) { print $j; exit } } }' /etc/hosts 2>/dev/null)
  [ -n "$n" ] && break
  sleep 0.05
done
echo "${n:-$h}"
EOF
  cat >"$d/www/cgi-bin/hostname" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n'
hostname
EOF
  chmod 755 "$d"/www/cgi-bin/*
  cat >"$d/standin/entrypoint" <<'EOF'
#!/bin/sh
# web stand-in: the arguments are logged and ignored.
# Like gunicorn, it exits 0 on SIGTERM, so a stopped unit is inactive, not failed.
echo "web-standin: ignoring command line: $*" >&2
/bin/busybox httpd -f -v -p "${STANDIN_PORT:-5000}" -h /www &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT
wait "$pid"
EOF
  chmod 755 "$d/standin/entrypoint"
  ln -s busybox "$d/bin/awk"
  import "$d" localhost/web-standin:latest \
    'ENTRYPOINT ["/bin/catatonit", "--", "/standin/entrypoint"]' 'CMD []' 'EXPOSE 5000' 'WORKDIR /'
}

# 2) localhost/sleeper-standin: sleeps forever whatever the arguments; SIGTERM ends it
build_sidecar() {
  local d; d=$(mktemp -d); base "$d"
  cat >"$d/standin/entrypoint" <<'EOF'
#!/bin/sh
# sleeper stand-in: logs its arguments and sleeps; catatonit (PID 1) forwards SIGTERM, so
# stops are immediate.
echo "sleeper-standin: ignoring command line: $*" >&2
/bin/sleep 2147483647 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT
wait "$pid"
EOF
  chmod 755 "$d/standin/entrypoint"
  import "$d" localhost/sleeper-standin:latest \
    'ENTRYPOINT ["/bin/catatonit", "--", "/standin/entrypoint"]' 'CMD []' 'WORKDIR /'
}

# 3) localhost/haproxy: the host's haproxy, with the contract of the official haproxy image:
#    config at /usr/local/etc/haproxy/haproxy.cfg; arguments starting with '-' are haproxy options
#    (so Exec=-f /usr/local/etc/haproxy/haproxy.cfg -f /usr/local/etc/haproxy/conf.d works);
#    it always runs in master-worker mode in the foreground (-W -db); SIGUSR1 = soft stop,
#    SIGUSR2 to the container = reload.
build_haproxy() {
  local d; d=$(mktemp -d); base "$d"
  addbin "$d" /usr/sbin/haproxy
  mkdir -p "$d/usr/local/sbin" "$d/usr/local/bin" "$d/usr/local/etc/haproxy" "$d/var/lib/haproxy" "$d/run/haproxy"
  ln -s /usr/sbin/haproxy "$d/usr/local/sbin/haproxy"
  printf 'haproxy:x:99:99:haproxy:/var/lib/haproxy:/bin/false\n' >>"$d/etc/passwd"
  printf 'haproxy:x:99:\n' >>"$d/etc/group"
  cat >"$d/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
# first arg is `-f` or `--some-option`: run haproxy with these options
if [ "${1#-}" != "$1" ]; then set -- haproxy "$@"; fi
if [ "$1" = haproxy ]; then shift; set -- /usr/local/sbin/haproxy -W -db "$@"; fi
exec "$@"
EOF
  chmod 755 "$d/usr/local/bin/docker-entrypoint.sh"
  import "$d" localhost/haproxy:latest \
    'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    'CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]' 'STOPSIGNAL SIGUSR1' 'WORKDIR /var/lib/haproxy'
}

# 4) localhost/dci-control-server: the real DCI image's contract (its Dockerfile, entrypoint.sh
#    and gunicorn.conf.py, 2025), on real components: python3 with Debian's gunicorn (gevent
#    workers), psycopg2 and redis-py copied out of this host, and a small WSGI app importable as
#    `dci.app:create_app()`. A wrong environment name, gunicorn flag or command fails here as it
#    would fail in production. What the stand-in adds for tests, under /standin/ (port 5000):
#    received  the environment podman handed the container (before the entrypoint touched it),
#              NUL-separated NAME=value records
#    environ   the environment of the worker serving the request, the same form
#    gunicorn  JSON: the settings gunicorn really runs with, the worker's class, live workers
#    instance  the container's name (dci-api-0, …)
build_server() {
  local d py app; d=$(mktemp -d); base "$d"
  py=$(readlink -f /usr/bin/python3)
  addbin "$d" "$py"
  ln -sf "$(basename "$py")" "$d/usr/bin/python3"
  cp -a --parents "/usr/lib/$(basename "$py")" /usr/lib/python3/dist-packages "$d/"
  addlibs "$d" $(find "$d/usr/lib" -name '*.so*' -type f)
  cp -L --parents /usr/bin/gunicorn "$d/"
  mkdir -p "$d/usr/local/bin" "$d/usr/local/sbin"
  ln -s /usr/bin/gunicorn "$d/usr/local/bin/gunicorn"
  app=$d/opt/dci-control-server
  mkdir -p "$app/bin" "$app/dci"

  cat >"$d/usr/local/sbin/entrypoint.sh" <<'EOF'
#!/bin/sh
# The real entrypoint's steps, in its order: wait for the database, sync the schema (each
# failure ends the container with status 0, as the real one does), replace SSO_PUBLIC_KEY with
# the realm key fetched from SSO_URL/SSO_REALM (empty when that fails, as in the real one),
# then exec the command, so gunicorn (or the sidecar) is PID 1.
mkdir -p /tmp/dci-standin
cat /proc/$$/environ >/tmp/dci-standin/received.environ
if ! python3 bin/dci-wait-for-db; then
  echo "Unable to wait for the DB. Exiting." 1>&2
  exit 0
fi
if ! python3 bin/dci-dbsync; then
  echo "Unable to init the DB. Exiting." 1>&2
  exit 0
fi
pubkey=$(python3 bin/dci-get-pem-ks-key.py ${SSO_URL} ${SSO_REALM})
export SSO_PUBLIC_KEY="$pubkey"
exec "$@"
EOF

  cat >"$app/bin/dci-wait-for-db" <<'EOF'
"""Waits (15 tries, a second apart) until DB_HOST:DB_PORT accepts a TCP connection."""
import os, socket, sys, time
address = (os.environ.get("DB_HOST", "db"), int(os.environ.get("DB_PORT", "5432")))
for remaining in range(14, -1, -1):
    try:
        socket.create_connection(address, timeout=2).close()
        sys.exit(0)
    except OSError as error:
        print("wait for db to start... (%s sec remaining): %s" % (remaining, error), flush=True)
        time.sleep(1)
EOF

  cat >"$app/bin/dci-dbsync" <<'EOF'
"""Logs into PostgreSQL with the DB_* settings and makes sure the stand-in's table exists."""
import sys
sys.path.insert(0, "/opt/dci-control-server")
from dci import settings
try:
    with settings.connect() as connection, connection.cursor() as cursor:
        # instances start together: one schema change at a time, as a migration tool locks
        cursor.execute("SELECT pg_advisory_xact_lock(5000)")
        cursor.execute("CREATE TABLE IF NOT EXISTS dci_standin_starts (at timestamptz DEFAULT now())")
        cursor.execute("INSERT INTO dci_standin_starts DEFAULT VALUES")
except Exception as error:
    print("dbsync: %s" % str(error).strip(), file=sys.stderr)
    sys.exit(1)
EOF

  cat >"$app/bin/dci-get-pem-ks-key.py" <<'EOF'
"""Prints the realm's published key (the first of its JWKS), or fails as the real one does."""
import json, sys, urllib.request
if len(sys.argv) < 3:
    sys.exit("usage: dci-get-pem-ks-key.py SSO_URL REALM")
url = "%s/auth/realms/%s/.well-known/openid-configuration" % (sys.argv[1], sys.argv[2])
configuration = json.load(urllib.request.urlopen(url, timeout=3))
keys = json.load(urllib.request.urlopen(configuration["jwks_uri"], timeout=3))["keys"]
print(json.dumps(keys[0]))
EOF

  cat >"$app/bin/dci-sync-redis-auth" <<'EOF'
#!/usr/bin/python3
"""The auth-tracking sidecar's stand-in: its real options, and a heartbeat in Redis at
REDIS_URL (key dci-standin:auth-tracking:heartbeat) at start and every --interval seconds."""
import argparse, os, signal, socket, sys, time
import redis
# PID 1 of its container: without a handler the kernel ignores SIGTERM and podman kills it
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
parser = argparse.ArgumentParser()
parser.add_argument("--interval", type=int, required=True)
parser.add_argument("--threshold", type=int, required=True)
options = parser.parse_args()
client = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5)
while True:
    client.set("dci-standin:auth-tracking:heartbeat", "%s %d" % (socket.gethostname(), time.time()))
    print("heartbeat sent; threshold %d" % options.threshold, flush=True)
    time.sleep(options.interval)
EOF
  chmod 755 "$d/usr/local/sbin/entrypoint.sh" "$app"/bin/*

  cat >"$d/etc/gunicorn.conf.py" <<'EOF'
# The real image's /etc/gunicorn.conf.py reads these names; command-line flags override them.
import json, os
workers = int(os.getenv("DCI_NB_WORKERS", 1))
worker_connections = int(os.getenv("DCI_GUNICORN_WORKER_CONNECTIONS", 50))
worker_class = "gevent"
if os.getenv("DCI_GUNICORN_MAX_REQUESTS") is not None:
    max_requests = int(os.getenv("DCI_GUNICORN_MAX_REQUESTS"))
if os.getenv("DCI_GUNICORN_MAX_REQUESTS_JITTER") is not None:
    max_requests_jitter = int(os.getenv("DCI_GUNICORN_MAX_REQUESTS_JITTER"))
if os.getenv("DCI_GUNICORN_TIMEOUT") is not None:
    timeout = int(os.getenv("DCI_GUNICORN_TIMEOUT"))
if os.getenv("DCI_GUNICORN_GRACEFUL_TIMEOUT") is not None:
    graceful_timeout = int(os.getenv("DCI_GUNICORN_GRACEFUL_TIMEOUT"))
accesslog = "-"
access_log_format = '%(h)s:%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s'

# Stand-in only: record what gunicorn really runs with, after the command line was applied.
def when_ready(server):
    names = ["workers", "worker_class", "worker_connections", "max_requests",
             "max_requests_jitter", "timeout", "graceful_timeout", "bind", "accesslog"]
    settings = {name: server.cfg.settings[name].value for name in names}
    os.makedirs("/tmp/dci-standin", exist_ok=True)
    with open("/tmp/dci-standin/gunicorn.json", "w") as record:
        json.dump(settings, record)

def post_worker_init(worker):
    os.environ["DCI_STANDIN_WORKER_CLASS"] = type(worker).__name__
EOF

  : >"$app/dci/__init__.py"
  cat >"$app/dci/settings.py" <<'EOF'
import os
import psycopg2

def connect():
    return psycopg2.connect(
        host=os.getenv("DB_HOST", "127.0.0.1"), port=int(os.getenv("DB_PORT", "5432")),
        user=os.getenv("DB_USER", "dci"), password=os.getenv("DB_PASSWORD", "dci"),
        dbname=os.getenv("DB_NAME", "dci"), connect_timeout=3)
EOF
  cat >"$app/dci/app.py" <<'EOF'
"""The DCI control server's stand-in WSGI app: HEAD /api/v1/ is 200 only while a login into
PostgreSQL with the DB_* settings works; /standin/* report what the instance really got."""
import json, os, socket, time
from dci import settings

def _database_problem():
    try:
        with settings.connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.close()
        return None
    except Exception as error:
        return str(error).strip()

def _environ_records(environ):
    return b"".join(b"%s=%s\0" % (k.encode(), v.encode()) for k, v in sorted(environ.items()))

def _instance():
    # podman lists the container's name after its hostname in /etc/hosts, and rewrites the
    # file while containers join the network: look again for a moment before giving up
    host = socket.gethostname()
    for _ in range(20):
        try:
            for line in open("/etc/hosts"):
                fields = line.split()
                if len(fields) > 1 and not fields[0].startswith(("127.", "::1")) and host in fields[1:]:
                    names = [f for f in fields[1:] if f != host and "." not in f]
                    if names:
                        return names[0]
        except OSError:
            pass
        time.sleep(0.05)
    return host

def _live_workers():
    master, count = str(os.getppid()), 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()[1] == master:
                count += 1
        except (OSError, IndexError):
            pass
    return count

def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    body, status, kind = b"", "404 Not Found", "text/plain"
    if path in ("/api/v1", "/api/v1/"):
        problem = _database_problem()
        if problem is None:
            status, kind, body = "200 OK", "application/json", b'{"_status": "OK", "message": "DCI Control Server"}\n'
        else:
            status, body = "503 Service Unavailable", ("database: %s\n" % problem).encode()
    elif path == "/standin/received":
        status, kind = "200 OK", "application/octet-stream"
        body = open("/tmp/dci-standin/received.environ", "rb").read()
    elif path == "/standin/environ":
        status, kind, body = "200 OK", "application/octet-stream", _environ_records(os.environ)
    elif path == "/standin/gunicorn":
        record = json.load(open("/tmp/dci-standin/gunicorn.json"))
        record["worker"] = os.environ.get("DCI_STANDIN_WORKER_CLASS")
        record["live_workers"] = _live_workers()
        status, kind, body = "200 OK", "application/json", json.dumps(record).encode()
    elif path == "/standin/instance":
        status, body = "200 OK", (_instance() + "\n").encode()
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

def create_app():
    return application
EOF
  import "$d" localhost/dci-control-server:latest \
    'ENTRYPOINT ["/usr/local/sbin/entrypoint.sh"]' \
    'CMD ["/usr/local/bin/gunicorn", "-c", "/etc/gunicorn.conf.py", "-b", "0.0.0.0:5000", "dci.app:create_app()"]' \
    'EXPOSE 5000' 'WORKDIR /opt/dci-control-server'
}

# PostgreSQL (role and database dci with the password read above) and Redis, as configured by the rootfs recipe; enabled, so a rebooted host has them.
start_services() {
  systemctl enable --now postgresql.service redis-server.service 2>/dev/null
  local _
  for _ in $(seq 100); do runuser -u postgres -- psql -qAtc 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
  if [ "$(runuser -u postgres -- psql -qAtc "SELECT 1 FROM pg_roles WHERE rolname = 'dci'")" != 1 ]; then
    runuser -u postgres -- psql -qc 'CREATE ROLE dci LOGIN'
    runuser -u postgres -- psql -qc 'CREATE DATABASE dci OWNER dci'
  fi
  # the password travels on stdin, never in a command line
  printf "ALTER ROLE dci PASSWORD '%s';\n" "${DB_PASSWORD//\'/\'\'}" | runuser -u postgres -- psql -q
  for _ in $(seq 100); do [ "$(redis-cli ping 2>/dev/null)" = PONG ] && break; sleep 0.1; done
}

exists_current localhost/web-standin:latest        || build_api
exists_current localhost/sleeper-standin:latest    || build_sidecar
exists_current localhost/haproxy:latest            || build_haproxy
exists_current localhost/dci-control-server:latest || build_server
start_services

# In-host registry for .image units (enabled, so it is back after a reboot of the host).
if ! systemctl is-active -q docker-registry.service || ! systemctl is-enabled -q docker-registry.service; then
  systemctl enable --now docker-registry.service 2>/dev/null
fi
for _ in $(seq 100); do curl -fso /dev/null http://127.0.0.1:5000/v2/ && break; sleep 0.1; done
mkdir -p /var/lib/runner-testhost
for name in "${PUSH[@]}"; do
  id=$(podman image inspect -f '{{.Id}}' "localhost/$name:latest")
  mark=/var/lib/runner-testhost/pushed-$name
  if [ "$(cat "$mark" 2>/dev/null || true)" = "$id" ] &&
     curl -fso /dev/null -I -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
          -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
          "http://127.0.0.1:5000/v2/$name/manifests/latest"; then
    continue
  fi
  podman push -q --tls-verify=false "localhost/$name:latest" "$REGISTRY/$name:latest"
  echo "$id" >"$mark"
  log "pushed $REGISTRY/$name:latest"
done
podman image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^localhost/' | sort
