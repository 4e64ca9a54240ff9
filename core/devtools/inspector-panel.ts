/**
 * A visual inspector for the chat statechart that works offline: a panel on the page that
 * draws every state of the machine, lights up the active ones, lists the events as they come
 * (coloured by where they came from: `user.*`, `link.*`, `server.*`, `reply.*`…) and shows the
 * context that matters. Pass its `inspect` to `createCentionChat({ inspect })` or
 * `_CentionChat({ inspect })`.
 *
 * It imports nothing at run time (it reads the machine from the snapshots it is shown) and
 * touches the DOM only when it is created.
 *
 * @module devtools
 */
import type { AnyStateNode, InspectionEvent } from 'xstate';

/** What {@link createInspectorPanel} returns. */
export interface InspectorPanel {
  /** The inspector: hand it to the chat client's `inspect` option. */
  readonly inspect: (event: InspectionEvent) => void;
  /** The panel's element. */
  readonly element: HTMLElement;
  /** Removes the panel. */
  dispose(): void;
}

/** Options of {@link createInspectorPanel}. */
export interface InspectorPanelOptions {
  /** Where to put the panel; default `document.body`. */
  readonly parent?: HTMLElement;
  /** How many events the log keeps; default 60. */
  readonly maxEvents?: number;
  /** Which bottom corner the panel sits in; default `left` (chat widgets tend to sit on the right). */
  readonly corner?: 'left' | 'right';
}

interface MachineSnapshot {
  readonly value: unknown;
  readonly context: Record<string, unknown>;
  readonly machine?: { readonly root: AnyStateNode };
}

const STYLE = `
.cention-inspector{position:fixed;bottom:12px;z-index:2147483647;width:min(440px,calc(100vw - 24px));max-height:70vh;overflow:auto;
  font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#0f172a;color:#e2e8f0;border-radius:8px;box-shadow:0 8px 30px rgba(0,0,0,.35)}
.cention-inspector header{display:flex;justify-content:space-between;align-items:center;padding:6px 10px;background:#1e293b;position:sticky;top:0}
.cention-inspector button{font:inherit;background:#334155;color:inherit;border:0;border-radius:4px;padding:2px 8px;cursor:pointer}
.cention-inspector section{padding:6px 10px;border-top:1px solid #1e293b}
.cention-inspector h3{margin:0 0 4px;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:#94a3b8}
.cention-inspector ul{list-style:none;margin:0;padding-left:12px}
.cention-inspector .state{color:#64748b}.cention-inspector .state.active{color:#facc15;font-weight:bold}
.cention-inspector .parallel>.name::after{content:' ∥';color:#64748b}
.cention-inspector .log li{display:flex;gap:8px}.cention-inspector .log time{color:#64748b}
.cention-inspector .user{color:#38bdf8}.cention-inspector .server{color:#4ade80}.cention-inspector .link{color:#f472b6}
.cention-inspector .reply{color:#a78bfa}.cention-inspector .other{color:#cbd5e1}
.cention-inspector dl{display:grid;grid-template-columns:auto 1fr;gap:0 10px;margin:0}.cention-inspector dt{color:#94a3b8}
.cention-inspector dd{margin:0;overflow-wrap:anywhere}`;

/** A document or shadow root, which can adopt constructed stylesheets. */
type StyleRoot = Node & { adoptedStyleSheets: CSSStyleSheet[] };

/**
 * Gives the panel its look through a constructed stylesheet adopted by the root it sits in: a
 * page with a strict Content-Security-Policy (no `'unsafe-inline'` styles) blocks a `<style>`
 * element but lets this apply. Returns what takes it back.
 */
