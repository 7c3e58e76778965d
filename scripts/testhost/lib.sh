# shellcheck shell=bash disable=SC2034
# (SC2034: the variables here are used by the files that source this one)
# Common helpers for scripts/testhost. Sourced by ./testhost; not executable on its own.

# --- configuration (env overrides) -------------------------------------------
TH_ROOT=${RUNNER_TESTHOST_ROOT:-/var/tmp/runner-testhost}   # cache + state, outside the repository
TH_SUITE=${RUNNER_TESTHOST_SUITE:-trixie}
TH_BRIDGE=${RUNNER_TESTHOST_BRIDGE:-rnbr0}
TH_SUBNET=${RUNNER_TESTHOST_SUBNET:-172.30.214.0/24}

TH_ROOTFS=$TH_ROOT/rootfs        # shared read-only lower layer of every host, and the validator root
TH_HOSTS=$TH_ROOT/hosts          # per host: overlay upper/work/merged, containers storage, pid, logs
TH_SSH=$TH_ROOT/ssh
TH_KEY=$TH_SSH/id_ed25519
TH_KNOWN_HOSTS=$TH_SSH/known_hosts   # all hosts' real host keys, regenerated on up/clean
TH_IPS=$TH_ROOT/ips              # "NAME IP" allocation file
TH_LOCKS=$TH_ROOT/locks
TH_SCRATCH=$TH_ROOT/.validate    # mount point for the validators' private tmpfs (see ns-validate.sh)

# Bump when the rootfs recipe changes: hosts built on an older rootfs are recreated.
TH_ROOTFS_VERSION=2

