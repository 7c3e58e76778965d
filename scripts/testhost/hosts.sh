# shellcheck shell=bash
# Booted test hosts: systemd-nspawn -b of the rootfs (systemd as PID 1), one overlay per host,
# on a private bridge.  Sourced by ./testhost.
#
# Layout of $TH_HOSTS/NAME: upper/ work/ merged/ (overlay over the shared rootfs), containers/
# (bound to /var/lib/containers: podman's native overlay driver cannot sit on an overlayfs upper),
# nspawn.pid, nspawn.log, known_hosts, rootfs-build, boot-ms.

hdir() { echo "$TH_HOSTS/$1"; }

# --- process discovery ------------------------------------------------------------------
nspawn_pid() { # NAME -> pid of a live systemd-nspawn for NAME (checks the cmdline: pids get reused)
  local p; p=$(cat "$(hdir "$1")/nspawn.pid" 2>/dev/null) || return 1
  [ -n "$p" ] && [ -r "/proc/$p/cmdline" ] || return 1
  tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | grep -qx -- "--machine=$1" || return 1
  echo "$p"
}
leader() { # NAME -> pid of the host's PID 1 (systemd), the child of nspawn
  local p l; p=$(nspawn_pid "$1") || return 1
  l=$(pgrep -P "$p" | head -1) || return 1
  [ -n "$l" ] && echo "$l"
}
is_running() { leader "$1" >/dev/null 2>&1; }
running_hosts() { local d; for d in "$TH_HOSTS"/*/; do [ -d "$d" ] || continue; d=${d%/}; if is_running "${d##*/}"; then echo "${d##*/}"; fi; done; }
all_hosts() { local d; for d in "$TH_HOSTS"/*/; do [ -d "$d" ] || continue; d=${d%/}; echo "${d##*/}"; done; }

# Run argv inside the host's namespaces, clean environment, lock fds closed.
hexec() { # NAME CMD...
  local n=$1 l; shift
  l=$(leader "$n") || die "host $n is not running"
  nsenter -t "$l" -a -- /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" "$@" 7>&- 8>&- 9>&-
}

# --- IP allocation ------------------------------------------------------------------------
# Deterministic: hash of the name into the subnet, linear probing on collisions; remembered in
# $TH_IPS so a host keeps its address.  Caller holds the global lock.
host_ip_locked() { # NAME
  local n=$1 ip h size cand i
  ip=$(awk -v n="$n" '$1 == n { print $2; exit }' "$TH_IPS" 2>/dev/null || true)
  if [ -n "$ip" ]; then echo "$ip"; return; fi
  subnet_parse
  size=$(( TH_LAST - TH_FIRST + 1 ))
  h=$(printf '%s' "$n" | cksum | cut -d' ' -f1)
  for (( i = 0; i < size; i++ )); do
    cand=$(int2ip $(( TH_FIRST + (h + i) % size )))
    if ! awk -v ip="$cand" '$2 == ip { found = 1 } END { exit !found }' "$TH_IPS" 2>/dev/null; then
      echo "$n $cand" >>"$TH_IPS"; echo "$cand"; return
    fi
  done
  die "no free address left in $TH_SUBNET"
}
host_ip() { lock_global; host_ip_locked "$1"; unlock_global; }

# --- shared network + key -------------------------------------------------------------------
ensure_bridge_locked() {
  subnet_parse
  if ! ip link show "$TH_BRIDGE" >/dev/null 2>&1; then
    # refuse a subnet that another interface already uses
    local other
    other=$(ip -4 -o addr show | awk -v br="$TH_BRIDGE" '$2 != br {print $2, $4}' | while read -r dev cidr; do
      local a=${cidr%/*} p=${cidr#*/} m
      m=$(( p < TH_PREFIX ? p : TH_PREFIX )); m=$(( (0xffffffff << (32 - m)) & 0xffffffff ))
      if (( ($(ip2int "$a") & m) == (TH_NET_INT & m) )); then echo "$dev"; fi
    done)
    [ -z "$other" ] || die2 "subnet $TH_SUBNET overlaps with interface(s) $other (set RUNNER_TESTHOST_SUBNET)"
    ip link add "$TH_BRIDGE" type bridge
    # no IPv6 chatter on the bridge; hosts only use the static IPv4 below
    if [ -w "/proc/sys/net/ipv6/conf/$TH_BRIDGE/disable_ipv6" ]; then echo 1 >"/proc/sys/net/ipv6/conf/$TH_BRIDGE/disable_ipv6"; fi
    log "bridge $TH_BRIDGE $TH_GW/$TH_PREFIX created (no forwarding, no NAT)"
  fi
  if ! ip -4 -o addr show dev "$TH_BRIDGE" | grep -q " $TH_GW/$TH_PREFIX "; then
    ip addr add "$TH_GW/$TH_PREFIX" dev "$TH_BRIDGE"
  fi
  ip link set "$TH_BRIDGE" up
}
ensure_key_locked() {
  if [ ! -f "$TH_KEY" ]; then
    mkdir -p "$TH_SSH"; chmod 700 "$TH_SSH"
    ssh-keygen -q -t ed25519 -N '' -C runner-testhost -f "$TH_KEY"
  fi
}
# All hosts' known_hosts lines in one file (atomic replace).  Caller holds the global lock.
regen_known_hosts_locked() {
  mkdir -p "$TH_SSH"
  local tmp=$TH_KNOWN_HOSTS.tmp.$$ f
  : >"$tmp"
  for f in "$TH_HOSTS"/*/known_hosts; do if [ -f "$f" ]; then cat "$f" >>"$tmp"; fi; done
  mv -f "$tmp" "$TH_KNOWN_HOSTS"
}

# --- per-host overlay + personalisation -------------------------------------------------------
prepare_host() { # NAME IP  (host not running; idempotent)
  local n=$1 ip=$2 h m uidgid; h=$(hdir "$n"); m=$h/merged
  # a host made from an older rootfs recipe is recreated
  if [ -f "$h/rootfs-build" ] && [ "$(cat "$h/rootfs-build")" != "$(rootfs_build_id)" ]; then
    log "$n: made from an older rootfs build, recreating"; remove_host_dir "$n"
  fi
  mkdir -p "$h"/{upper,work,merged,containers}
  rootfs_build_id >"$h/rootfs-build"
  if ! mountpoint -q "$m"; then
    mount -t overlay "rth-$n" -o "lowerdir=$TH_ROOTFS,upperdir=$h/upper,workdir=$h/work" "$m"
  fi
  echo "$n" >"$m/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 %s\n::1 localhost ip6-localhost ip6-loopback\n' "$n" >"$m/etc/hosts"
  printf '# runner-testhost: no upstream DNS\nnameserver 127.0.0.1\n' >"$m/etc/resolv.conf"
  if [ ! -s "$m/etc/machine-id" ]; then tr -d '-' </proc/sys/kernel/random/uuid >"$m/etc/machine-id"; fi
  # static address, no gateway: the host reaches the bridge subnet and nothing else
  subnet_parse
  mkdir -p "$m/etc/systemd/network"
  printf '[Match]\nName=host0\n\n[Network]\nAddress=%s/%s\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n' \
    "$ip" "$TH_PREFIX" >"$m/etc/systemd/network/10-host0.network"
  install -d -m 700 "$m/root/.ssh"
  install -m 600 "$TH_KEY.pub" "$m/root/.ssh/authorized_keys"
  uidgid=$(awk -F: '$1 == "deploy" { print $3 ":" $4 }' "$m/etc/passwd")
  install -d -m 700 -o "${uidgid%:*}" -g "${uidgid#*:}" "$m/home/deploy/.ssh"
  install -m 600 -o "${uidgid%:*}" -g "${uidgid#*:}" "$TH_KEY.pub" "$m/home/deploy/.ssh/authorized_keys"
}

launch_host() { # NAME: start nspawn in the background (returns at once)
  local n=$1 h cg cgs=() ; h=$(hdir "$n")
  mapfile -t cgs < <(cgroup_roots)
  for cg in "${cgs[@]}"; do mkdir -p "$cg/runner-testhost-$n"; done
  # The launcher joins the host's own cgroups, then execs nspawn:
  #  --register=no --keep-unit: no systemd on this machine to register with / create a scope
  #  SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1: pure cgroup2 inside (the hybrid v1 controllers are
  #    read-only in the container and make crun fail)
  #  --system-call-filter: crun needs keyctl and bpf (device filter on cgroup2)
  #  --bind .../containers: real directory for podman's native overlay driver (no /dev/fuse)
  # shellcheck disable=SC2016
  setsid bash -c '
      n=$1; shift
      while [ "$1" != -- ]; do echo $$ >"$1/runner-testhost-$n/cgroup.procs"; shift; done; shift
      exec env SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 systemd-nspawn "$@"' launcher "$n" "${cgs[@]}" -- \
    --directory="$h/merged" --machine="$n" --boot \
    --register=no --keep-unit --console=pipe --link-journal=no --resolv-conf=off --timezone=off \
    --network-bridge="$TH_BRIDGE" \
    --bind="$h/containers:/var/lib/containers" \
    --system-call-filter='@keyring bpf' \
    </dev/null >"$h/nspawn.log" 2>&1 7>&- 8>&- 9>&- &
  echo $! >"$h/nspawn.pid"
}

ssh_banner() { # IP -> success when sshd answers with its banner
  # shellcheck disable=SC2016
  [ "$(timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/22" && head -c 4 <&3' _ "$1" 2>/dev/null)" = "SSH-" ]
}

wait_ready() { # NAME IP T0: systemd finished booting, sshd answers; then record the host keys
  local n=$1 ip=$2 t0=$3 h l="" state="" i; h=$(hdir "$n")
  for (( i = 0; i < 100; i++ )); do l=$(leader "$n" || true); [ -n "$l" ] && break; sleep 0.1; done
  [ -n "$l" ] || { tail -20 "$h/nspawn.log" >&2; die "$n: systemd-nspawn did not start (log: $h/nspawn.log)"; }
  for (( i = 0; i < 600; i++ )); do
    # Asked again each time: the first child nspawn forks may be an intermediate process that
    # exits once the container's PID 1 runs; entering it would fail until the deadline.
    l=$(leader "$n" || true)
    state=$(timeout 60 nsenter -t "$l" -a systemctl is-system-running --wait 2>/dev/null 7>&- 8>&- 9>&- || true)
    case $state in running|degraded) break ;; esac
    is_running "$n" || { tail -20 "$h/nspawn.log" >&2; die "$n: exited during boot (log: $h/nspawn.log)"; }
    sleep 0.1
  done
  case $state in running|degraded) ;; *) die "$n: boot did not finish (state '$state')" ;; esac
  local ssh_ok=""
  for (( i = 0; i < 300; i++ )); do if ssh_banner "$ip"; then ssh_ok=1; break; fi; sleep 0.1; done
  [ -n "$ssh_ok" ] || die "$n: sshd does not answer on $ip:22"
  echo "$(( $(now_ms) - t0 ))" >"$h/boot-ms"
  if [ "$state" = degraded ]; then
    log "$n: WARNING: degraded: $(hexec "$n" systemctl --failed --no-legend --plain | awk '{print $1}' | tr '\n' ' ')"
  fi
  record_host_keys "$n" "$ip"
}

record_host_keys() { # NAME IP: the host's real sshd keys (generated at its first boot) as known_hosts
  local n=$1 ip=$2 h f; h=$(hdir "$n")
  : >"$h/known_hosts.tmp"
  for f in "$h"/merged/etc/ssh/ssh_host_*_key.pub; do
    [ -f "$f" ] && awk -v ip="$ip" '{ print ip, $1, $2 }' "$f" >>"$h/known_hosts.tmp"
  done
  [ -s "$h/known_hosts.tmp" ] || die "$n: no ssh host keys found in /etc/ssh"
  mv -f "$h/known_hosts.tmp" "$h/known_hosts"
  lock_global; regen_known_hosts_locked; unlock_global
}

up_one() { # NAME (runs in its own subshell)
  local n=$1 h ip t0; h=$(hdir "$n")
  lock_host "$n"
  t0=$(now_ms)
  lock_global; ip=$(host_ip_locked "$n"); unlock_global
  if is_running "$n"; then
    wait_ready "$n" "$ip" "$(now_ms)"     # usually instant; covers a concurrent, unfinished boot
    log "$n: already running ($ip)"
    return 0
  fi
  stop_host "$n" quiet                     # leftovers of a crashed run (mounts, cgroups)
  prepare_host "$n" "$ip"
  launch_host "$n"
  wait_ready "$n" "$ip" "$t0"
  log "$n: up at $ip in $(since "$t0")"
}

cmd_up() { # NAME...
  [ $# -ge 1 ] || die2 "usage: testhost up NAME..."
  local n pids=() rc=0 i
  for n in "$@"; do valid_name "$n"; done
  need_base_tools
  ensure_rootfs
  lock_global; ensure_bridge_locked; ensure_key_locked; unlock_global
  # boot in parallel: each host in its own subshell, then collect the results
  for n in "$@"; do ( up_one "$n" ) & pids+=($!); done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then log "up ${*:i+1:1} failed"; rc=1; fi
  done
  return $rc
}

# --- stop / clean ------------------------------------------------------------------------------
stop_host() { # NAME [quiet]: clean poweroff, kill after 30 s; unmount the overlay, drop the cgroups
  local n=$1 quiet=${2:-} h p l i cg; h=$(hdir "$n")
  if p=$(nspawn_pid "$n"); then
    l=$(leader "$n" || true)
    if [ -n "$l" ]; then
      # SIGRTMIN+4 is systemd's "poweroff" signal: the fallback when systemctl cannot talk to it
      timeout 10 nsenter -t "$l" -a systemctl poweroff --no-block >/dev/null 2>&1 7>&- 8>&- 9>&- \
        || kill -s SIGRTMIN+4 "$l" 2>/dev/null || true
    else
      kill -TERM "$p" 2>/dev/null || true
    fi
    for (( i = 0; i < 300; i++ )); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then
      log "$n: no clean poweroff after 30s, killing"
      for cg in $(cgroup_roots); do
        if [ -f "$cg/runner-testhost-$n/cgroup.kill" ]; then echo 1 >"$cg/runner-testhost-$n/cgroup.kill"; fi
      done
      kill -KILL "$p" 2>/dev/null || true
      for (( i = 0; i < 50; i++ )); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    fi
    [ -n "$quiet" ] || log "$n: stopped"
  elif [ -z "$quiet" ]; then
    log "$n: not running"
  fi
  rm -f "$h/nspawn.pid"
  umount_below "$h"
  for cg in $(cgroup_roots); do
    if [ -d "$cg/runner-testhost-$n" ]; then find "$cg/runner-testhost-$n" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
  done
}
umount_below() { # DIR: every mount under DIR, deepest first (podman may leave some after a kill)
  local m
  awk -v p="$1/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}
remove_host_dir() { # NAME
  local h; h=$(hdir "$1")
  umount_below "$h"
  rm -rf --one-file-system "$h"
}

cmd_down() { # NAME...
  [ $# -ge 1 ] || die2 "usage: testhost down NAME..."
  local n pids=() rc=0 p
  for n in "$@"; do valid_name "$n"; done
  for n in "$@"; do ( lock_host "$n"; stop_host "$n" ) & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  return $rc
}

cmd_clean() { # NAME...
  [ $# -ge 1 ] || die2 "usage: testhost clean NAME..."
  local n
  local running=()
  for n in "$@"; do valid_name "$n"; if is_running "$n"; then running+=("$n"); fi; done
  if [ ${#running[@]} -gt 0 ]; then cmd_down "${running[@]}" || true; fi
  for n in "$@"; do
    ( lock_host "$n"; stop_host "$n" quiet; remove_host_dir "$n" )
    lock_global
    if [ -f "$TH_IPS" ]; then awk -v n="$n" '$1 != n' "$TH_IPS" >"$TH_IPS.tmp"; mv -f "$TH_IPS.tmp" "$TH_IPS"; fi
    regen_known_hosts_locked
    unlock_global
    rm -f "$TH_LOCKS/host-$n.lock"
    log "$n: removed"
  done
}

cmd_clean_all() { # [--rootfs]
  local with_rootfs="" hosts=() cg
  case ${1:-} in --rootfs) with_rootfs=1 ;; "") ;; *) die2 "usage: testhost clean-all [--rootfs]" ;; esac
  mapfile -t hosts < <(all_hosts)
  if [ ${#hosts[@]} -gt 0 ]; then cmd_clean "${hosts[@]}"; fi
  lock_global
  if ip link show "$TH_BRIDGE" >/dev/null 2>&1; then ip link del "$TH_BRIDGE"; log "bridge $TH_BRIDGE removed"; fi
  for cg in $(cgroup_roots); do
    find "$cg" -mindepth 1 -depth -path "$cg/runner-testhost-*" -type d -exec rmdir {} + 2>/dev/null || true
  done
  rm -rf "$TH_SSH" "$TH_IPS" "$TH_HOSTS" "$TH_SCRATCH"
  unlock_global
  if [ -n "$with_rootfs" ]; then
    lock_rootfs
    umount_below "$TH_ROOT"
    rm -rf --one-file-system "$TH_ROOTFS" "$TH_ROOTFS.tmp"
    log "rootfs removed"
    exec 7>&-
  fi
  log "clean-all done (rootfs cache $( [ -n "$with_rootfs" ] && echo removed || echo kept): $TH_ROOT)"
}

# --- info ---------------------------------------------------------------------------------------
cmd_ip() { [ $# = 1 ] || die2 "usage: testhost ip NAME"; valid_name "$1"; host_ip "$1"; }

cmd_exec() { # NAME CMD...
  [ $# -ge 2 ] || die2 "usage: testhost exec NAME CMD..."
  valid_name "$1"
  local n=$1 l; shift
  l=$(leader "$n") || die "host $n is not running"
  exec nsenter -t "$l" -a -- /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" "$@" 7>&- 8>&- 9>&-
}

cmd_list() {
  local n ip
  printf '%-20s %-16s %s\n' NAME IP STATE
  for n in $(all_hosts); do
    ip=$(awk -v n="$n" '$1 == n { print $2 }' "$TH_IPS" 2>/dev/null || true)
    printf '%-20s %-16s %s\n' "$n" "${ip:--}" "$(is_running "$n" && echo running || echo stopped)"
  done
}

# Options shared by ssh-config / inventory: --known-hosts FILE (write a file with exactly these
# hosts instead of pointing at the shared one), --user USER (default root).
parse_client_opts() {
  CL_KH=$TH_KNOWN_HOSTS CL_USER=root CL_NAMES=()
  local custom=""
  while [ $# -gt 0 ]; do
    case $1 in
      --known-hosts) custom=${2:?--known-hosts FILE}; shift 2 ;;
      --user) CL_USER=${2:?--user USER}; shift 2 ;;
      -*) die2 "unknown option $1" ;;
      *) valid_name "$1"; CL_NAMES+=("$1"); shift ;;
    esac
  done
  [ ${#CL_NAMES[@]} -ge 1 ] || die2 "no host names given"
  local n
  for n in "${CL_NAMES[@]}"; do
    [ -s "$(hdir "$n")/known_hosts" ] || die "$n has never been booted (run: testhost up $n)"
  done
  if [ -n "$custom" ]; then
    mkdir -p "$(dirname "$custom")"
    for n in "${CL_NAMES[@]}"; do cat "$(hdir "$n")/known_hosts"; done >"$custom.tmp.$$"
    mv -f "$custom.tmp.$$" "$custom"
    CL_KH=$(cd "$(dirname "$custom")" && pwd)/$(basename "$custom")
  fi
}

cmd_ssh_config() { # [--known-hosts FILE] [--user USER] NAME...
  parse_client_opts "$@"
  local n ip
  echo "# runner testhost: use with ssh -F FILE NAME (or root@IP)"
  for n in "${CL_NAMES[@]}"; do
    ip=$(host_ip "$n")
    cat <<EOF
Host $n $ip
  HostName $ip
  Port 22
  User $CL_USER
  IdentityFile $TH_KEY
  IdentitiesOnly yes
  UserKnownHostsFile $CL_KH
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  LogLevel ERROR
EOF
  done
}

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }   # paths may hold " or \

cmd_inventory() { # [--known-hosts FILE] [--user USER] NAME...
  parse_client_opts "$@"
  local n ip sep=""
  printf '{\n  "hosts": {'
  for n in "${CL_NAMES[@]}"; do
    ip=$(host_ip "$n")
    printf '%s\n    "%s": {"address": "%s", "user": %s, "port": 22, "identity_file": %s, "known_hosts_file": %s}' \
      "$sep" "$n" "$ip" "$(json_str "$CL_USER")" "$(json_str "$TH_KEY")" "$(json_str "$CL_KH")"
    sep=,
  done
  printf '\n  }\n}\n'
}
