// Device identity as shown in the lease table, the device panel and the exports: the vendor of the
// MAC's prefix (offline OUI table), whether the MAC is randomized (locally administered), the
// option 55 fingerprint and a guess of the client software. Computed when rows are built for the
// UI or an export — never per packet.
import { clientGuess, fingerprintOf } from './fingerprint.js';
import { isRandomizedMac, vendorOf } from './oui.js';

export interface DeviceIdentity {
  /** IEEE-registered organisation of the MAC prefix. Absent for random MACs and unknown prefixes. */
  vendor?: string;
  /** Locally administered ("private/random") MAC: no vendor, may change per network. */
  randomMac?: boolean;
  /** Option 55 as "1,3,6,15". */
  fingerprint?: string;
  /** Short guess of the client software / OS family (vendor class, known fingerprints). */
  clientGuess?: string;
}

export function identify(d: { mac: string; vendorClass?: string | undefined; paramRequest?: readonly number[] | undefined }): DeviceIdentity {
  const out: DeviceIdentity = {};
  if (isRandomizedMac(d.mac)) out.randomMac = true;
  else {
    const v = vendorOf(d.mac);
    if (v) out.vendor = v;
  }
  const fp = fingerprintOf(d.paramRequest);
  if (fp) out.fingerprint = fp;
  const guess = clientGuess(d.vendorClass, fp);
  if (guess) out.clientGuess = guess;
  return out;
}
