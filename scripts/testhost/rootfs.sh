# shellcheck shell=bash
# `testhost rootfs [--force]`: the Debian rootfs shared by the validators and (as overlay lower
# layer) by every booted host.  Sourced by ./testhost.

# systemd/dbus/iproute2 go into debootstrap; the rest is installed with apt inside the chroot.
TH_PKGS_BASE=systemd,systemd-sysv,dbus,iproute2
# gunicorn, gevent, psycopg2 and redis go into the DCI server stand-in image (copied out of the
# host's own files by images-inside.sh); PostgreSQL and Redis are the services it talks to.
TH_PKGS=(podman crun conmon netavark aardvark-dns catatonit haproxy curl openssh-server
         busybox-static iputils-ping procps less nftables docker-registry python3 sudo acl
         gunicorn python3-gevent python3-psycopg2 python3-redis postgresql redis-server)

rootfs_stamp() { # content of the completion stamp: changes whenever the recipe does
  echo "version=$TH_ROOTFS_VERSION suite=$TH_SUITE pkgs=${TH_PKGS[*]}"
}
rootfs_build_id() { cat "$TH_ROOTFS/.runner-testhost-build" 2>/dev/null || echo none; }
rootfs_ready() { [ -f "$TH_ROOTFS/.runner-testhost" ] && [ "$(cat "$TH_ROOTFS/.runner-testhost")" = "$(rootfs_stamp)" ]; }

