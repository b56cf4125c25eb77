// What the static-address plan needs to know about the machine (nic-plan.ts stays pure): does
// NetworkManager manage the device (Linux), which network service a device belongs to (macOS).
// Every lookup is bounded and never rejects: without the tool, the plain command is planned.
import { execFile } from 'node:child_process';
import { parseMacServiceOrder, parseNmcliDeviceStatus } from './nic-plan.js';

function run(cmd: string, args: string[], timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout) => resolve(err ? undefined : stdout));
    } catch {
      resolve(undefined);
    }
  });
}

export interface NicContext {
  networkManager?: string;
  macService?: string;
}

export async function nicContext(ifname: string, platform: NodeJS.Platform = process.platform): Promise<NicContext> {
  if (platform === 'linux') {
    const text = await run('nmcli', ['-t', '-f', 'DEVICE,STATE', 'device', 'status']);
    const state = text === undefined ? undefined : parseNmcliDeviceStatus(text).get(ifname);
    return state ? { networkManager: state } : {};
  }
  if (platform === 'darwin') {
    const text = await run('networksetup', ['-listnetworkserviceorder']);
    const service = text === undefined ? undefined : parseMacServiceOrder(text).get(ifname);
    return service ? { macService: service } : {};
  }
  return {};
}
