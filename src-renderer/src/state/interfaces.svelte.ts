// The machine's network interfaces (interfaces.list, refreshed by the `interfaces` push event).
import type { NetInterface } from '../../../src-main/net/interfaces.js';

export class InterfaceStore {
  list = $state.raw<NetInterface[]>([]);
  loaded = $state(false);

  load(list: readonly NetInterface[]): void {
    this.list = [...list];
    this.loaded = true;
  }

  byName(name: string | undefined): NetInterface | undefined {
    return name ? this.list.find((n) => n.name === name) : undefined;
  }
}
