# shellcheck shell=bash
# `testhost selftest`: proves the whole tool end to end.  Sourced by ./testhost; calls ./testhost
# itself ($TH_SELF) for each step so that exit codes and locking are exercised as a user sees them.

# Quadlet demo (also the "good" validator sample): a network, an API template with 2 instances
# published on 18080/18081, a sidecar whose image is pulled by a .image unit from the in-host
# registry, and haproxy (main config + conf.d fragment) on 18000 in front of the instances.
write_demo() { # DIR: DIR/quadlet (units), DIR/etc (-> /etc/rth-demo in the host)
  local d=$1
  mkdir -p "$d/quadlet" "$d/etc/haproxy/conf.d"
  cat >"$d/quadlet/rth-demo.network" <<'EOF'
[Network]
NetworkName=rth-demo
Subnet=10.89.214.0/24
Gateway=10.89.214.1
EOF
  cat >"$d/quadlet/rth-api@.container" <<'EOF'
[Unit]
Description=testhost selftest: API stand-in %i

[Container]
ContainerName=rth-api-%i
Image=localhost/web-standin:latest
Network=rth-demo.network
Environment=INSTANCE=%i
EnvironmentFile=/etc/rth-demo/api.env
Exec=gunicorn --workers 4 --bind 0.0.0.0:5000 dci.app:create_app()
PublishPort=1808%i:5000
HealthCmd=curl --head http://localhost:5000/api/v1/
HealthInterval=30s

[Service]
Restart=always
EOF
  cat >"$d/quadlet/rth-sidecar.image" <<'EOF'
[Image]
Image=localhost:5000/sleeper-standin:latest
TLSVerify=false
EOF
  cat >"$d/quadlet/rth-sidecar.container" <<'EOF'
[Unit]
Description=testhost selftest: sidecar stand-in

[Container]
ContainerName=rth-sidecar
Image=rth-sidecar.image
Network=rth-demo.network
Exec=bin/dci-sync-redis-auth --interval 30 --threshold 10

[Service]
Restart=always
EOF
  cat >"$d/quadlet/rth-haproxy.container" <<'EOF'
[Unit]
Description=testhost selftest: haproxy in front of rth-api@0/1
After=rth-api@0.service rth-api@1.service

[Container]
ContainerName=rth-haproxy
Image=localhost/haproxy:latest
Network=rth-demo.network
Volume=/etc/rth-demo/haproxy:/usr/local/etc/haproxy:ro
Exec=-f /usr/local/etc/haproxy/haproxy.cfg -f /usr/local/etc/haproxy/conf.d
PublishPort=18000:8000

[Service]
Restart=always
EOF
  printf 'GREETING=hello world\nDCI_SETTINGS=a=b;c\n' >"$d/etc/api.env"
  cat >"$d/etc/haproxy/haproxy.cfg" <<'EOF'
global
    log stdout format raw local0

defaults
    mode http
    log global
    timeout connect 5s
    timeout client 30s
    timeout server 30s

# podman's aardvark-dns (from the container's resolv.conf) finds instances at runtime
resolvers podman
    parse-resolv-conf
    hold valid 5s

frontend api
    bind :8000
    default_backend api
EOF
  cat >"$d/etc/haproxy/conf.d/api.cfg" <<'EOF'
backend api
    balance roundrobin
    option httpchk
    http-check send meth HEAD uri /api/v1/
    # init-addr last,none: do not block start-up on names of instances that are not running yet
    default-server check inter 1s fall 2 rise 1 resolvers podman init-addr last,none
    server api0 rth-api-0:5000
    server api1 rth-api-1:5000
EOF
}

write_bad_samples() { # DEMO_DIR OUT_DIR
  local d=$1 o=$2 v
  for v in bad-key bad-ref bad-service; do mkdir -p "$o/$v"; cp "$d/quadlet/"* "$o/$v/"; done
  sed -i 's/^HealthInterval=30s/HealthInterval=30s\nNoSuchKey=yes/' "$o/bad-key/rth-api@.container"
  sed -i 's/^Network=rth-demo.network/Network=missing.network/' "$o/bad-ref/rth-api@.container"
  sed -i 's/^Restart=always/Restart=sometimes/' "$o/bad-service/rth-api@.container"
  mkdir -p "$o/units"
  printf '[Unit]\nDescription=good\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' >"$o/units/good.service"
  printf '[Unit]\nDescription=bad\n\n[Service]\nExecStart=/usr/bin/doesnotexist\nFooBar=1\n' >"$o/units/bad.service"
  sed 's/^    balance roundrobin/    balance roundrobbin/; s/^    server api1 rth-api-1:5000/&  chek/' \
    "$d/etc/haproxy/conf.d/api.cfg" >"$o/bad-backend.cfg"
  sed 's/ resolvers podman init-addr last,none//' "$d/etc/haproxy/conf.d/api.cfg" >"$o/noinitaddr.cfg"
}

