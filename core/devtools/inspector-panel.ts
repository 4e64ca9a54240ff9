/**
 * A visual inspector for the chat statechart that works offline, on the page itself: it draws
 * the chart (laid out at docs time), lights up the active states and the transition just taken,
 * and keeps a timeline of every event the machine took (user commands, server events, link
 * events, replies, timers) that a slider or the list steps back and forward through, showing
 * the states and the context at each step. It opens a recording (`cention-chat/replay`) by drag
 * and drop or its file button and steps through it as if it were live.
 *
 * Pass its `inspect` to `createCentionChat({ inspect })` or `_CentionChat({ inspect })`. It works
 * under a strict Content-Security-Policy (its look is an adopted stylesheet; it parses no
 * markup), folds to a small handle (and starts folded on a phone), and touches the DOM only when
 * it is created. It carries its own copy of the machine for replays, so it is for debugging:
 * a page that never imports it never loads any of it.
 *
 * @module devtools
 */
import type { InspectionEvent } from 'xstate';
import { ChatError } from '../errors';
import { readRecording } from '../replay/recording';
import type { ChatRecording } from '../replay/recording';
import { replayChat } from '../replay/replay';
import { CHAT_STATECHART } from './chat-statechart.drawing';
import { takenEdges, toDom } from './drawing';
import { PANEL_STYLE } from './panel-style';
import { activePaths, liveSteps, sourceOf } from './timeline';
import type { Step, StepSnapshot } from './timeline';

export type { Step, StepSnapshot, StepSource } from './timeline';

/** What {@link createInspectorPanel} returns. */
export interface InspectorPanel {
  /** The inspector: hand it to the chat client's `inspect` option. */
  readonly inspect: (event: InspectionEvent) => void;
  /** The panel's element. */
  readonly element: HTMLElement;
  /** The steps shown: the live chat's, or the open recording's. */
  readonly steps: readonly Step[];
  /** The index of the step shown. */
  readonly current: number;
  /** Shows step `index` (clamped to the steps there are). */
  select(index: number): void;
  /**
   * Opens a recording (its JSON text, or the parsed document) and shows its replay from the
   * first step. Throws `invalid-input` for a file that is not a recording or a log that does
   * not fit the machine; the panel shows why, and keeps what it showed.
   */
  open(recording: string | ChatRecording, name?: string): void;
  /** Back to the live chat after a recording. */
  live(): void;
  /** Folds the panel to its handle, or unfolds it. */
  fold(folded: boolean): void;
  /** Removes the panel. */
  dispose(): void;
}

/** Options of {@link createInspectorPanel}. */
export interface InspectorPanelOptions {
  /** Where to put the panel; default `document.body`. */
  readonly parent?: HTMLElement;
  /** How many steps of a live chat the timeline keeps, the oldest dropped first; default 1,000. */
  readonly maxSteps?: number;
  /** Which bottom corner the panel sits in; default `left` (chat widgets tend to sit on the right). */
  readonly corner?: 'left' | 'right';
  /** Start folded to the handle; default: folded on a narrow screen (a phone), open elsewhere. */
  readonly folded?: boolean;
}

/** A document or shadow root, which can adopt constructed stylesheets. */
type StyleRoot = Node & { adoptedStyleSheets: CSSStyleSheet[] };

/**
 * Gives the panel its look through a constructed stylesheet adopted by the root it sits in: a
 * page with a strict Content-Security-Policy (no `'unsafe-inline'` styles) blocks a `<style>`
 * element but lets this apply. Returns what takes it back.
 */
function adoptStyle(parent: HTMLElement): () => void {
  const root = parent.getRootNode();
  const target: StyleRoot = 'adoptedStyleSheets' in root ? (root as StyleRoot) : parent.ownerDocument;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PANEL_STYLE);
  target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
  return () => {
    target.adoptedStyleSheets = target.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
  };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** The context that matters, in a few lines. */
