/**
 * The customer's typing preview, paced: the agent sees what the customer types at most once
 * per interval, always ending with the latest text, and at once when the customer stops.
 *
 * @module
 */
import type { Clock, TimerHandle } from './clock';
import { quoted, requireInput } from './errors';

/**
 * What the agent sees of what the customer types: `'text'` the text itself (the default, as the
 * seed), `'length'` a placeholder of the same length (the agent sees that the customer types,
 * and how much), `'off'` nothing at all.
 */
export type PreviewMode = 'text' | 'length' | 'off';

const PREVIEW_MODES: readonly PreviewMode[] = ['text', 'length', 'off'];

/** What a `'length'` preview shows for each character the customer typed. */
export const PREVIEW_PLACEHOLDER = '•';

/** Reads the `preview` option; anything but the three modes throws `invalid-input`. */
export function readPreviewMode(mode: unknown): PreviewMode {
  if (mode === undefined) return 'text';
  requireInput(PREVIEW_MODES.includes(mode as PreviewMode), `preview must be 'text', 'length' or 'off', got ${quoted(mode)}.`);
  return mode as PreviewMode;
}

/** The preview the agent may see of `text` under `mode`; `undefined` when nothing may go. */
export function previewOf(text: string, mode: PreviewMode): string | undefined {
  if (mode === 'off') return undefined;
  if (mode === 'text' || text.trim() === '') return text;
  return PREVIEW_PLACEHOLDER.repeat([...text].length);
}

/** Paces `send` for one chat; `dispose()` cancels what is pending. */
export interface TypingPreview {
  /** What the customer's input holds now; blank means they stopped typing. */
  typed(text: string): void;
  /** Forgets what was sent (a new chat starts from nothing) and cancels what is pending. */
  dispose(): void;
}

/** Makes a paced preview. `everyMs` 0 sends every change at once. */
export function typingPreview(send: (text: string) => void, clock: Clock, everyMs: number): TypingPreview {
  let timer: TimerHandle | undefined;
  let latest = '';
  let shown = '';
  let lastAt = -Infinity;
  const cancel = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const flush = () => {
    timer = undefined;
    if (latest === shown) return;
    lastAt = clock.now();
    shown = latest;
    send(latest);
  };
  return {
    typed(text) {
      latest = text.trim() === '' ? '' : text;
      if (latest === '') {
        // Stopping is news the agent should have now, not at the end of the interval.
        cancel();
        flush();
        return;
      }
      if (timer !== undefined) return;
      const wait = lastAt + everyMs - clock.now();
      if (wait <= 0) flush();
      else timer = clock.setTimeout(flush, wait);
    },
    dispose() {
      cancel();
      latest = '';
      shown = '';
      lastAt = -Infinity;
    },
  };
}