cmd_selftest() {
  local name=${RUNNER_TESTHOST_SELFTEST_HOST:-selftest}
  local tmp t0 ts fails=0 times=() ip
  tmp=$(mktemp -d /tmp/runner-testhost-selftest.XXXXXX)
  # shellcheck disable=SC2064  # expand now: $tmp is local
  trap "rm -rf '$tmp'" EXIT
  t0=$(now_ms)
  step_start() { ts=$(now_ms); log "=== $1"; }
  step_end() { times+=("$(printf '%-34s %7sms' "$1" $(( $(now_ms) - ts )))"); }
  check() { # DESCRIPTION CMD... (must succeed)
    local desc=$1; shift
    if "$@"; then log "ok   $desc"; else log "FAIL $desc"; fails=$((fails + 1)); fi
  }
  expect_rc() { # WANT DESCRIPTION CMD...
    local want=$1 desc=$2 got=0; shift 2
    "$@" 2>"$tmp/err" || got=$?
    if [ "$got" = "$want" ]; then
      log "ok   $desc (exit $got)"
    else
      log "FAIL $desc: want exit $want, got $got"; sed 's/^/     | /' "$tmp/err" >&2; fails=$((fails + 1))
    fi
    if [ "$got" = 1 ]; then sed 's/^/     | /' "$tmp/err" | head -4 >&2; fi
  }

  step_start "rootfs"
  "$TH_SELF" rootfs || return 1
  step_end "rootfs (cached after 1st run)"

  step_start "validators"
  write_demo "$tmp/demo"; write_bad_samples "$tmp/demo" "$tmp/bad"
  expect_rc 0 "quadlet: demo units"              "$TH_SELF" validate quadlet "$tmp/demo/quadlet"
  expect_rc 0 "quadlet: demo units (--user)"     "$TH_SELF" validate quadlet --user "$tmp/demo/quadlet"
  expect_rc 1 "quadlet: unknown key"             "$TH_SELF" validate quadlet "$tmp/bad/bad-key"
  expect_rc 1 "quadlet: missing .network"        "$TH_SELF" validate quadlet "$tmp/bad/bad-ref"
  expect_rc 1 "quadlet: bad Restart= value"      "$TH_SELF" validate quadlet "$tmp/bad/bad-service"
  expect_rc 2 "quadlet: no such directory"       "$TH_SELF" validate quadlet "$tmp/nonexistent"
  expect_rc 0 "unit: good.service"               "$TH_SELF" validate unit "$tmp/bad/units/good.service"
  expect_rc 1 "unit: bad.service"                "$TH_SELF" validate unit "$tmp/bad/units/bad.service"
  expect_rc 0 "haproxy: main + conf.d"           "$TH_SELF" validate haproxy "$tmp/demo/etc/haproxy/haproxy.cfg" "$tmp/demo/etc/haproxy/conf.d"
  expect_rc 1 "haproxy: typos in backend"        "$TH_SELF" validate haproxy "$tmp/demo/etc/haproxy/haproxy.cfg" "$tmp/bad/bad-backend.cfg"
  expect_rc 1 "haproxy: unresolvable server"     "$TH_SELF" validate haproxy "$tmp/demo/etc/haproxy/haproxy.cfg" "$tmp/bad/noinitaddr.cfg"
  step_end "validators (11 cases)"

  step_start "up $name"
  "$TH_SELF" up "$name" || return 1
  ip=$("$TH_SELF" ip "$name")
  step_end "up (boot + sshd)"

  step_start "ssh with strict host key checking"
  "$TH_SELF" ssh-config --known-hosts "$tmp/known_hosts" "$name" >"$tmp/ssh_config"
  "$TH_SELF" inventory "$name" >"$tmp/inventory.json"
  check "inventory is JSON with the expected keys" python_or_grep_inventory "$tmp/inventory.json" "$name" "$ip"
  # shellcheck disable=SC2016  # remote commands, expanded on the host
  check "ssh root@$name (StrictHostKeyChecking=yes)" \
    ssh -F "$tmp/ssh_config" "$name" 'test "$(hostname)" = '"$name"' && python3 -c "import sys; sys.exit(0)"'
  check "ssh root@$ip via shared known_hosts" \
    ssh -i "$TH_KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes \
      -o UserKnownHostsFile="$TH_KNOWN_HOSTS" -o GlobalKnownHostsFile=/dev/null "root@$ip" true
  # shellcheck disable=SC2016
  check "ssh deploy@$name + passwordless sudo" \
    ssh -F "$tmp/ssh_config" -l deploy "$name" 'test "$(sudo -n id -u)" = 0'
  # shellcheck disable=SC2016
  check "ssh refuses an unknown host key" \
    bash -c '! ssh -F "$1" -o UserKnownHostsFile=/dev/null "$2" true 2>/dev/null' _ "$tmp/ssh_config" "$name"
  step_end "ssh checks"

  step_start "images in $name"
  "$TH_SELF" images "$name" || return 1
  step_end "images"

  step_start "quadlet demo"
  selftest_demo "$name" "$ip" "$tmp/demo" || fails=$((fails + 1))
  step_end "quadlet demo"

  step_start "down $name"
  "$TH_SELF" down "$name" || fails=$((fails + 1))
  step_end "down"

  echo "--- selftest timings"
  printf '  %s\n' "${times[@]}"
  printf '  %-34s %7sms\n' "total" $(( $(now_ms) - t0 ))
  if [ $fails = 0 ]; then echo "selftest: PASSED"; else echo "selftest: $fails check(s) FAILED"; return 1; fi
}

