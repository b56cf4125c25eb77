#!/usr/bin/env bash
# A throwaway network for developing the UI against web mode (root, Linux):
#
#   scripts/dev-web-lab.sh up       veth pd-dev0 (198.18.30.1/24, root namespace) ↔ pd-cl0 in namespace pd-dev-c
#   scripts/dev-web-lab.sh client   one DHCP client run (busybox udhcpc) in pd-dev-c; prints its lease
#   scripts/dev-web-lab.sh clients N   N clients with fresh MACs, one after another
#   scripts/dev-web-lab.sh down     removes both
#
# Then: node bin/pocket-dhcp.js serve --web 127.0.0.1:8080 --data-dir /tmp/pd-dev
# and in the UI pick pd-dev0, range 198.18.30.100-198.18.30.150. The server end stays in the root
# namespace so a browser on this machine reaches the web UI on 127.0.0.1; the DHCP socket is bound
# to pd-dev0, so nothing is answered on any other interface. Addresses are in 198.18.0.0/15
# (RFC 2544 benchmarking space), never a real network.
set -euo pipefail
NS=pd-dev-c
case "${1:-}" in
  up)
    ip netns add "$NS"
    ip -n "$NS" link set lo up
    ip link add pd-dev0 type veth peer name pd-cl0 netns "$NS"
    ip addr add 198.18.30.1/24 dev pd-dev0
    ip link set pd-dev0 up
    ip -n "$NS" link set pd-cl0 up
    echo "pd-dev0 198.18.30.1/24 ↔ $NS:pd-cl0 ready"
    ;;
  client)
    ip netns exec "$NS" timeout 20 busybox udhcpc -i pd-cl0 -f -q -n -t 4 -T 1 -A 1 -s /bin/true ${2:+-x hostname:"$2"}
    ;;
  clients)
    for i in $(seq 1 "${2:-5}"); do
      ip -n "$NS" link set pd-cl0 down
      ip -n "$NS" link set pd-cl0 address "02:00:5e:30:$(printf '%02x:%02x' $((i / 256)) $((i % 256)))"
      ip -n "$NS" link set pd-cl0 up
      ip netns exec "$NS" timeout 20 busybox udhcpc -i pd-cl0 -f -q -n -t 4 -T 1 -A 1 -s /bin/true -x hostname:"dev-$i" || true
    done
    ;;
  down)
    ip link del pd-dev0 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    ;;
  *)
    sed -n '2,14p' "$0"
    exit 2
    ;;
esac
