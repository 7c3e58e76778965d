#!/bin/bash
# Worker for `testhost validate`; runs inside `unshare --net --mount` (started by ./testhost).
# It mounts a private tmpfs, builds a throw-away overlay of the rootfs on it, copies the inputs in
# and runs the real tools chrooted.  The empty network namespace makes DNS lookups fail at once and
# sends no traffic; the shared rootfs is never written.  Everything vanishes with the namespace.
#
#   ns-validate.sh ROOTFS SCRATCH quadlet [--user] [--show] [--with SRC:DST]... DIR
#   ns-validate.sh ROOTFS SCRATCH unit    [--user] [--with SRC:DST]... FILE...
#   ns-validate.sh ROOTFS SCRATCH haproxy [--zero-warning] [--with SRC:DST]... FILE_OR_DIR...
# Exit: 0 valid, 1 invalid (the tool's messages on stderr), 2 usage/setup error.
set -euo pipefail
trap 'exit 2' ERR          # any unexpected failure is a setup error, never "invalid"

usage() { sed -n '7,9p' "$0" >&2; exit 2; }
[ $# -ge 3 ] || usage
rootfs=$1 scratch=$2 mode=$3; shift 3
user="" show="" zerowarn="" withs=() inputs=()
while [ $# -gt 0 ]; do
  case $1 in
    --user) user=1 ;;
    --show) show=1 ;;
    --zero-warning) zerowarn=1 ;;
    --with) [ $# -ge 2 ] || usage; withs+=("$2"); shift ;;
    --) shift; inputs+=("$@"); break ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) inputs+=("$1") ;;
  esac
  shift