python_or_grep_inventory() { # FILE NAME IP
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$@" <<'EOF'
import json, sys
f, name, ip = sys.argv[1:]
h = json.load(open(f))["hosts"][name]
assert set(h) == {"address", "user", "port", "identity_file", "known_hosts_file"}, h
assert h["address"] == ip and h["user"] == "root" and h["port"] == 22, h
EOF
  else
    grep -q "\"$2\": {\"address\": \"$3\", \"user\": \"root\", \"port\": 22, \"identity_file\": " "$1"
  fi
}

selftest_demo() { # NAME IP DEMO_DIR (runs in the host via the overlay + testhost exec)
  local n=$1 ip=$2 d=$3 m t fails=0 seen i body units
  m=$(hdir "$n")/merged
  units=(rth-api@0.service rth-api@1.service rth-sidecar.service rth-haproxy.service)
  ok() { log "ok   $*"; }
  bad() { log "FAIL $*"; fails=$((fails + 1)); }

  rm -rf "$m/etc/rth-demo"; mkdir -p "$m/etc/containers/systemd"
  cp -a "$d/etc" "$m/etc/rth-demo"
  cp "$d/quadlet/"* "$m/etc/containers/systemd/"
  t=$(now_ms)
  "$TH_SELF" exec "$n" systemctl daemon-reload
  "$TH_SELF" exec "$n" systemctl start "${units[@]}" || bad "systemctl start ${units[*]}"
  log "demo units started in $(since "$t")"

  # 1) each instance directly, from this machine over the bridge (published ports)
  for i in 0 1; do
    if curl -fsS --max-time 5 -I "http://$ip:1808$i/api/v1/" | head -1 | grep -q ' 200'; then ok "HEAD http://$ip:1808$i/api/v1/ -> 200"; else bad "HEAD /api/v1/ on instance $i"; fi
    body=$(curl -fsS --max-time 5 "http://$ip:1808$i/cgi-bin/instance" || true)
    if [ "$body" = "rth-api-$i" ]; then ok "/cgi-bin/instance on :1808$i -> $body"; else bad "/cgi-bin/instance on :1808$i -> '$body'"; fi
  done
  curl -fsS --max-time 5 "http://$ip:18081/cgi-bin/env" | tr '\0' '\n' >"$d/env.txt" || true
  if grep -qx 'INSTANCE=1' "$d/env.txt" && grep -qx 'GREETING=hello world' "$d/env.txt" && grep -qx 'DCI_SETTINGS=a=b;c' "$d/env.txt"; then
    ok "/cgi-bin/env has Environment= and EnvironmentFile= values"
  else bad "/cgi-bin/env: $(tr '\n' ' ' <"$d/env.txt")"; fi

  # 2) sidecar from the registry via the .image unit
  if "$TH_SELF" exec "$n" systemctl is-active -q rth-sidecar-image.service rth-sidecar.service; then
    ok "sidecar pulled from localhost:5000 by rth-sidecar-image.service and running"
  else bad "sidecar / .image unit not active"; fi

  # 3) haproxy round robin across both instances (it resolves the names through aardvark-dns)
  seen=""
  for (( i = 0; i < 60; i++ )); do
    body=$(curl -fsS --max-time 2 "http://$ip:18000/cgi-bin/instance" 2>/dev/null || true)
    case " $seen " in *" $body "*) ;; *) if [ -n "$body" ]; then seen="$seen $body"; fi ;; esac
    [[ $seen == *rth-api-0* && $seen == *rth-api-1* ]] && break
    sleep 0.25
  done
  if [[ $seen == *rth-api-0* && $seen == *rth-api-1* ]]; then ok "haproxy :18000 round robin ->$seen"; else bad "haproxy round robin saw only '$seen'"; fi

  # 4) health check (HealthCmd=curl ... inside the image) and SIGTERM handling (fast restart)
  if "$TH_SELF" exec "$n" podman healthcheck run rth-api-0 >/dev/null; then ok "podman healthcheck run rth-api-0"; else bad "healthcheck"; fi
  t=$(now_ms); "$TH_SELF" exec "$n" systemctl restart rth-api@1.service rth-sidecar.service
  i=$(( $(now_ms) - t ))
  if (( i < 5000 )); then ok "restart of rth-api@1 + sidecar took ${i}ms"; else bad "restart took ${i}ms (SIGTERM ignored?)"; fi

  # leave the host clean: stop the demo and remove its units
  t=$(now_ms)
  "$TH_SELF" exec "$n" systemctl stop "${units[@]}" rth-sidecar-image.service rth-demo-network.service || bad "stop demo"
  log "demo units stopped in $(since "$t")"
  rm -f "$m/etc/containers/systemd/rth-"*; rm -rf "$m/etc/rth-demo"
  "$TH_SELF" exec "$n" systemctl daemon-reload
  [ $fails = 0 ]
}
