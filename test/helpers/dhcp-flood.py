#!/usr/bin/python3
"""Bounded DHCP flood for the reliability tests (issue 6 item 3). Runs inside a test namespace only.

  dhcp-flood.py IFACE KIND COUNT MAX_SECONDS SEED [PPS]

KIND: discover  DHCPDISCOVERs, each from a new random locally administered MAC
      request   DHCPREQUESTs (SELECTING: server id 198.18.10.1, a random requested address in
                198.18.10.10-250), each from a new random MAC
      noisy     DHCPDISCOVERs all from ONE MAC (02:00:5e:0f:00:01), for the per-MAC rate limit
      noisy-request  DHCPREQUESTs (SELECTING 198.18.10.77 from server 198.18.10.1) all from ONE MAC
                (02:00:5e:0f:00:02), for the per-MAC REQUEST/INFORM/DECLINE rate limit
Frames are built once with scapy (UDP checksum 0: RFC 768 "no checksum"), then patched per frame
(MAC, chaddr, xid) and written to an AF_PACKET socket. Stops after COUNT frames or MAX_SECONDS,
whichever comes first; PPS (default 0 = as fast as possible) paces it. Prints one JSON line:
{"sent": N, "seconds": S}.
"""
import json, random, socket, struct, sys, time

from scapy.all import BOOTP, DHCP, IP, UDP, Ether, raw  # python3-scapy (Debian)

iface, kind, count, max_s, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
pps = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
rnd = random.Random(seed)
SERVER = "198.18.10.1"

def template(opts):
    p = (Ether(src="02:00:00:00:00:00", dst="ff:ff:ff:ff:ff:ff")
         / IP(src="0.0.0.0", dst="255.255.255.255")
         / UDP(sport=68, dport=67, chksum=0)
         / BOOTP(op=1, chaddr=b"\x02\x00\x00\x00\x00\x00" + b"\x00" * 10, xid=0, flags=0x8000)
         / DHCP(options=opts + ["end"]))
    b = bytearray(raw(p))
    struct.pack_into("!H", b, 14 + 20 + 6, 0)  # UDP checksum 0 (scapy may fill it)
    return b

XID, CHADDR, SRC = 14 + 20 + 8 + 4, 14 + 20 + 8 + 28, 6
if kind == "discover" or kind == "noisy":
    base = [template([("message-type", "discover")])]
elif kind == "request":
    base = [template([("message-type", "request"), ("server_id", SERVER), ("requested_addr", "198.18.10.%d" % n)]) for n in range(10, 251)]
elif kind == "noisy-request":
    base = [template([("message-type", "request"), ("server_id", SERVER), ("requested_addr", "198.18.10.77")])]
else:
    sys.exit("unknown kind " + kind)

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
start = time.monotonic()
sent = 0
noisy_mac = bytes([0x02, 0x00, 0x5E, 0x0F, 0x00, 0x02 if kind == "noisy-request" else 0x01])
while sent < count:
    now = time.monotonic() - start
    if now > max_s:
        break
    if pps > 0 and sent > now * pps:
        time.sleep(0.001)
        continue
    f = bytearray(rnd.choice(base))
    mac = noisy_mac if kind.startswith("noisy") else bytes([0x02] + [rnd.randrange(256) for _ in range(5)])
    f[SRC:SRC + 6] = mac
    f[CHADDR:CHADDR + 6] = mac
    struct.pack_into("!I", f, XID, rnd.getrandbits(32))
    try:
        s.send(f)
        sent += 1
    except BlockingIOError:
        time.sleep(0.001)
print(json.dumps({"sent": sent, "seconds": round(time.monotonic() - start, 3)}), flush=True)