# --- logging / errors ----------------------------------------------------------
log()  { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die()  { log "ERROR: $*"; exit 1; }
die2() { log "ERROR: $*"; exit 2; }          # setup / usage errors
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
since() { echo "$(( $(now_ms) - $1 ))ms"; }   # since START_MS -> "123ms"

need_root() { [ "$(id -u)" = 0 ] || die2 "must run as root"; }

valid_name() { # host names double as hostnames, machine names and interface-name seeds
  [[ $1 =~ ^[a-z][a-z0-9-]{0,31}$ ]] || die2 "invalid host name '$1' (want [a-z][a-z0-9-]{0,31})"
}

# --- locks ---------------------------------------------------------------------
# fd 7: rootfs build, fd 8: global (bridge, IPs, key, known_hosts), fd 9: one host.
# Every long-lived child (nspawn) is started with these fds closed, otherwise it would hold the lock.
lock_rootfs() { mkdir -p "$TH_LOCKS"; exec 7>"$TH_LOCKS/rootfs.lock"; flock 7; }
lock_global() { mkdir -p "$TH_LOCKS"; exec 8>"$TH_LOCKS/global.lock"; flock 8; }
unlock_global() { exec 8>&-; }
lock_host()   { mkdir -p "$TH_LOCKS"; exec 9>"$TH_LOCKS/host-$1.lock"; flock 9; }

# --- packages on the machine itself ---------------------------------------------
_apt_updated=
apt_install() { # PKG... (apt-get update once per run, only when something is missing)
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$_apt_updated" ]; then
    log "apt-get update (installing: $*)"
    apt-get update -q >/dev/null || die2 "apt-get update failed"
    _apt_updated=1
  fi
  apt-get install -y -q --no-install-recommends "$@" >/dev/null || die2 "apt-get install $* failed"
}
need_cmds() { # CMD:PKG ... install the packages of missing commands
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    apt_install "${missing[@]}"
  fi
}
need_base_tools() {
  need_cmds ip:iproute2 nsenter:util-linux unshare:util-linux flock:util-linux \
            systemd-nspawn:systemd-container ssh:openssh-client ssh-keygen:openssh-client curl:curl
}

# --- IPv4 arithmetic for the bridge subnet -------------------------------------------
ip2int() { local a b c d; IFS=. read -r a b c d <<<"$1"; echo $(( (a << 24) | (b << 16) | (c << 8) | d )); }
int2ip() { echo "$(( ($1 >> 24) & 255 )).$(( ($1 >> 16) & 255 )).$(( ($1 >> 8) & 255 )).$(( $1 & 255 ))"; }
subnet_parse() { # sets TH_NET_INT TH_PREFIX TH_GW (host side = first address) TH_FIRST TH_LAST
  [[ $TH_SUBNET =~ ^([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)/([0-9]+)$ ]] || die2 "bad RUNNER_TESTHOST_SUBNET '$TH_SUBNET'"
  TH_PREFIX=${BASH_REMATCH[2]}
  (( TH_PREFIX >= 16 && TH_PREFIX <= 28 )) || die2 "subnet prefix must be /16../28"
  local size=$(( 1 << (32 - TH_PREFIX) ))
  TH_NET_INT=$(( $(ip2int "${BASH_REMATCH[1]}") & ~(size - 1) & 0xffffffff ))
  TH_GW=$(int2ip $(( TH_NET_INT + 1 )))
  if (( size >= 64 )); then TH_FIRST=$(( TH_NET_INT + 10 )); else TH_FIRST=$(( TH_NET_INT + 2 )); fi
  TH_LAST=$(( TH_NET_INT + size - 2 ))
}

# --- the Debian mirror (the only remote address ever used) ------------------------
# First URIs: of an enabled deb822 stanza in debian.sources whose Suites are (not) *-security,
# falling back to one-line sources.list entries.  RUNNER_TESTHOST_MIRROR / _SECURITY_MIRROR override.
th_mirror() { # main|security
  local kind=$1 f out=""
  if [ "$kind" = main ] && [ -n "${RUNNER_TESTHOST_MIRROR:-}" ]; then echo "$RUNNER_TESTHOST_MIRROR"; return; fi
  if [ "$kind" = security ] && [ -n "${RUNNER_TESTHOST_SECURITY_MIRROR:-}" ]; then echo "$RUNNER_TESTHOST_SECURITY_MIRROR"; return; fi
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    out=$(awk -v kind="$kind" '
      function flush() {
        if (!done && uris != "" && suites != "" && types ~ /(^| )deb( |$)/ && enabled != "no") {
          sec = (suites ~ /-security/)
          if ((kind == "main" && !sec) || (kind == "security" && sec)) { print uris; done = 1 }
        }
        uris = ""; suites = ""; types = " deb"; enabled = ""
      }
      BEGIN { types = " deb" }
      /^[[:space:]]*$/ { flush(); next }
      /^URIs:/    { uris = $2 }
      /^Types:/   { $1 = ""; types = $0 }
      /^Suites:/  { $1 = ""; suites = $0 }
      /^Enabled:/ { enabled = tolower($2) }
      END { flush() }' "$f")
    if [ -n "$out" ]; then echo "$out"; return; fi
  done
  # one-line format: deb [opts] URI SUITE COMPONENTS...
  out=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' | awk -v kind="$kind" '$1 == "deb" && !done {
      sec = ($3 ~ /-security/ || $3 ~ /\/updates$/)
      if ((kind == "main" && !sec) || (kind == "security" && sec)) { print $2; done = 1 } }') || true
  if [ -n "$out" ]; then echo "$out"; fi
}

# --- cgroups of this machine ------------------------------------------------------------
# nspawn runs with --keep-unit (no systemd as PID 1 here), so each host's launcher first moves
# itself into its own cgroup; otherwise all hosts share /payload and /supervisor in the caller's.
cgroup_roots() {
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    echo /sys/fs/cgroup                        # pure cgroup2
  else
    local d
    for d in /sys/fs/cgroup/unified /sys/fs/cgroup/systemd; do   # hybrid: cgroup2 + name=systemd
      if [ -d "$d" ]; then echo "$d"; fi
    done
  fi
}
