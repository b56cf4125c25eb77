// The renderer's `Api` type (contract.ts) against the contract's schemas: a call whose schema
// requires a request takes it as a required argument, so forgetting it is a compile error (checked
// by `tsc -p tsconfig.json`, which covers test/**: an unneeded @ts-expect-error fails the build);
// a call whose schema accepts no payload may be made without one. The runtime half checks that the
// schemas refuse (or accept) a missing payload exactly where the type requires (or allows) one.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseRequest, type Api, type CallName, type RequestOf } from '../../../src-main/ipc/contract.js';

/** The calls whose request argument the type requires. */
type RequiredCall = { [K in CallName]: undefined extends RequestOf<K> ? never : K }[CallName];

// Compile-time: each of these must be a call whose argument the type requires…
const REQUIRED = ['settings.save', 'leases.export', 'nic.plan', 'nic.apply', 'export.file', 'import.preview', 'devices.timeline', 'file.save', 'app.language'] as const satisfies readonly RequiredCall[];
// …and each of these one the type lets be made bare (a RequiredCall here would not compile).
const OPTIONAL = ['app.ready', 'interfaces.list', 'settings.get', 'server.start', 'server.stop', 'server.status', 'leases.list', 'log.recent', 'nic.restore', 'nic.saved', 'journal.search', 'journal.export'] as const satisfies readonly Exclude<CallName, RequiredCall>[];

/** Never run: only type-checked. */
function compileTimeChecks(api: Api): void {
  // @ts-expect-error nic.apply needs { interface, address, prefix }
  void api['nic.apply']();
  // @ts-expect-error settings.save needs the draft
  void api['settings.save']();
  // @ts-expect-error leases.export needs the format
  void api['leases.export']();
  // @ts-expect-error a required request cannot be undefined either
  void api['devices.timeline'](undefined);
  // @ts-expect-error nor be missing its required fields
  void api['nic.apply']({ interface: 'eth1' });
  void api['nic.apply']({ interface: 'eth1', address: '198.18.0.1', prefix: 24 });
  // Calls that take nothing, or an optional object, may still be made bare.
  void api['server.status']();
  void api['server.start']();
  void api['log.recent']();
  void api['nic.restore']();
  void api['journal.search']();
}

describe('the Api type follows the contract schemas', () => {
  it('types: required request vs. optional', () => {
    expectTypeOf<Parameters<Api['nic.apply']>>().toEqualTypeOf<[request: RequestOf<'nic.apply'>]>();
    expectTypeOf<Parameters<Api['server.start']>>().toEqualTypeOf<[request?: RequestOf<'server.start'>]>();
    void compileTimeChecks;
  });

  it('where the type requires an argument the schema refuses a missing payload; where it allows none, the schema accepts it', () => {
    for (const name of REQUIRED) expect(parseRequest(name, undefined).ok, name).toBe(false);
    for (const name of OPTIONAL) expect(parseRequest(name, undefined).ok, name).toBe(true);
  });
});