function summary(context: Readonly<Record<string, unknown>>): [string, string][] {
  const lengthOf = (value: unknown) => (Array.isArray(value) ? value.length : typeof value === 'object' && value !== null && 'length' in value ? Number((value as { length: number }).length) : 0);
  const session = context['session'] as { sessionId?: number; areaId?: number } | undefined;
  const error = context['lastError'] as { code?: string; message?: string } | undefined;
  return [
    ['session', session ? `#${session.sessionId} in area ${session.areaId}` : '—'],
    ['transcript', `${lengthOf(context['transcript'])} messages`],
    ['outbox', ((context['outbox'] as { state: string }[] | undefined) ?? []).map((e) => e.state).join(', ') || 'empty'],
    ['uploads', ((context['uploads'] as { state: string; fileName: string }[] | undefined) ?? []).map((u) => `${u.fileName}: ${u.state}`).join(', ') || 'none'],
    ['queue', context['queuePosition'] === undefined ? '—' : String(context['queuePosition'])],
    ['agent', String(context['agent'] || '—') + (Number(context['agentTyping']) > 0 ? ' (typing)' : '')],
    ['last error', error ? `${error.code}: ${error.message}` : '—'],
  ];
}

/** The deepest active states, e.g. `availability.known`, `chat.live.session.queued`. */
function leaves(active: ReadonlySet<string>): string[] {
  return [...active].filter((path) => path !== '' && ![...active].some((other) => other.startsWith(`${path}.`)));
}

function clock(t: number, start: number): string {
  const s = Math.max(0, t - start) / 1000;
  return `+${s < 100 ? s.toFixed(2) : s.toFixed(0)} s`;
}

/** How many steps the list shows around the current one. */
const LIST_WINDOW = 150;

/**
 * Creates the panel and its inspector.
 *
 * @example
 * ```ts
 * import { createCentionChat } from 'cention-chat';
 * import { createInspectorPanel } from 'cention-chat/devtools';
 *
 * const panel = createInspectorPanel();
 * const chat = createCentionChat({ baseURL, area: 1, inspect: panel.inspect });
 * // …and a customer's recording, to step through:
 * panel.open(await file.text());
 * ```
 */
