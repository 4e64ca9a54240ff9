/**
 * Draws a statechart as an SVG, from the machine itself: its states (nested, parallel regions
 * side by side), its initial states and every transition that leads somewhere, labelled with its
 * event and guard. ELK (elkjs, a dev dependency) lays it out; this file only measures the text
 * and writes the SVG. The output is deterministic: the same machine gives the same bytes, so a
 * test can tell when the committed picture no longer matches the machine.
 *
 * Transitions that stay where they are (actions only, refusals) are not drawn: they would bury
 * the lifecycle under the dozens of events each state answers in place.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkLabel, ElkNode } from 'elkjs/lib/elk-api';
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import type { DrawnEdge, StatechartDrawing, SvgNode } from '../../core/devtools/drawing';

/** How the picture is titled and which states it shows as the lifecycle that users know. */
export interface DrawOptions {
  /** The line at the top of the picture. */
  readonly title: string;
  /** Ids of the states drawn as the lifecycle (filled, bold). */
  readonly lifecycle?: readonly string[];
}

/** One drawn arrow: where from, where to, and its label lines (`event [guard]`). */
export interface DrawnTransition {
  readonly source: string;
  readonly target: string;
  readonly events: readonly string[];
  /** The event types behind the labels (`xstate.after.…` for a delay, `""` for an eventless one). */
  readonly eventTypes: readonly string[];
}

// ------------------------------------------------------------------ measuring text

const FONT = `'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace`;
/** Advance of one character of a monospace font, in ems: every font above is within 1% of it. */
const ADVANCE = 0.602;
const NAME_SIZE = 13;
const EVENT_SIZE = 10.5;
const NOTE_SIZE = 10;
const LINE = 1.3;

function textWidth(text: string, size: number): number {
  return Math.ceil([...text].length * size * ADVANCE);
}

// ------------------------------------------------------------------ reading the machine

/** What a transition's guard says, for a label: `replyOk`, `replyIs 'offline'`. */
function guardText(guard: AnyTransitionDefinition['guard']): string {
  if (guard === undefined) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';
  const { type, params } = guard as { type: string; params?: Record<string, unknown> };
  const values = params && typeof params === 'object' ? Object.values(params).map((v) => `'${String(v)}'`) : [];
  return [type, ...values].join(' ');
}

/** An event's name as people read it: `after closeGrace` for a delayed transition, `always` for an eventless one. */
function eventText(eventType: string): string {
  if (eventType === '') return 'always';
  const delayed = /^xstate\.after\.([^.]+)\./.exec(eventType);
  return delayed ? `after ${delayed[1]}` : eventType;
}

function children(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states) as AnyStateNode[];
}

/** Every transition of a state node that leads to a state (its own, eventless ones included), in definition order. */
export function drawnTransitions(root: AnyStateNode): DrawnTransition[] {
  const byPair = new Map<string, { source: string; target: string; events: string[]; eventTypes: string[] }>();
  const visit = (node: AnyStateNode) => {
    for (const candidates of [...node.transitions.values(), node.always ?? []]) candidates.forEach((t, i) => {
      // The last of several candidates for one event, without a guard of its own, is taken when no guard before it held.
      const otherwise = t.guard === undefined && candidates.slice(0, i).some((c) => c.guard !== undefined);
      for (const target of t.target ?? []) {
        const key = `${node.id}\u0000${target.id}`;
        const entry = byPair.get(key) ?? { source: node.id, target: target.id, events: [], eventTypes: [] };
        if (!entry.eventTypes.includes(t.eventType)) entry.eventTypes.push(t.eventType);
        const guard = otherwise ? 'else' : guardText(t.guard);
        const text = eventText(t.eventType) + (guard ? ` [${guard}]` : '');
        if (!entry.events.includes(text)) entry.events.push(text);
        byPair.set(key, entry);
      }
    });
    for (const child of children(node)) visit(child);
  };
  visit(root);
  return [...byPair.values()];
}

/** The small print of a state: what it runs while active and on entry. */
function notesOf(node: AnyStateNode): string[] {
  const notes: string[] = [];
  for (const invoke of node.invoke) notes.push(`invoke ${typeof invoke.src === 'string' ? invoke.src : invoke.id}`);
  const entry = node.entry.map((action) => (typeof action === 'string' ? action : (action as { type?: string }).type)).filter((name): name is string => typeof name === 'string' && !name.startsWith('xstate.'));
  if (entry.length > 0) notes.push(`entry ${entry.join(', ')}`);
  return notes;
}

