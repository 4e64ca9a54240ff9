/**
 * The statechart's picture as the inspector draws it: an SVG element tree laid out at docs time
 * (`npm run diagram`, by ELK, which never ships) and kept as data in `chat-statechart.drawing.ts`,
 * made into DOM here with `createElementNS` (no markup is parsed, so no policy of the page
 * objects), and lit up by state path and arrow id.
 *
 * @module
 */

/** An SVG element as data: its tag, its attributes, and its children (elements or text). */
export type SvgNode = readonly [tag: string, attributes: Readonly<Record<string, string>>, ...children: (SvgNode | string)[]];

/** One arrow of the picture and the transitions it stands for. */
export interface DrawnEdge {
  /** The id its shapes carry as `data-edge`. */
  readonly edge: string;
  /** The paths of the states it leaves (`chat.live.session`; several when arrows of one label join). */
  readonly sources: readonly string[];
  /** The path of the state it leads to. */
  readonly target: string;
  /** The events that take it: `user.start`, `xstate.after.closeGrace.cention.chat.live.closing`…; `""` for an eventless one. */
  readonly eventTypes: readonly string[];
}

/** A laid-out statechart: the picture and its arrows. */
export interface StatechartDrawing {
  readonly svg: SvgNode;
  readonly edges: readonly DrawnEdge[];
}

const SVG = 'http://www.w3.org/2000/svg';

/** Makes DOM of an element tree. */
export function toDom(node: SvgNode, document: Document): SVGElement {
  const [tag, attributes, ...children] = node;
  const element = document.createElementNS(SVG, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) element.append(typeof child === 'string' ? document.createTextNode(child) : toDom(child, document));
  return element;
}

/**
 * The arrows a step took: those of its event that lead into a state it entered from a state
 * that was active before it. A step whose event is one a state answers in place takes none.
 */
export function takenEdges(edges: readonly DrawnEdge[], eventType: string | undefined, before: ReadonlySet<string>, after: ReadonlySet<string>): DrawnEdge[] {
  if (eventType === undefined) return [];
  return edges.filter((e) => e.eventTypes.includes(eventType) && after.has(e.target) && e.sources.some((source) => before.has(source)));
}
