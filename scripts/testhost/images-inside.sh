#!/bin/bash
# Runs INSIDE a booted test host (`testhost images NAME` passes it to bash via nsenter).
# Builds the stand-in images from the host's own Debian binaries with `podman import` (no public
# registry), then pushes some into the in-host registry (127.0.0.1:5000) for `.image` units.
# Idempotent: an image is rebuilt only when missing or built by another IMAGES_VERSION.
set -euo pipefail
IMAGES_VERSION=3                      # bump when an image's content changes
LABEL=runner.testhost.version
REGISTRY=localhost:5000
PUSH=(dci-api-sidecar-standin dci-api-standin)
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

# 1) localhost/dci-api-standin: busybox httpd on :5000, ignores its command line (gunicorn ...)
build_api() {
  local d; d=$(mktemp -d); base "$d"
  mkdir -p "$d/www/api/v1" "$d/www/cgi-bin"
  printf '<h1>dci-api stand-in</h1>\n' >"$d/www/index.html"
  printf '{"_meta": {"standin": "dci-api"}}\n' >"$d/www/api/v1/index.html"
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
# dci-api stand-in: the arguments (e.g. "gunicorn --workers 4 ...") are logged and ignored.
# Like gunicorn, it exits 0 on SIGTERM, so a stopped unit is inactive, not failed.
echo "dci-api-standin: ignoring command line: $*" >&2
/bin/busybox httpd -f -v -p "${STANDIN_PORT:-5000}" -h /www &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT
wait "$pid"
EOF
  chmod 755 "$d/standin/entrypoint"
  ln -s busybox "$d/bin/awk"
  import "$d" localhost/dci-api-standin:latest \
    'ENTRYPOINT ["/bin/catatonit", "--", "/standin/entrypoint"]' 'CMD []' 'EXPOSE 5000' 'WORKDIR /'
}

# 2) localhost/dci-api-sidecar-standin: sleeps forever whatever the arguments; SIGTERM ends it
build_sidecar() {
  local d; d=$(mktemp -d); base "$d"
  cat >"$d/standin/entrypoint" <<'EOF'
#!/bin/sh
# dci-api sidecar stand-in (e.g. "bin/dci-sync-redis-auth --interval 30 --threshold 10"):
# logs its arguments and sleeps; catatonit (PID 1) forwards SIGTERM, so stops are immediate.
echo "dci-api-sidecar-standin: ignoring command line: $*" >&2
/bin/sleep 2147483647 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit 0' TERM INT
wait "$pid"
EOF
  chmod 755 "$d/standin/entrypoint"
  import "$d" localhost/dci-api-sidecar-standin:latest \
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

exists_current localhost/dci-api-standin:latest         || build_api
exists_current localhost/dci-api-sidecar-standin:latest || build_sidecar
exists_current localhost/haproxy:latest                 || build_haproxy

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