export function createInspectorPanel(options: InspectorPanelOptions = {}): InspectorPanel {
  const maxSteps = options.maxSteps ?? 1_000;
  const element = el('aside', `cention-inspector${options.corner === 'right' ? ' right' : ''}`);
  element.setAttribute('aria-label', 'Chat state inspector');

  const handle = el('button', 'handle', '◉ chat inspector');
  handle.type = 'button';
  const header = el('header');
  const mode = el('span', 'mode', 'live');
  const fileLabel = el('label', 'file', 'open recording…');
  const fileInput = el('input');
  fileInput.type = 'file';
  fileInput.accept = '.json,application/json';
  fileLabel.append(fileInput);
  const liveButton = el('button', '', 'live');
  liveButton.type = 'button';
  liveButton.hidden = true;
  const zoomButton = el('button', '', 'zoom');
  zoomButton.type = 'button';
  const foldButton = el('button', '', 'fold');
  foldButton.type = 'button';
  header.append(el('strong', '', 'cention-chat statechart'), mode, fileLabel, liveButton, zoomButton, foldButton);
  const problem = el('p', 'problem');
  problem.setAttribute('role', 'alert');
  problem.hidden = true;

  const chart = el('div', 'chart');
  const svg = toDom(CHAT_STATECHART.svg, document);
  svg.setAttribute('preserveAspectRatio', 'xMinYMin meet');
  chart.append(svg);
  const shapes = new Map<string, Element>();
  for (const g of svg.querySelectorAll('[data-state]')) shapes.set(g.getAttribute('data-state') ?? '', g);
  const arrows = new Map<string, Element[]>();
  for (const shape of svg.querySelectorAll('[data-edge]')) {
    const id = shape.getAttribute('data-edge') ?? '';
    arrows.set(id, [...(arrows.get(id) ?? []), shape]);
  }

  const timeline = el('div', 'timeline');
  const back = el('button', '', '◀');
  back.type = 'button';
  back.setAttribute('aria-label', 'previous step');
  const slider = el('input');
  slider.type = 'range';
  slider.min = '0';
  slider.setAttribute('aria-label', 'step');
  const forward = el('button', '', '▶');
  forward.type = 'button';
  forward.setAttribute('aria-label', 'next step');
  const position = el('output');
  timeline.append(back, slider, forward, position);

  const body = el('div', 'body');
  const list = el('ol', 'events');
  list.setAttribute('aria-label', 'events');
  const detail = el('section', 'detail');
  const states = el('p', 'states');
  const facts = el('dl');
  const full = el('details');
  const fullText = el('pre');
  full.append(el('summary', '', 'whole context'), fullText);
  detail.append(el('h3', '', 'states'), states, el('h3', '', 'context'), facts, full);
  body.append(list, detail);
  element.append(handle, header, problem, chart, timeline, body);

  const parent = options.parent ?? document.body;
  parent.append(element);
  const dropStyle = adoptStyle(parent);
  const narrow = typeof matchMedia === 'function' && matchMedia('(max-width: 600px)').matches;

  // ------------------------------------------------------------------ the steps
  const liveTimeline: Step[] = [];
  let steps: Step[] = liveTimeline;
  let current = -1;
  let following = true;
  let lit: Element[] = [];

  const show = () => {
    const step = steps[current];
    if (!step) return;
    const active = activePaths(step.snapshot.value);
    for (const shape of lit) shape.classList.remove('active', 'taken');
    lit = [];
    for (const path of active) {
      // The root is always active: lit, it would only paint the whole chart.
      const shape = path === '' ? undefined : shapes.get(path);
      if (shape) lit.push(shape);
    }
    const before = current > 0 ? activePaths(steps[current - 1]!.snapshot.value) : new Set<string>();
    for (const edge of takenEdges(CHAT_STATECHART.edges, step.event?.type, before, active)) {
      // Of an arrow that joins several sources, the branch from the state the step left.
      lit.push(...(arrows.get(edge.edge) ?? []).filter((shape) => !shape.hasAttribute('data-from') || before.has(shape.getAttribute('data-from') ?? '')));
    }
    for (const shape of lit) shape.classList.add(shape.hasAttribute('data-state') ? 'active' : 'taken');
    reveal(leaves(active));

    slider.max = String(steps.length - 1);
    slider.value = String(current);
    position.textContent = `${current + 1} / ${steps.length} · ${clock(step.t, steps[0]!.t)}`;
    back.disabled = current === 0;
    forward.disabled = current === steps.length - 1;
    states.textContent = leaves(active).join(', ');
    facts.replaceChildren(...summary(step.snapshot.context).flatMap(([term, text]) => [el('dt', '', term), el('dd', '', text)]));
    if (full.open) fullText.textContent = wholeContext(step.snapshot);
    drawList();
  };

  // Scrolls the chart to the deepest active state of the chat, when it is out of sight.
  const reveal = (paths: readonly string[]) => {
    const deepest = [...paths].sort((a, b) => b.split('.').length - a.split('.').length)[0];
    const box = deepest === undefined ? undefined : shapes.get(deepest)?.querySelector('rect')?.getBoundingClientRect();
    const frame = chart.getBoundingClientRect();
    if (!box || frame.height === 0) return;
    if (box.top < frame.top || box.bottom > frame.bottom) chart.scrollTop += box.top - frame.top - frame.height / 3;
    if (box.left < frame.left || box.right > frame.right) chart.scrollLeft += box.left - frame.left - frame.width / 3;
  };

  const wholeContext = (snapshot: StepSnapshot) => {
    const text = JSON.stringify(snapshot.context, null, 1) ?? '';
    return text.length > 20_000 ? `${text.slice(0, 20_000)}\n…` : text;
  };
  full.addEventListener('toggle', () => {
    const step = steps[current];
    if (full.open && step) fullText.textContent = wholeContext(step.snapshot);
  });

  const drawList = () => {
    const from = Math.max(0, current - LIST_WINDOW);
    const to = Math.min(steps.length, current + LIST_WINDOW + 1);
    const items: HTMLLIElement[] = [];
    for (let i = from; i < to; i++) {
      const step = steps[i]!;
      const item = el('li', i === current ? 'current' : '');
      item.dataset['step'] = String(i);
      const label = step.event?.type ?? 'start';
      item.append(el('time', '', clock(step.t, steps[0]!.t)), el('span', step.source, step.timer === undefined ? label : `timer #${step.timer} → ${label}`));
      items.push(item);
    }
    list.replaceChildren(...items);
    list.querySelector('.current')?.scrollIntoView?.({ block: 'nearest' });
  };

  const select = (index: number) => {
    if (steps.length === 0) return;
    current = Math.min(Math.max(0, Math.trunc(index)), steps.length - 1);
    following = steps === liveTimeline && current === steps.length - 1;
    show();
  };

  const say = (text: string) => {
    problem.textContent = text;
    problem.hidden = text === '';
  };

  const onStep = (step: Step) => {
    liveTimeline.push(step);
    const dropped = liveTimeline.length > maxSteps ? liveTimeline.splice(0, liveTimeline.length - maxSteps).length : 0;
    if (steps !== liveTimeline) return;
    if (following) select(liveTimeline.length - 1);
    else select(current - dropped);
  };
  const inspect = liveSteps(onStep);

  const open = (recording: string | ChatRecording, name = 'recording') => {
    let replayed: Step[];
    try {
      replayed = [...replayChat(readRecording(recording))].map((s) => ({
        t: s.t,
        ...(s.event ? { event: s.event } : {}),
        ...(s.entry && 'fire' in s.entry ? { timer: s.entry.fire } : {}),
        source: s.index === 0 ? 'start' : sourceOf(s.event?.type),
        snapshot: s.snapshot as unknown as StepSnapshot,
      }));
    } catch (error) {
      const why = error instanceof ChatError ? error : new ChatError('invalid-input', `The recording could not be replayed: ${String(error)}`);
      say(why.message);
      throw why;
    }
    say('');
    steps = replayed;
    mode.textContent = `replay: ${name}`;
    liveButton.hidden = false;
    select(0);
  };

  const fold = (folded: boolean) => {
    element.classList.toggle('folded', folded);
    handle.setAttribute('aria-expanded', String(!folded));
  };

  const openFile = (file: File | undefined) => {
    if (!file) return;
    void file.text().then(
      (text) => {
        try {
          open(text, file.name);
        } catch {
          // Said in the panel.
        }
      },
      () => say(`${file.name} could not be read.`),
    );
  };

  // ------------------------------------------------------------------ the controls
  const listeners: [EventTarget, string, (event: Event) => void][] = [
    [handle, 'click', () => fold(false)],
    [foldButton, 'click', () => fold(true)],
    [zoomButton, 'click', () => chart.classList.toggle('zoomed')],
    [liveButton, 'click', () => live()],
    [slider, 'input', () => select(Number(slider.value))],
    [back, 'click', () => select(current - 1)],
    [forward, 'click', () => select(current + 1)],
    [list, 'click', (event) => {
      const item = (event.target as Element).closest('li');
      if (item?.dataset['step']) select(Number(item.dataset['step']));
    }],
    [fileInput, 'change', () => {
      openFile(fileInput.files?.[0]);
      fileInput.value = '';
    }],
    [element, 'dragover', (event) => {
      event.preventDefault();
      element.classList.add('dragging');
    }],
    [element, 'dragleave', () => element.classList.remove('dragging')],
    [element, 'drop', (event) => {
      event.preventDefault();
      element.classList.remove('dragging');
      openFile((event as DragEvent).dataTransfer?.files[0]);
    }],
  ];
  for (const [target, type, listener] of listeners) target.addEventListener(type, listener);

  const live = () => {
    steps = liveTimeline;
    mode.textContent = 'live';
    liveButton.hidden = true;
    say('');
    following = true;
    if (liveTimeline.length > 0) select(liveTimeline.length - 1);
  };

  fold(options.folded ?? narrow);

  return {
    inspect,
    element,
    get steps() {
      return steps;
    },
    get current() {
      return current;
    },
    select,
    open,
    live,
    fold,
    dispose: () => {
      for (const [target, type, listener] of listeners) target.removeEventListener(type, listener);
      element.remove();
      dropStyle();
    },
  };
}