done
[ ${#inputs[@]} -ge 1 ] || usage
for i in "${inputs[@]}"; do [ -e "$i" ] || { echo "no such file or directory: $i" >&2; exit 2; }; done

# --- throw-away root ------------------------------------------------------------------------
# loopback only: lookups against 127.0.0.1 (the rootfs' resolv.conf) are refused at once
ip link set lo up
mount -t tmpfs -o mode=700,size=1g rth-validate "$scratch"
mkdir -p "$scratch/upper" "$scratch/work" "$scratch/root"
mount -t overlay rth-validate -o "lowerdir=$rootfs,upperdir=$scratch/upper,workdir=$scratch/work" "$scratch/root"
R=$scratch/root
V=/tmp/runner-validate            # inputs live here inside the root
mkdir -p "$R$V"
for w in "${withs[@]}"; do        # extra files the config refers to (certs, env files, ...)
  src=${w%%:*} dst=${w#*:}
  if [ ! -e "$src" ] || [[ $dst != /* ]]; then echo "--with wants EXISTING_SRC:/ABS/DST, got '$w'" >&2; exit 2; fi
  mkdir -p "$(dirname "$R$dst")"; cp -a "$src" "$R$dst"
done

run() { # CMD... chrooted, clean environment
  chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}
show_err() { # FILE SED-EXPR: print the tool's messages with our paths mapped back to the caller's
  sed -e "$2" "$1" >&2
}

rc=0
case $mode in
quadlet)
  if [ ${#inputs[@]} != 1 ] || [ ! -d "${inputs[0]}" ]; then echo "quadlet wants one directory" >&2; exit 2; fi
  src=$(cd "${inputs[0]}" && pwd)
  mkdir -p "$R$V/in" "$R$V/out" "$R$V/xdg"; chmod 700 "$R$V/xdg"
  cp -a "$src"/. "$R$V/in/"
  map="s|$V/in/|$src/|g; s|$V/out/||g"
  # 1) dry run: quadlet rejects with rc!=0 and 'converting "X": ...' on stderr.  The other units are
  #    still printed, so the judgement is rc + stderr, never "got output".
  if ! run env QUADLET_UNIT_DIRS="$V/in" /usr/libexec/podman/quadlet -dryrun ${user:+-user} \
        >"$scratch/dry.out" 2>"$scratch/dry.err"; then
    rc=1
  fi
  grep -v -e 'Loading source unit file' "$scratch/dry.err" >"$scratch/dry.msg" || true
  if [ -s "$scratch/dry.msg" ]; then show_err "$scratch/dry.msg" "$map"; rc=1; fi
  if [ -n "$show" ]; then sed -e "$map" "$scratch/dry.out"; fi
  # 2) generate for real and let systemd parse every unit; systemd-analyze only *warns* about
  #    unknown keys and bad values (rc 0), so any output at all is a failure
  run env QUADLET_UNIT_DIRS="$V/in" /usr/libexec/podman/quadlet -no-kmsg-log ${user:+-user} "$V/out" >/dev/null 2>&1 || true
  units=()
  for f in "$R$V/out"/*.service; do [ -e "$f" ] && units+=("$V/out/${f##*/}"); done
  if [ ${#units[@]} -gt 0 ]; then
    run env XDG_RUNTIME_DIR="$V/xdg" systemd-analyze verify --man=no ${user:+--user} "${units[@]}" \
      >"$scratch/verify.out" 2>&1 || rc=1
    if [ -s "$scratch/verify.out" ]; then sort -u "$scratch/verify.out" >"$scratch/verify.msg"; show_err "$scratch/verify.msg" "$map"; rc=1; fi
  fi
  if [ $rc = 0 ]; then echo "quadlet OK: $src -> ${units[*]##*/}" >&2; fi
  ;;
unit)
  mkdir -p "$R$V/units" "$R$V/xdg"; chmod 700 "$R$V/xdg"
  units=() map=""
  for i in "${inputs[@]}"; do
    abs=$(cd "$(dirname "$i")" && pwd)/$(basename "$i")
    cp -a "$abs" "$R$V/units/"              # drop-in dirs (foo.service.d) are copied alongside
    map+="s|$V/units/$(basename "$i")|$abs|g;"
    if [ -f "$abs" ]; then units+=("$V/units/$(basename "$i")"); fi
  done
  [ ${#units[@]} -ge 1 ] || { echo "no unit files given" >&2; exit 2; }
  run env XDG_RUNTIME_DIR="$V/xdg" systemd-analyze verify --man=no ${user:+--user} "${units[@]}" \
    >"$scratch/verify.out" 2>&1 || rc=1
  if [ -s "$scratch/verify.out" ]; then sort -u "$scratch/verify.out" >"$scratch/verify.msg"; show_err "$scratch/verify.msg" "$map"; rc=1; fi
  if [ $rc = 0 ]; then echo "units OK: ${inputs[*]}" >&2; fi
  ;;
haproxy)
  args=() map="" n=0
  for i in "${inputs[@]}"; do
    n=$((n + 1)); abs=$(cd "$(dirname "$i")" && pwd)/$(basename "$i")
    mkdir -p "$R$V/h$n"; cp -a "$abs" "$R$V/h$n/"
    args+=(-f "$V/h$n/$(basename "$i")")
    map+="s|$V/h$n/$(basename "$i")|$abs|g;"
  done
  # haproxy resolves server names at parse time: in the empty netns that fails instantly (so
  # servers need init-addr ...,none), instead of waiting on the machine's resolver
  if run haproxy -c ${zerowarn:+-dW} "${args[@]}" >"$scratch/h.out" 2>&1; then :; else rc=1; fi
  grep -v -e 'Configuration file is valid' -e 'haproxy version is' -e 'path to executable is' \
    "$scratch/h.out" >"$scratch/h.msg" || true
  if [ -s "$scratch/h.msg" ]; then show_err "$scratch/h.msg" "$map"; fi
  if [ $rc = 0 ]; then echo "haproxy OK: ${inputs[*]}" >&2; fi
  ;;
*) usage ;;
esac
exit $rc
