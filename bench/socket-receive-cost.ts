// CPU per received datagram of the Linux interface-bound socket, three ways:
//   dgram        openBoundSocket: SO_BINDTODEVICE socket read by libuv (recvmmsg), as served before
//   dgram2       the same with unicastAddress: a second socket bound to the server's address tells
//                broadcast from unicast (what `serve` uses: RENEWING vs REBINDING, RFC 2131 §4.3.2)
//   pktinfo      openPktinfoSocket: our own recvmsg loop through koffi reading IP_PKTINFO (macOS design)
//
//   unshare -n sh -c 'ip link set lo up; node --import tsx bench/socket-receive-cost.ts dgram2 100000'
//
// Run it in a private network namespace (as above): it binds a port on `lo` and a python3 sender
// blasts N+5000 datagrams of 300 bytes at 127.0.0.1, paced in bursts of 200. The figure is the
// receiving process's user+system CPU over the datagrams it got. Measured here (2026-11-23, 2 runs
// each): dgram 4.62–4.68 µs, dgram2 4.57–4.58 µs, pktinfo 7.07–8.95 µs per datagram.
import { spawn } from 'node:child_process';
import { openBoundSocket } from '../src-main/net/bound-socket.js';
import { loadLibc } from '../src-main/net/libc.js';
import { openPktinfoSocket } from '../src-main/net/pktinfo-socket.js';

const mode = process.argv[2] ?? 'dgram2';
const N = Number(process.argv[3] ?? 100_000);
const port = 20067;
const libc = await loadLibc('linux');
const sock =
  mode === 'pktinfo'
    ? openPktinfoSocket({ libc, ifname: 'lo', ifindex: libc.if_nametoindex('lo'), port, boundIf: false })
    : await openBoundSocket({ ifname: 'lo', port, ...(mode === 'dgram2' ? { unicastAddress: '127.0.0.1' } : {}) });

const sender = spawn('python3', ['-c', `
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
b = bytes(300)
for i in range(${N + 5000}):
    s.sendto(b, ('127.0.0.1', ${port}))
    if i % 200 == 0: time.sleep(0.002)
`], { stdio: 'inherit' });

let n = 0;
let t0 = 0;
let c0 = process.cpuUsage();
await new Promise<void>((done) => {
  sock.onMessage((buf) => {
    if (n === 0) {
      t0 = performance.now();
      c0 = process.cpuUsage();
    }
    n++;
    if (buf.length !== 300) throw new Error(`unexpected datagram of ${buf.length} bytes`);
  });
  sender.on('exit', () => setTimeout(done, 500));
});
const cpu = process.cpuUsage(c0);
const wall = performance.now() - t0 - 500;
console.log(`${mode}: ${n} datagrams in ${wall.toFixed(0)} ms, ${((cpu.user + cpu.system) / n).toFixed(2)} µs CPU per datagram (user ${(cpu.user / n).toFixed(2)}, system ${(cpu.system / n).toFixed(2)})`);
await sock.close();
process.exit(0);
