// What the static-address plan needs to know about the machine (nic-plan.ts stays pure): does
// NetworkManager manage the device and what kind of device it is (Linux), which network service a
// device belongs to (macOS). Every lookup is bounded and never rejects: without the tool, the
// plain command is planned.
import { execFile } from 'node:child_process';
import { parseMacServiceOrder, parseNmcliDevices } from './nic-plan.js';

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
  networkManagerType?: string;
  macService?: string;
}

export async function nicContext(ifname: string, platform: NodeJS.Platform = process.platform): Promise<NicContext> {
  if (platform === 'linux') {
    const text = await run('nmcli', ['-t', '-f', 'DEVICE,TYPE,STATE', 'device', 'status']);
    const dev = text === undefined ? undefined : parseNmcliDevices(text).get(ifname);
    return dev ? { networkManager: dev.state, networkManagerType: dev.type } : {};
  }
  if (platform === 'darwin') {
    const text = await run('networksetup', ['-listnetworkserviceorder']);
    const service = text === undefined ? undefined : parseMacServiceOrder(text).get(ifname);
    return service ? { macService: service } : {};
  }
  return {};
}