// ------------------------------------------------------------------ laying out

const TITLE_HEIGHT = Math.ceil(NAME_SIZE * LINE) + 8;
const PAD = 14;

interface Drawn {
  readonly node: AnyStateNode;
  readonly notes: readonly string[];
}

/** The state whose ELK node holds an edge: the nearest common ancestor of its ends (or the source, if it holds the target). */
function containerOf(source: AnyStateNode, target: AnyStateNode): AnyStateNode {
  if (source === target) return source.parent ?? source;
  const up = new Set<AnyStateNode>();
  for (let at: AnyStateNode | undefined = source; at; at = at.parent) up.add(at);
  for (let at: AnyStateNode | undefined = target; at; at = at.parent) if (up.has(at)) return at;
  return source;
}

function elkNode(node: AnyStateNode, drawn: Map<string, Drawn>, edgesOf: Map<AnyStateNode, ElkExtendedEdge[]>, joinsOf: Map<AnyStateNode, string[]>): ElkNode {
  const edges = edgesOf.get(node) ?? [];
  const notes = notesOf(node);
  drawn.set(node.id, { node, notes });
  const kids = children(node);
  const nameWidth = textWidth(node.key, NAME_SIZE);
  const notesWidth = Math.max(0, ...notes.map((n) => textWidth(n, NOTE_SIZE)));
  if (kids.length === 0) {
    return {
      id: node.id,
      width: Math.max(nameWidth, notesWidth) + 2 * PAD,
      height: Math.ceil(NAME_SIZE * LINE + notes.length * NOTE_SIZE * LINE) + 18,
    };
  }
  const elkChildren = [...kids.map((child) => elkNode(child, drawn, edgesOf, joinsOf)), ...(joinsOf.get(node) ?? []).map((id) => ({ id, width: 6, height: 6 }))];
  // Parallel regions are stacked in the order written (an edge that is not drawn), which keeps
  // the picture narrow; they are told apart from states by their dashed border.
  if (node.type === 'parallel') {
    kids.slice(1).forEach((kid, i) => edges.push({ id: `${node.id}#stack${i}`, sources: [kids[i]!.id], targets: [kid.id] }));
  }
  const initial = node.type === 'compound' ? node.initial.target[0] : undefined;
  if (initial) {
    elkChildren.unshift({ id: `${node.id}#initial`, width: 10, height: 10 });
    edges.push({ id: `${node.id}#initial->`, sources: [`${node.id}#initial`], targets: [initial.id] });
  }
  const header = TITLE_HEIGHT + Math.ceil(notes.length * NOTE_SIZE * LINE);
  return {
    id: node.id,
    children: elkChildren,
    edges,
    layoutOptions: {
      'elk.padding': `[top=${header + 10},left=${PAD},bottom=${PAD},right=${PAD}]`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${Math.max(nameWidth + 60, notesWidth) + 2 * PAD}, ${header + 30})`,
      // Stacked regions line up on the left.
      ...(node.parent?.type === 'parallel' ? { 'elk.alignment': 'LEFT' } : {}),
    },
  };
}

function edgeLabel(lines: readonly string[]): ElkLabel {
  return {
    text: lines.join('\n'),
    width: Math.max(...lines.map((l) => textWidth(l, EVENT_SIZE))) + 6,
    height: Math.ceil(lines.length * EVENT_SIZE * LINE) + 2,
  };
}

const LAYOUT = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.json.edgeCoords': 'ROOT',
  'elk.json.shapeCoords': 'ROOT',
  'elk.randomSeed': '1',
};

// ------------------------------------------------------------------ writing the SVG

const COLORS = {
  ink: '#1f2933',
  muted: '#52606d',
  line: '#7b8794',
  box: '#ffffff',
  compound: '#f5f7fa',
  region: '#fbfcfd',
  lifecycle: '#dbeafe',
  lifecycleInk: '#1e40af',
  arrow: '#3e4c59',
  label: '#7c2d12',
} as const;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An element tree as SVG text: the picture's top-level elements one a line, each state's shapes on its own. */
export function svgText(node: SvgNode, depth = 0): string {
  const [tag, attributes, ...children] = node;
  const open = `<${tag}${Object.entries(attributes).map(([name, value]) => ` ${name}="${esc(value)}"`).join('')}`;
  if (children.length === 0) return `${open}/>`;
  const inner = children.map((child) => (typeof child === 'string' ? esc(child) : svgText(child, depth + 1)));
  const lines = depth < 1 || (tag === 'g' && children.some((child) => typeof child !== 'string' && child[0] === 'g'));
  return lines ? `${open}>\n${inner.join('\n')}\n</${tag}>${depth === 0 ? '\n' : ''}` : `${open}>${inner.join('')}</${tag}>`;
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

interface Placed {
  x: number;
  y: number;
  width: number;
  height: number;
}

function placed(shape: { x?: number; y?: number; width?: number; height?: number }): Placed {
  return { x: shape.x ?? 0, y: shape.y ?? 0, width: shape.width ?? 0, height: shape.height ?? 0 };
}

/** The key under the title: what the shapes mean, and what is left out. */
function legendOf(x: number, y: number): SvgNode[] {
  const out: SvgNode[] = [];
  const text = (at: number, line: string, dy = 0) => out.push(['text', { x: n(at), y: n(y + dy + 4), 'font-size': String(NOTE_SIZE + 1), fill: COLORS.muted }, line]);
  let at = x;
  out.push(['rect', { x: String(at), y: String(y - 8), width: '22', height: '14', rx: '4', fill: COLORS.lifecycle, stroke: COLORS.lifecycleInk, 'stroke-width': '2' }]);
  text((at += 28), 'the lifecycle users know');
  at += textWidth('the lifecycle users know', NOTE_SIZE + 1) + 24;
  out.push(['rect', { x: String(at), y: String(y - 8), width: '22', height: '14', rx: '4', fill: COLORS.region, stroke: COLORS.line, 'stroke-dasharray': '6 4' }]);
  text((at += 28), 'regions that run side by side');
  at += textWidth('regions that run side by side', NOTE_SIZE + 1) + 24;
  out.push(['circle', { cx: String(at + 5), cy: String(y - 1), r: '5', fill: COLORS.ink }]);
  text((at += 16), 'initial state');
  at += textWidth('initial state', NOTE_SIZE + 1) + 24;
  out.push(['path', { d: `M${at} ${y - 1} L${at + 26} ${y - 1}`, stroke: COLORS.arrow, 'stroke-width': '1.2', 'marker-end': 'url(#arrow)' }]);
  text((at += 32), 'event [guard]; [else]: when no guard before it held');
  text(x, 'Not drawn: the transitions that stay in their state (they only run actions, or refuse a command with a typed error).', 18);
  return out;
}

/**
 * Lays out `machine` and draws it: the picture as an SVG element tree, and for each arrow the
 * transitions it stands for. Each state's shapes carry `data-state` (its path, `chat.live.session`) and each arrow's
 * `data-edge`, so that an inspector can light up what is active and what was just taken.
 */
export async function layoutStatechart(machine: AnyStateMachine, options: DrawOptions): Promise<StatechartDrawing> {
  const lifecycle = new Set(options.lifecycle ?? []);
  const drawn = new Map<string, Drawn>();
  const edgesOf = new Map<AnyStateNode, ElkExtendedEdge[]>();
  // The chart is written in the order of the lifecycle: a transition to a state written before
  // its source goes back. ELK is given it forwards (so that the layers follow the chart's order
  // whatever cycles the chart has) and it is drawn with its arrowhead turned round.
  const byId = new Map<string, AnyStateNode>();
  const order = new Map<string, number>();
  const index = (node: AnyStateNode) => {
    byId.set(node.id, node);
    order.set(node.id, order.size);
    children(node).forEach(index);
  };
  index(machine.root);
  const backwards = new Set<string>();
  // Arrows with the same label into the same state from several states are drawn as one that
  // joins them, labelled once (\`user.start\` from every state where no chat runs).
  const joined = new Map<string, { sources: string[]; target: string; events: readonly string[]; eventTypes: Set<string>; container: AnyStateNode; back: boolean }>();
  for (const t of drawnTransitions(machine.root)) {
    const container = containerOf(byId.get(t.source)!, byId.get(t.target)!);
    const back = order.get(t.target)! < order.get(t.source)!;
    const key = [t.target, container.id, back, ...t.events].join('\u0000');
    const entry = joined.get(key) ?? { sources: [], target: t.target, events: t.events, eventTypes: new Set<string>(), container, back };
    entry.sources.push(t.source);
    for (const type of t.eventTypes) entry.eventTypes.add(type);
    joined.set(key, entry);
  }
  const plain = new Set<string>();
  // The branch of a joined arrow that leaves each source, so that only the one taken lights up.
  const branchFrom = new Map<string, string>();
  const joins: { id: string; container: AnyStateNode }[] = [];
  const edges: DrawnEdge[] = [];
  [...joined.values()].forEach((t, i) => {
    const pathOf = (id: string) => byId.get(id)!.path.join('.');
    edges.push({ edge: `t${i}`, sources: t.sources.map(pathOf), target: pathOf(t.target), eventTypes: [...t.eventTypes] });
    const list = edgesOf.get(t.container) ?? [];
    edgesOf.set(t.container, list);
    // ELK lays out no hyperedges across levels: several sources meet at a join point first.
    const from = t.sources.length === 1 ? t.sources[0]! : `join:${i}`;
    if (t.sources.length > 1) {
      joins.push({ id: from, container: t.container });
      t.sources.forEach((source, j) => {
        const id = `t${i}.${j}`;
        plain.add(id);
        branchFrom.set(id, source);
        list.push(t.back ? { id, sources: [from], targets: [source] } : { id, sources: [source], targets: [from] });
      });
    }
    if (t.back) backwards.add(`t${i}`);
    list.push({ id: `t${i}`, sources: [t.back ? t.target : from], targets: [t.back ? from : t.target], labels: [edgeLabel(t.events)] });
  });
  const joinsOf = new Map<AnyStateNode, string[]>();
  for (const { id, container } of joins) joinsOf.set(container, [...(joinsOf.get(container) ?? []), id]);
  const top = elkNode(machine.root, drawn, edgesOf, joinsOf);
  const graph: ElkNode = { id: 'picture', layoutOptions: LAYOUT, children: [top] };
  const laid = await new ELK().layout(graph);

  const shapes: SvgNode[] = [];
  const arrows: SvgNode[] = [];
  const labels: SvgNode[] = [];
  const drawNode = (node: ElkNode) => {
    const box = placed(node);
    if (node.id.startsWith('join:')) {
      shapes.push(['circle', { cx: n(box.x + box.width / 2), cy: n(box.y + box.height / 2), r: '3', fill: COLORS.arrow }]);
      return;
    }
    if (node.id.endsWith('#initial')) {
      shapes.push(['circle', { cx: n(box.x + box.width / 2), cy: n(box.y + box.height / 2), r: '5', fill: COLORS.ink }]);
      return;
    }
    const state = drawn.get(node.id);
    if (!state) return;
    const { node: stateNode, notes } = state;
    const compound = (node.children ?? []).length > 0;
    const region = stateNode.parent?.type === 'parallel';
    const isLifecycle = lifecycle.has(stateNode.id);
    const fill = isLifecycle ? COLORS.lifecycle : compound ? (region ? COLORS.region : COLORS.compound) : COLORS.box;
    const stroke = isLifecycle ? COLORS.lifecycleInk : COLORS.line;
    const title = stateNode.parent ? stateNode.key : `${stateNode.key}${stateNode.type === 'parallel' ? ' (parallel)' : ''}`;
    const weight = isLifecycle || compound ? 'bold' : 'normal';
    const ink = isLifecycle ? COLORS.lifecycleInk : COLORS.ink;
    const parts: SvgNode[] = [
      ['rect', { x: n(box.x), y: n(box.y), width: n(box.width), height: n(box.height), rx: compound ? '10' : '8', fill, stroke, 'stroke-width': isLifecycle ? '2' : '1.2', ...(region ? { 'stroke-dasharray': '6 4' } : {}) }],
    ];
    if (compound) {
      parts.push(['text', { x: n(box.x + PAD), y: n(box.y + NAME_SIZE + 8), 'font-size': String(NAME_SIZE), 'font-weight': weight, fill: ink }, title]);
      notes.forEach((note, i) => parts.push(['text', { x: n(box.x + PAD), y: n(box.y + TITLE_HEIGHT + (i + 0.8) * NOTE_SIZE * LINE), 'font-size': String(NOTE_SIZE), fill: COLORS.muted }, note]));
    } else {
      const cx = box.x + box.width / 2;
      parts.push(['text', { x: n(cx), y: n(box.y + 9 + NAME_SIZE), 'font-size': String(NAME_SIZE), 'font-weight': weight, 'text-anchor': 'middle', fill: ink }, title]);
      notes.forEach((note, i) => parts.push(['text', { x: n(cx), y: n(box.y + 9 + NAME_SIZE * LINE + (i + 0.9) * NOTE_SIZE * LINE), 'font-size': String(NOTE_SIZE), 'text-anchor': 'middle', fill: COLORS.muted }, note]));
    }
    shapes.push(['g', { 'data-state': stateNode.path.join('.'), ...(compound ? {} : { class: 'leaf' }) }, ...parts]);
    for (const child of node.children ?? []) drawNode(child);
  };
  for (const child of laid.children ?? []) drawNode(child);

  const allEdges: ElkExtendedEdge[] = [];
  const gather = (node: ElkNode) => {
    allEdges.push(...(node.edges ?? []));
    (node.children ?? []).forEach(gather);
  };
  gather(laid);
  for (const edge of allEdges.filter((e) => !e.id.includes('#stack'))) {
    // The arrows of one transition share its id: `t3`, and `t3.0`, `t3.1` from each source to its join.
    const owner = /^t\d+/.exec(edge.id)?.[0];
    const from = branchFrom.get(edge.id);
    const tag = owner ? { 'data-edge': owner, ...(from ? { 'data-from': byId.get(from)!.path.join('.') } : {}) } : {};
    for (const section of edge.sections ?? []) {
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
      const head = plain.has(edge.id) ? {} : { [backwards.has(edge.id) ? 'marker-start' : 'marker-end']: 'url(#arrow)' };
      arrows.push(['path', { d: `M${points.map((p) => `${n(p.x)} ${n(p.y)}`).join(' L')}`, fill: 'none', stroke: COLORS.arrow, 'stroke-width': '1.2', ...head, ...tag }]);
    }
    for (const label of edge.labels ?? []) {
      const box = placed(label);
      const lines = (label.text ?? '').split('\n');
      labels.push([
        'g',
        { class: 'label', ...tag },
        ['rect', { x: n(box.x), y: n(box.y), width: n(box.width), height: n(box.height), rx: '3', fill: '#ffffff', 'fill-opacity': '0.9' }],
        ...lines.map((line, i): SvgNode => ['text', { x: n(box.x + 3), y: n(box.y + (i + 0.82) * EVENT_SIZE * LINE + 1), 'font-size': String(EVENT_SIZE), fill: COLORS.label }, line]),
      ]);
    }
  }

  const size = placed(laid);
  const margin = 16;
  const header = 70;
  const width = size.width + 2 * margin;
  const height = size.height + 2 * margin + header;
  const svg: SvgNode = [
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${n(width)} ${n(height)}`, width: n(width), height: n(height), 'font-family': FONT, role: 'img', 'aria-label': options.title },
    ['title', {}, options.title],
    ['defs', {}, ['marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '8.4', markerHeight: '8.4', markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, ['path', { d: 'M0 0 L10 5 L0 10 z', fill: COLORS.arrow }]]],
    ['rect', { width: '100%', height: '100%', fill: '#ffffff' }],
    ['text', { x: String(margin), y: String(margin + 14), 'font-size': '14', 'font-weight': 'bold', fill: COLORS.ink }, options.title],
    ...legendOf(margin, margin + 40),
    ['g', { transform: `translate(${margin} ${margin + header})` }, ...shapes, ...arrows, ...labels],
  ];
  return { svg, edges };
}

/** Lays out and draws `machine` as an SVG document. */
export async function drawStatechart(machine: AnyStateMachine, options: DrawOptions): Promise<string> {
  return svgText((await layoutStatechart(machine, options)).svg);
}
