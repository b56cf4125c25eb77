// The saved draft: loaded with settings.get, edited in place by the Setup column, saved with
// settings.save a moment after the last edit (so nothing typed is lost, even when invalid), and
// validated live with the engine's own parseConfig.
import type { Api, SettingsState } from '../../../src-main/ipc/contract.js';
import type { ConfigProblem } from '../../../src-main/config/schema.js';
import { validateDraft, type Draft } from '../lib/draft.js';

export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

export class SettingsStore {
  draft = $state<Draft>({});
  loaded = $state(false);
  saveState = $state<SaveState>('saved');
  saveError = $state<string | undefined>();
  /** Problems of the draft as the engine's parseConfig sees them, recomputed on every edit. */
  problems: ConfigProblem[] = $derived.by(() => validateDraft($state.snapshot(this.draft) as Draft));

  readonly #api: () => Api;
  readonly #delayMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #saving: Promise<void> | undefined;
  #lastSaved = '';

  constructor(api: () => Api, delayMs = 400) {
    this.#api = api;
    this.#delayMs = delayMs;
  }

  /** Replaces the draft with the engine's copy (first load, reconnect, or another window saved). */
  load(state: SettingsState): void {
    const json = JSON.stringify(state.draft ?? {});
    this.loaded = true;
    // Local edits not yet saved win over a remote copy; they are about to be saved anyway.
    if (this.saveState === 'pending' || this.saveState === 'saving') return;
    if (json === JSON.stringify($state.snapshot(this.draft))) return;
    this.#lastSaved = json;
    this.draft = JSON.parse(json) as Draft;
  }

  /** Applies an edit to the draft and schedules a save. */
  edit(mutate: (draft: Draft) => void): void {
    mutate(this.draft);
    this.#schedule();
  }

  // Read through methods: TypeScript narrows saveState across the await otherwise.
  #stillSaving(): boolean {
    return this.saveState === 'saving';
  }

  #isPending(): boolean {
    return this.saveState === 'pending';
  }

  #schedule(): void {
    this.saveState = 'pending';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
  }

  /** Saves now if an edit is pending (Start calls this first: the engine starts from the saved draft). */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#saving) await this.#saving;
    if (this.saveState !== 'pending' && this.saveState !== 'error') return;
    const draft = $state.snapshot(this.draft) as Draft;
    const json = JSON.stringify(draft);
    if (json === this.#lastSaved) {
      this.saveState = 'saved';
      return;
    }
    this.saveState = 'saving';
    this.#saving = (async () => {
      try {
        await this.#api()['settings.save']({ draft });
        this.#lastSaved = json;
        this.saveError = undefined;
        // An edit made while saving left the state 'pending': keep it, so that edit is saved too.
        if (this.#stillSaving()) this.saveState = 'saved';
      } catch (e) {
        this.saveState = 'error';
        this.saveError = (e as Error).message;
      } finally {
        this.#saving = undefined;
      }
    })();
    await this.#saving;
    if (this.#isPending()) await this.flush();
  }
}
