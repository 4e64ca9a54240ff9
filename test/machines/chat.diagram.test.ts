import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { chatMachine } from '../../machines';
import { chatStatechartModule, drawChatStatechart, LIFECYCLE, STATECHART_DRAWING, STATECHART_SVG } from '../../docs/tools/chat-statechart';
import { CHAT_STATECHART } from '../../core/devtools/chat-statechart.drawing';
import { drawnTransitions } from '../../docs/tools/statechart';

/** The text of every `<text>` element of an SVG, unescaped. */
function textsOf(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(([, text]) => (text ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

describe('the picture of the statechart (docs/statechart.svg)', () => {
  const drawn = drawChatStatechart();

  it('is what `npm run diagram` draws from the machine as it is now', async () => {
    const committed = readFileSync(STATECHART_SVG, 'utf8');
    // On a mismatch: the chart changed and the picture did not. Run `npm run diagram` and commit docs/statechart.svg.
    expect(committed === (await drawn), 'docs/statechart.svg is out of date: run `npm run diagram`').toBe(true);
  });

  it('is laid out for the inspector as `npm run diagram` lays it out now', async () => {
    const committed = readFileSync(STATECHART_DRAWING, 'utf8');
    expect(committed === (await chatStatechartModule()), 'core/devtools/chat-statechart.drawing.ts is out of date: run `npm run diagram`').toBe(true);
  });

  it('tells the inspector, for every arrow it draws, which events take it from where to where', () => {
    const paths = new Set([chatMachine.root, ...getStateNodes(chatMachine.root)].map((node) => node.path.join('.')));
    const ends = CHAT_STATECHART.edges.flatMap((edge) => [edge.target, ...edge.sources]);
    expect(ends.filter((path) => !paths.has(path))).toEqual([]);
    expect(CHAT_STATECHART.edges.filter((edge) => edge.eventTypes.length === 0)).toEqual([]);
    expect(CHAT_STATECHART.edges.flatMap((edge) => edge.eventTypes)).toEqual(expect.arrayContaining(['user.start', 'reply.register', 'server.queue']));
  });

  it('comes out the same twice', async () => {
    expect(await drawChatStatechart()).toBe(await drawn);
  });

  it('names every state of the chart', async () => {
    const texts = new Set(textsOf(await drawn));
    const missing = getStateNodes(chatMachine.root).filter((node) => !texts.has(node.key));
    expect(missing.map((node) => node.id)).toEqual([]);
  });

  it('labels every transition that leads to a state with its event', async () => {
    const texts = new Set(textsOf(await drawn));
    const transitions = drawnTransitions(chatMachine.root);
    const missing = transitions.flatMap((t) => t.events).filter((label) => !texts.has(label));
    expect(missing).toEqual([]);
    expect(transitions.length).toBeGreaterThan(40);
  });

  it('shows the lifecycle users know with states the machine has', () => {
    const ids = new Set([chatMachine.root, ...getStateNodes(chatMachine.root)].map((node) => node.id));
    expect(LIFECYCLE.filter((id) => !ids.has(id))).toEqual([]);
  });
});
