# Runs inside a test host: undoes a deployment of the dci_api + haproxy roles, back to the state
# the host had when it was booted (`save` records that state first: Debian's haproxy.cfg and the
# podman images). Used between cold first deploys; not timed.
set -u
export LC_ALL=C
state=/var/tmp/bench-pristine
case ${1:-reset} in
save)
  mkdir -p "$state"
  [ -f "$state/saved" ] && exit 0
  cp -a /etc/haproxy/haproxy.cfg "$state/haproxy.cfg"
  podman images --format '{{.Repository}}:{{.Tag}}' | sort > "$state/images"
  touch "$state/saved"
  ;;
reset)
  [ -f "$state/saved" ] || { echo "host-reset: no saved state" >&2; exit 2; }
  units=$(systemctl list-units --all --plain --no-legend --full \
    'dci-api@*.service' 'dci-api-auth-tracking*.service' 'haproxy.service' 'quadlet-network.service' \
    | awk '{print $1}')
  [ -n "$units" ] && systemctl stop $units 2>/dev/null
  podman rm -f --ignore $(podman ps -aq) >/dev/null 2>&1
  rm -f /etc/containers/systemd/quadlet.network /etc/containers/systemd/haproxy.container \
    /etc/containers/systemd/dci-api@*.container /etc/containers/systemd/dci-api-auth-tracking.*
  rm -rf /etc/dci-api /etc/haproxy/conf.d /var/tmp/dci-api-backup-marker
  cp -a "$state/haproxy.cfg" /etc/haproxy/haproxy.cfg
  systemctl daemon-reload
  systemctl reset-failed 2>/dev/null
  podman network rm -f quadlet >/dev/null 2>&1
  for image in $(podman images --format '{{.Repository}}:{{.Tag}}' | sort | comm -23 - "$state/images"); do
    podman rmi -f "$image" >/dev/null 2>&1
  done
  true
  ;;
esac
