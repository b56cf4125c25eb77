// Short confirmations and failures of actions ("Saved leases.csv", "Copied").
export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'success' | 'error';
}

export class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  show(text: string, tone: Toast['tone'] = 'info', ms = tone === 'error' ? 8000 : 3500): void {
    const id = this.#next++;
    this.items.push({ id, text, tone });
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    const i = this.items.findIndex((t) => t.id === id);
    if (i >= 0) this.items.splice(i, 1);
  }
}
