# Runs inside a test host (testhost exec NAME bash -c "$(cat host-fingerprint.sh)"): everything the
# deployment manages, as text, so that hosts deployed by different tools can be compared with diff.
# Files: path, mode, owner, type, and sha256 (regular files) or target (links). Units: active state.
# Containers: the names podman runs. Nothing here depends on timestamps.
set -u
export LC_ALL=C
list() { for p in "$@"; do [ -e "$p" ] || [ -L "$p" ] && printf '%s\n' "$p"; done; }
paths=$( {
  list /etc/haproxy /etc/haproxy/conf.d /etc/dci-api /etc/containers/systemd /var/tmp/dci-api-backup-marker
  find /etc/haproxy /etc/dci-api /etc/containers/systemd -mindepth 1 -maxdepth 2 2>/dev/null
} | sort -u)
for p in $paths; do
  line=$(stat -c '%n %a %U:%G %F' "$p")
  if [ -L "$p" ]; then line="$line -> $(readlink "$p")"
  elif [ -f "$p" ]; then line="$line sha256=$(sha256sum < "$p" | cut -c1-64)"; fi
  printf '%s\n' "$line"
done
units="quadlet-network.service haproxy.service dci-api-auth-tracking-image.service dci-api-auth-tracking.service"
for i in $(seq 0 9); do units="$units dci-api@$i.service"; done
for u in $units; do printf 'unit %s %s\n' "$u" "$(systemctl is-active "$u" 2>/dev/null)"; done
printf 'containers %s\n' "$(podman ps --format '{{.Names}}' | sort | tr '\n' ' ')"
printf 'network %s\n' "$(podman network ls --format '{{.Name}}' | sort | tr '\n' ' ')"