chroot_mount() { # ROOT: API filesystems for package maintainer scripts
  local r=$1
  mountpoint -q "$r/proc"    || mount -t proc proc "$r/proc"
  mountpoint -q "$r/sys"     || mount -t sysfs -o ro sysfs "$r/sys"
  mountpoint -q "$r/dev"     || mount --bind /dev "$r/dev"
  mountpoint -q "$r/dev/pts" || mount -t devpts -o newinstance,ptmxmode=0666 devpts "$r/dev/pts" 2>/dev/null || true
  mountpoint -q "$r/run"     || mount -t tmpfs -o mode=755 tmpfs "$r/run"
}
chroot_umount() { # ROOT (idempotent)
  local r=$1 m
  for m in run dev/pts dev sys proc; do
    if mountpoint -q "$r/$m" 2>/dev/null; then umount -l "$r/$m"; fi
  done
}
in_chroot() { # ROOT CMD... with a clean environment
  local r=$1; shift
  chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

# Build (or reuse) the rootfs.  Safe to call concurrently: the second caller waits for the lock
# and then finds the stamp.
ensure_rootfs() { # [--force]
  local force=${1:-}
  if [ -z "$force" ] && rootfs_ready; then return 0; fi
  lock_rootfs
  if [ -z "$force" ] && rootfs_ready; then exec 7>&-; return 0; fi
  if [ -d "$TH_ROOTFS" ] && [ -n "$(running_hosts)" ]; then
    die2 "rootfs must be (re)built but hosts are running on the old one: $(running_hosts | tr '\n' ' ')- run 'testhost down' first"
  fi
  build_rootfs
  exec 7>&-
}

build_rootfs() {
  need_cmds debootstrap:debootstrap
  local mirror secmirror t=$TH_ROOTFS.tmp t0 t1 t2
  mirror=$(th_mirror main); secmirror=$(th_mirror security)
  [ -n "$mirror" ] || die2 "no Debian mirror found in /etc/apt/sources.list.d/*.sources or sources.list (set RUNNER_TESTHOST_MIRROR)"
  mkdir -p "$TH_ROOT"
  chroot_umount "$t"; rm -rf --one-file-system "$t"
  trap 'chroot_umount "'"$t"'"' EXIT

  t0=$(now_ms)
  log "rootfs: debootstrap --variant=minbase $TH_SUITE from $mirror (log: $TH_ROOT/debootstrap.log)"
  debootstrap --variant=minbase --include="$TH_PKGS_BASE" "$TH_SUITE" "$t" "$mirror" \
      >"$TH_ROOT/debootstrap.log" 2>&1 || { tail -20 "$TH_ROOT/debootstrap.log" >&2; die2 "debootstrap failed"; }
  t1=$(now_ms); log "rootfs: debootstrap took $((t1 - t0))ms"

  # apt inside: the same mirror (plus updates/security), no docs, never start services
  rm -f "$t/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$mirror" "$TH_SUITE" "$TH_SUITE"
    if [ -n "$secmirror" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$secmirror" "$TH_SUITE"
    fi
  } >"$t/etc/apt/sources.list.d/debian.sources"
  printf '#!/bin/sh\nexit 101\n' >"$t/usr/sbin/policy-rc.d"; chmod 755 "$t/usr/sbin/policy-rc.d"
  cat >"$t/etc/dpkg/dpkg.cfg.d/01-runner-testhost-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  chroot_mount "$t"
  in_chroot "$t" apt-get update -q >"$TH_ROOT/apt.log" 2>&1 || { tail -20 "$TH_ROOT/apt.log" >&2; die2 "apt-get update in rootfs failed"; }
  in_chroot "$t" apt-get install -y -q --no-install-recommends "${TH_PKGS[@]}" >>"$TH_ROOT/apt.log" 2>&1 \
    || { tail -30 "$TH_ROOT/apt.log" >&2; die2 "apt-get install in rootfs failed"; }
  in_chroot "$t" apt-get clean
  rm -rf "$t"/var/lib/apt/lists/*   # -90 MB; hosts have no route to a mirror anyway
  t2=$(now_ms); log "rootfs: packages took $((t2 - t1))ms"

  rootfs_postinstall "$t"

  chroot_umount "$t"; trap - EXIT
  rootfs_stamp >"$t/.runner-testhost"
  echo "$(date +%Y%m%dT%H%M%S)-$RANDOM" >"$t/.runner-testhost-build"   # hosts record it (see prepare_host)
  if [ -d "$TH_ROOTFS" ]; then rm -rf --one-file-system "$TH_ROOTFS"; fi
  mv "$t" "$TH_ROOTFS"
  log "rootfs: ready in $TH_ROOTFS ($(du -sh --one-file-system "$TH_ROOTFS" | cut -f1)), total $(( $(now_ms) - t0 ))ms"
  dpkg-query --admindir="$TH_ROOTFS/var/lib/dpkg" -W -f '  ${Package} ${Version}\n' \
    systemd podman crun netavark haproxy openssh-server python3 sudo docker-registry >&2 || true
}

# Everything that turns the package set into a usable test host (the fixes from the recipe).
rootfs_postinstall() {
  local t=$1
  echo testhost >"$t/etc/hostname"
  : >"$t/etc/machine-id"                       # each host gets its own (written by `up`)
  in_chroot "$t" usermod -p '*' root           # no password login; '*' is not "locked" for sshd

  # non-root user for ansible/become tests: passwordless sudo, same key as root (written by `up`)
  in_chroot "$t" useradd -m -U -s /bin/bash deploy
  in_chroot "$t" usermod -p '*' deploy
  install -d -m 700 "$t/home/deploy/.ssh"; in_chroot "$t" chown deploy:deploy /home/deploy/.ssh
  printf 'deploy ALL=(ALL:ALL) NOPASSWD: ALL\n' >"$t/etc/sudoers.d/deploy"; chmod 440 "$t/etc/sudoers.d/deploy"
  in_chroot "$t" visudo -c -q

  # sshd: keys only; host keys are per host (generated at first boot by the drop-in below,
  # because sshd-keygen's ConditionFirstBoot does not fire and `sshd -t` fails without keys)
  install -d -m 700 "$t/root/.ssh"
  printf 'PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUseDNS no\n' \
    >"$t/etc/ssh/sshd_config.d/runner-testhost.conf"
  rm -f "$t"/etc/ssh/ssh_host_*
  mkdir -p "$t/etc/systemd/system/ssh.service.d"
  printf '[Service]\nExecStartPre=\nExecStartPre=/usr/bin/ssh-keygen -A\nExecStartPre=/usr/sbin/sshd -t\n' \
    >"$t/etc/systemd/system/ssh.service.d/runner-testhost-hostkeys.conf"

  # network: systemd-networkd configures host0 from the static file `up` writes
  in_chroot "$t" systemctl enable systemd-networkd.service >/dev/null 2>&1
  local u
  for u in systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
           e2scrub_reap.service fstrim.timer; do
    in_chroot "$t" systemctl mask "$u" >/dev/null 2>&1 || true
  done
  # never query the machine's resolver (debootstrap copied it in); aardvark-dns still serves
  # container names inside podman networks
  printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$t/etc/hosts"
  printf '# runner-testhost: no upstream DNS\nnameserver 127.0.0.1\n' >"$t/etc/resolv.conf"

  # podman: this machine's cgroup2 has no controllers, so no pids limit can be set
  mkdir -p "$t/etc/containers/registries.conf.d"
  printf '[containers]\n# runner-testhost: cgroup2 without controllers -> pids.max cannot be set\npids_limit = 0\n' \
    >"$t/etc/containers/containers.conf"
  # the in-host registry speaks plain http
  printf '[[registry]]\nlocation = "localhost:5000"\ninsecure = true\n' \
    >"$t/etc/containers/registries.conf.d/50-runner-testhost-local.conf"

  # local registry for `.image` units (they always pull): loopback only, no auth (the packaged
  # config uses htpasswd).  Started and enabled by `testhost images`.
  cat >"$t/etc/docker/registry/config.yml" <<'EOF'
# runner-testhost: local unauthenticated registry on loopback (for .image quadlet units)
version: 0.1
log:
  level: warn
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: /var/lib/docker-registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
EOF
  # .image services run after network-online.target: have the registry listening before it, so a
  # rebooted host can pull at boot
  mkdir -p "$t/etc/systemd/system/docker-registry.service.d"
  cat >"$t/etc/systemd/system/docker-registry.service.d/runner-testhost.conf" <<'EOF'
[Unit]
Before=network-online.target

[Service]
ExecStartPost=/bin/sh -c 'for i in $(seq 100); do curl -fso /dev/null http://127.0.0.1:5000/v2/ && exit 0; sleep 0.1; done; exit 1'
EOF
  # Debian's haproxy.service has the same name as the unit a quadlet haproxy.container generates:
  # disable it (do NOT mask: a mask would hide the generated unit too)
  in_chroot "$t" systemctl disable haproxy.service docker-registry.service >/dev/null 2>&1

  # PostgreSQL and Redis for the DCI server stand-in: reachable from containers (which reach the
  # host as host.containers.internal), password logins only; started by `testhost images`, so
  # hosts that never deploy the API do not pay for them.
  local pgconf
  pgconf=$(find "$t/etc/postgresql" -name postgresql.conf | head -1)
  [ -n "$pgconf" ] || die2 "rootfs: no postgresql.conf"
  printf "\n# runner-testhost\nlisten_addresses = '*'\n" >>"$pgconf"
  printf 'host all all 0.0.0.0/0 scram-sha-256\n' >>"$(dirname "$pgconf")/pg_hba.conf"
  sed -i -e 's/^bind .*/bind 0.0.0.0/' -e 's/^protected-mode .*/protected-mode no/' "$t/etc/redis/redis.conf"
  in_chroot "$t" systemctl disable postgresql.service redis-server.service >/dev/null 2>&1
  rm -f "$t/usr/sbin/policy-rc.d"
}