function adoptStyle(parent: HTMLElement): () => void {
  const root = parent.getRootNode();
  // The shadow root or document the panel sits in; a parent not in any yet: its document.
  const target: StyleRoot = 'adoptedStyleSheets' in root ? (root as StyleRoot) : parent.ownerDocument;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
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

/** The paths of the active state nodes of a state value, e.g. `chat.live.session` (`""` is the root). */
function activePaths(value: unknown): Set<string> {
  const ids = new Set<string>(['']);
  const walk = (prefix: string, v: unknown) => {
    if (typeof v === 'string') {
      ids.add(prefix ? `${prefix}.${v}` : v);
      return;
    }
    if (typeof v === 'object' && v !== null) {
      for (const [key, inner] of Object.entries(v)) {
        const path = prefix ? `${prefix}.${key}` : key;
        ids.add(path);
        walk(path, inner);
      }
    }
  };
  walk('', value);
  return ids;
}

function sourceOf(type: string): string {
  const head = type.split('.')[0] ?? '';
  return ['user', 'server', 'link', 'reply'].includes(head) ? head : 'other';
}

function summary(context: Record<string, unknown>): [string, string][] {
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
 * ```
 */
export function createInspectorPanel(options: InspectorPanelOptions = {}): InspectorPanel {
  const maxEvents = options.maxEvents ?? 60;
  const element = el('aside', 'cention-inspector');
  element.style[options.corner === 'right' ? 'right' : 'left'] = '12px';
  element.setAttribute('aria-label', 'Chat state inspector');
  const header = el('header');
  const title = el('strong', '', 'cention-chat statechart');
  const toggle = el('button', '', 'hide');
  header.append(title, toggle);
  const statesSection = el('section');
  const contextSection = el('section');
  const logSection = el('section');
  statesSection.append(el('h3', '', 'states'));
  contextSection.append(el('h3', '', 'context'));
  logSection.append(el('h3', '', 'events'));
  const tree = el('div');
  const facts = el('dl');
  const log = el('ul', 'log');
  statesSection.append(tree);
  contextSection.append(facts);
  logSection.append(log);
  element.append(header, statesSection, contextSection, logSection);
  const parent = options.parent ?? document.body;
  parent.append(element);
  const dropStyle = adoptStyle(parent);
  toggle.addEventListener('click', () => {
    const hidden = statesSection.hidden;
    for (const section of [statesSection, contextSection, logSection]) section.hidden = !hidden;
    toggle.textContent = hidden ? 'hide' : 'show';
  });

  let rootSessionId: string | undefined;
  let nodes: Map<string, HTMLElement> | undefined;

  const drawTree = (root: AnyStateNode) => {
    nodes = new Map();
    const draw = (node: AnyStateNode): HTMLElement => {
      const item = el('li', `state${node.type === 'parallel' ? ' parallel' : ''}`);
      item.append(el('span', 'name', node.key));
      nodes!.set(node.path.join('.'), item);
      const children = Object.values(node.states) as AnyStateNode[];
      if (children.length > 0) {
        const list = el('ul');
        for (const child of children) list.append(draw(child));
        item.append(list);
      }
      return item;
    };
    const top = el('ul');
    top.append(draw(root));
    tree.replaceChildren(top);
  };

  const show = (snapshot: MachineSnapshot) => {
    const root = snapshot.machine?.root;
    if (!root) return;
    if (!nodes) drawTree(root);
    const active = activePaths(snapshot.value);
    for (const [path, item] of nodes!) item.classList.toggle('active', active.has(path));
    facts.replaceChildren(...summary(snapshot.context).flatMap(([term, detail]) => [el('dt', '', term), el('dd', '', detail)]));
  };

  const inspect = (event: InspectionEvent) => {
    const isRoot = event.actorRef.sessionId === event.rootId;
    if (!isRoot) return;
    rootSessionId ??= event.rootId;
    if (event.type === '@xstate.snapshot') show(event.snapshot as unknown as MachineSnapshot);
    if (event.type === '@xstate.event' && event.actorRef.sessionId === rootSessionId) {
      const type = event.event.type;
      const line = el('li');
      line.append(el('time', '', new Date().toISOString().slice(11, 23)), el('span', sourceOf(type), type));
      log.prepend(line);
      while (log.childElementCount > maxEvents) log.lastElementChild?.remove();
    }
  };

  return {
    inspect,
    element,
    dispose: () => {
      element.remove();
      dropStyle();
    },
  };
}
