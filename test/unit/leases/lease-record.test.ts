import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asNedbDoc, cleanLease, docJson, leaseToDoc, sharedParamRequest, sharedString } from '../../../src-main/leases/lease-record.js';
import type { Lease } from '../../../src-main/dhcp/lease.js';

const lease = (ip: string, paramRequest: number[]): Lease => ({
  ip, clientId: `01:${ip}`, mac: '02:00:00:00:00:01', state: 'bound', subnet: ['198.18.0.0', '15'].join('/'),
  startsAt: 1, expiresAt: 2, firstSeen: 1, lastSeen: 1, vendorClass: ['android-dhcp', '14'].join('-'), paramRequest,
});

describe('shared values between lease records', () => {
  it('records with equal option-55 lists, subnets and vendor classes share one frozen copy', () => {
    const a = cleanLease(lease('198.18.0.10', [1, 3, 6, 15, 119, 252]));
    const b = cleanLease(lease('198.18.0.11', [1, 3, 6, 15, 119, 252]));
    expect(a.paramRequest).toBe(b.paramRequest);
    expect(Object.isFrozen(a.paramRequest)).toBe(true);
    expect(a.subnet).toBe(b.subnet);
    expect(a.vendorClass).toBe(b.vendorClass);
    expect(cleanLease(lease('198.18.0.12', [1, 3, 6, 15, 119])).paramRequest).not.toBe(a.paramRequest);
  });

  it('never hands out the caller\'s mutable array, and keeps every list equal to its input', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 20 }), { maxLength: 20 }), (lists) => {
        for (const l of lists) {
          const input = [...l];
          const out = sharedParamRequest(input);
          expect(out).toEqual(l);
          expect(out).not.toBe(input);
          expect(Object.isFrozen(out)).toBe(true);
          expect(sharedParamRequest([...l])).toBe(out);
        }
      }),
      // ≤ 1,000 distinct lists: below the 4,096 kept, so every list is shared.
      { numRuns: 50 },
    );
  });

  it('sharedString returns an equal string', () => {
    const s = ['vendor', 'x'].join('-');
    expect(sharedString(s)).toBe('vendor-x');
    expect(sharedString(['vendor', 'x'].join('-'))).toBe(sharedString(s));
  });
});

describe('records as NeDB documents (cleanLease\'s hidden _id)', () => {
  it('docJson writes the hidden _id first, exactly as the document copy would be written', () => {
    const l = lease('198.18.0.20', [1, 3]);
    const rec = cleanLease(l);
    expect(docJson(rec)).toBe(JSON.stringify(leaseToDoc(l)));
    expect(JSON.parse(docJson(rec))).toEqual({ _id: '198.18.0.20', ...l });
    // Plain documents (batch marker, deletions, NeDB's copies) are written as they are.
    expect(docJson({ _id: '__batch__', seq: 3 })).toBe('{"_id":"__batch__","seq":3}');
    expect(docJson({ a: 1 })).toBe('{"a":1}');
    const bare = Object.defineProperty({}, '_id', { value: 'x' });
    expect(docJson(bare)).toBe('{"_id":"x"}');
  });

  it('asNedbDoc: the record itself when it carries its _id, else a copy with one', () => {
    const l = lease('198.18.0.21', [1]);
    const rec = cleanLease(l);
    expect(asNedbDoc(rec)).toBe(rec);
    const copy = asNedbDoc(l);
    expect(copy).not.toBe(l);
    expect(copy).toEqual({ _id: l.ip, ...l });
    // A record re-addressed by a spread loses the hidden _id: never a stale one.
    const moved = Object.freeze({ ...rec, ip: '198.18.0.99' });
    expect(asNedbDoc(moved)._id).toBe('198.18.0.99');
  });
});
