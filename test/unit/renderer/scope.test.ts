import { describe, expect, it } from 'vitest';
import type { NetInterface } from '../../../src-main/net/interfaces.js';
import { addressInSubnet, alignScope, checkRange, hostProblem, joinRange, networkOf, splitRange, suggestRange, suggestStaticAddress } from '../../../src-renderer/src/lib/scope.js';
import type { Draft, DraftSubnet } from '../../../src-renderer/src/lib/draft.js';

const nic = (ipv4: NetInterface['ipv4']): NetInterface => ({ name: 'eth1', index: 3, mac: 'aa:bb:cc:00:00:01', ipv4, adminUp: true, up: true, loopback: false, virtual: false, wireless: false, kind: undefined, source: 'ip' });

describe('range check', () => {
  const ctx = { subnet: '192.168.77.0/24', serverAddress: '192.168.77.1' };

  it('counts the addresses of a valid range', () => {
    expect(checkRange('192.168.77.100', '192.168.77.150', ctx)).toEqual({ size: 51, leasable: 51, heldBack: [], problems: [] });
    expect(checkRange('192.168.77.2', '192.168.77.2', ctx).size).toBe(1);
  });

  it('names each problem', () => {
    expect(checkRange('', '', ctx).problems).toEqual(['Enter the first and the last address of the range.']);
    expect(checkRange('192.168.77.10', '', ctx).problems[0]).toMatch(/last address/);
    expect(checkRange('192.168.77', '192.168.77.9', ctx).problems[0]).toMatch(/“192.168.77” is not an IPv4 address/);
    expect(checkRange('192.168.77.150', '192.168.77.100', ctx).problems[0]).toMatch(/starts after it ends/);
    expect(checkRange('192.168.77.100', '192.168.78.5', ctx).problems).toEqual(['192.168.78.5 is outside the network 192.168.77.0/24.']);
    expect(checkRange('192.168.77.0', '192.168.77.20', { subnet: '192.168.77.0/24' }).problems[0]).toMatch(/network address 192.168.77.0; start at 192.168.77.1/);
    expect(checkRange('192.168.77.200', '192.168.77.255', ctx).problems[0]).toMatch(/broadcast address 192.168.77.255; end at 192.168.77.254/);
    expect(checkRange('192.168.77.1', '192.168.77.50', ctx).problems[0]).toMatch(/contains this computer's address 192.168.77.1/);
  });

  it('holds back router and DNS addresses inside the range', () => {
    const r = checkRange('192.168.77.100', '192.168.77.150', { ...ctx, excluded: ['192.168.77.120', '192.168.77.120', '10.0.0.1'] });
    expect(r).toMatchObject({ size: 51, leasable: 50, heldBack: ['192.168.77.120'] });
  });

  it('splits and joins the range text', () => {
    expect(splitRange(' 10.0.0.5 - 10.0.0.9 ')).toEqual({ start: '10.0.0.5', end: '10.0.0.9' });
    expect(splitRange(undefined)).toEqual({ start: '', end: '' });
    expect(splitRange('10.0.0.5')).toEqual({ start: '10.0.0.5', end: '' });
    expect(joinRange('a ', ' b')).toBe('a-b');
  });
});

describe('suggestions', () => {
  it('network of an address', () => {
    expect(networkOf('192.168.77.1', 24)).toBe('192.168.77.0/24');
    expect(networkOf('10.1.2.3', 8)).toBe('10.0.0.0/8');
    expect(networkOf('nope', 24)).toBeUndefined();
  });

  it('suggests .100–.199 on a /24 and stays clear of the server', () => {
    expect(suggestRange('192.168.77.1', 24)).toEqual({ start: '192.168.77.100', end: '192.168.77.199' });
    expect(suggestRange('192.168.77.150', 24)).toEqual({ start: '192.168.77.1', end: '192.168.77.100' });
    expect(suggestRange('198.18.0.1', 28)).toEqual({ start: '198.18.0.2', end: '198.18.0.14' });
    expect(suggestRange('198.18.0.1', 31)).toBeUndefined();
  });

  it('prefills the static address: current static one, else outside the scope range, else 192.168.77.1/24', () => {
    expect(suggestStaticAddress(nic([{ address: '10.9.0.1', prefix: 16, dynamic: false }]), undefined, undefined)).toEqual({ address: '10.9.0.1', prefix: 16 });
    expect(suggestStaticAddress(nic([{ address: '192.168.1.40', prefix: 24, dynamic: true }]), undefined, undefined)).toEqual({ address: '192.168.77.1', prefix: 24 });
    expect(suggestStaticAddress(nic([]), '198.18.5.0/24', '198.18.5.1-198.18.5.10')).toEqual({ address: '198.18.5.11', prefix: 24 });
    expect(suggestStaticAddress(undefined, undefined, undefined)).toEqual({ address: '192.168.77.1', prefix: 24 });
  });

  it('finds the interface address inside the scope', () => {
    const n = nic([
      { address: '10.0.0.5', prefix: 8, dynamic: false },
      { address: '192.168.77.1', prefix: 24, dynamic: false },
    ]);
    expect(addressInSubnet(n, '192.168.77.0/24')?.address).toBe('192.168.77.1');
    expect(addressInSubnet(n, '172.16.0.0/12')).toBeUndefined();
    expect(addressInSubnet(n, undefined)?.address).toBe('10.0.0.5');
  });

  it('host address problems', () => {
    expect(hostProblem('192.168.77.20', '192.168.77.0/24')).toBeUndefined();
    expect(hostProblem('192.168.78.20', '192.168.77.0/24')).toMatch(/outside/);
    expect(hostProblem('192.168.77.0', '192.168.77.0/24')).toMatch(/network address/);
    expect(hostProblem('192.168.77.255', '192.168.77.0/24')).toMatch(/broadcast/);
    expect(hostProblem('300.1.1.1', '192.168.77.0/24')).toMatch(/not an IPv4/);
  });
});

describe('moving the scope to a network', () => {
  const memory = () => {
    const m = new Map<string, DraftSubnet>();
    return { remember: (k: string, v: DraftSubnet) => void m.set(k, v), recall: (k: string) => m.get(k), m };
  };

  it('creates the scope with a suggested range on a fresh draft', () => {
    const d: Draft = {};
    alignScope(d, '192.168.77.1', 24);
    expect(d.subnets).toEqual([{ subnet: '192.168.77.0/24', range: '192.168.77.100-192.168.77.199' }]);
  });

  it('keeps a range that still fits and drops routers/DNS outside the new network', () => {
    const d: Draft = { subnets: [{ subnet: '10.0.0.0/8', range: '10.1.0.10-10.1.0.20', router: ['10.0.0.1'], dns: ['10.1.0.1', '1.1.1.1'] }] };
    alignScope(d, '10.1.0.1', 16);
    expect(d.subnets![0]).toEqual({ subnet: '10.1.0.0/16', range: '10.1.0.10-10.1.0.20', dns: ['10.1.0.1'] });
  });

  it('replaces a range that would contain the server', () => {
    const d: Draft = { subnets: [{ subnet: '192.168.77.0/24', range: '192.168.77.1-192.168.77.50' }] };
    alignScope(d, '192.168.77.1', 24);
    expect(d.subnets![0]!.range).toBe('192.168.77.100-192.168.77.199');
  });

  it('remembers the scope of each network across a switch and back', () => {
    const mem = memory();
    const lab: DraftSubnet = { subnet: '198.18.77.0/24', range: '198.18.77.100-198.18.77.150', router: ['198.18.77.1'], dns: ['198.18.77.1'], domain: 'bench.lab', options: { 'ntp-servers': ['198.18.77.1'] } };
    const d: Draft = { subnets: [structuredClone(lab)] };
    alignScope(d, '198.19.40.23', 24, mem);
    expect(d.subnets![0]).toEqual({ subnet: '198.19.40.0/24', range: '198.19.40.100-198.19.40.199', domain: 'bench.lab', options: { 'ntp-servers': ['198.18.77.1'] } });
    alignScope(d, '198.18.77.1', 24, mem);
    expect(d.subnets![0]).toEqual(lab);
    // Re-aligning to the same network changes nothing and stores nothing new.
    alignScope(d, '198.18.77.1', 24, mem);
    expect(d.subnets![0]).toEqual(lab);
    expect([...mem.m.keys()]).toEqual(['198.18.77.0/24', '198.19.40.0/24']);
  });
});
