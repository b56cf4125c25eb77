import { describe, expect, it } from 'vitest';
import { formatAgo, formatCountdown, formatSeconds, formatStamp, formatUptime, splitDuration } from '../../../src-renderer/src/lib/format.js';
import { translate } from '../../../src-renderer/src/i18n/index.js';

const T0 = new Date(2025, 2, 12, 14, 0, 0).getTime();

describe('countdown', () => {
  it.each([
    [0, '0:00'],
    [999, '0:01'],
    [59_000, '0:59'],
    [245_000, '4:05'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [3_723_000, '1:02:03'],
    [86_399_000, '23:59:59'],
    [86_400_000, '1 d'],
    [2 * 86_400_000 + 3 * 3_600_000 + 5_000, '2 d 3 h'],
  ])('%i ms left → %s', (left, text) => {
    expect(formatCountdown(T0 + left, T0)).toBe(text);
  });

  it('never goes negative and shows infinite leases as "never"', () => {
    expect(formatCountdown(T0 - 10_000, T0)).toBe('0:00');
    expect(formatCountdown(Number.MAX_SAFE_INTEGER, T0)).toBe('never');
  });
});

describe('durations', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [1800, '30 min'],
    [3150, '52 min 30 s'],
    [3600, '1 h'],
    [5400, '1 h 30 min'],
    [86400 * 2 + 3600 * 4 + 61, '2 d 4 h'],
    [0xffffffff, 'infinite'],
  ])('%i s → %s', (s, text) => expect(formatSeconds(s)).toBe(text));

  it('uptime rounds to what a glance needs', () => {
    expect(formatUptime(T0, T0 + 45_000)).toBe('45 s');
    expect(formatUptime(T0, T0 + 12 * 60_000 + 30_000)).toBe('12 min');
    expect(formatUptime(T0, T0 + 2 * 3_600_000 + 5 * 60_000 + 10_000)).toBe('2 h 5 min');
  });

  it('ago', () => {
    expect(formatAgo(T0, T0 + 500)).toBe('just now');
    expect(formatAgo(T0, T0 + 5_000)).toBe('5 s ago');
    expect(formatAgo(T0, T0 + 3 * 60_000)).toBe('3 min ago');
    expect(formatAgo(T0, T0 + 2 * 3_600_000)).toBe('2 h ago');
    expect(formatAgo(T0, T0 + 4 * 86_400_000)).toBe('4 d ago');
  });

  it('stamps show the time today and the date on other days', () => {
    expect(formatStamp(T0 + 7_000, T0)).toBe('14:00:07');
    expect(formatStamp(T0 - 86_400_000, T0)).toBe('11 Mar 14:00');
    expect(formatStamp(0, T0)).toBe('');
  });

  it('splits a lease time into its most natural unit', () => {
    expect(splitDuration(3600)).toEqual({ value: 1, unit: 'h' });
    expect(splitDuration(86400 * 7)).toEqual({ value: 7, unit: 'd' });
    expect(splitDuration(600)).toEqual({ value: 10, unit: 'min' });
    expect(splitDuration(90)).toEqual({ value: 90, unit: 's' });
  });

  it('counts with their noun come from plural catalog messages (format.ts has no English-only plural())', () => {
    expect(translate('en', 'count.addresses', { count: 1 })).toBe('1 address');
    expect(translate('en', 'count.addresses', { count: 51 })).toBe('51 addresses');
    expect(translate('en', 'import.leases', { count: 10000 })).toBe('10,000 leases');
    expect(translate('ko', 'import.leases', { count: 10000 })).toBe('임대 10,000개');
  });
});
