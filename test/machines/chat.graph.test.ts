import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getShortestPaths, getStateNodes } from 'xstate/graph';
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { chatMachine } from '../../machines';
import type { ChatEvent, ChatSnapshot } from '../../machines';
import { events, serialize } from './graph-events';
import { harness } from './harness';

const traversal = { events, serializeState: serialize as (snapshot: unknown) => string, limit: 2_000_000 };
// The graph helpers' types do not follow machines that emit events; the walk itself does.
const logic = chatMachine as unknown as Parameters<typeof getAdjacencyMap>[0];

function transitionKey(source: AnyStateNode, transition: AnyTransitionDefinition, kind: string): string {
  const candidates = kind === 'always' ? (source.always ?? []) : (source.transitions.get(transition.eventType) ?? []);
  return `${source.id} ${kind === 'always' ? 'always' : transition.eventType} #${candidates.indexOf(transition)}`;
}

/** Every transition the machine defines, eventless ones included. */
function definedTransitions(): Map<string, AnyTransitionDefinition> {
  const all = new Map<string, AnyTransitionDefinition>();
  for (const node of [chatMachine.root, ...getStateNodes(chatMachine.root)]) {
    for (const candidates of node.transitions.values()) for (const t of candidates) all.set(transitionKey(node, t, 'event'), t);
    for (const t of node.always ?? []) all.set(transitionKey(node, t, 'always'), t);
  }
  return all;
}

/** The state value that a state node stands for, to ask `snapshot.matches` with. */
function valueOf(node: AnyStateNode): unknown {
  return node.path.reduceRight<unknown>((inner, key) => (inner === undefined ? key : { [key]: inner }), undefined);
}

describe('the statechart, walked as a graph', () => {
  const adjacency = getAdjacencyMap(logic, traversal);
  const reached = Object.values(adjacency).map((entry) => entry.state as ChatSnapshot);
  const paths = getShortestPaths(logic, traversal);

  it('rests in every state node but the transient one', () => {
    const nodes = getStateNodes(chatMachine.root).filter((node) => !(node.always ?? []).some((t) => !t.guard));
    const missing = nodes.filter((node) => !reached.some((snapshot) => snapshot.matches(valueOf(node) as never)));
    expect(missing.map((node) => node.id)).toEqual([]);
    expect(nodes.length).toBeGreaterThan(20);
  });

  it('takes every transition it defines', () => {
    const defined = definedTransitions();
    const taken = new Set<string>();
    for (const entry of Object.values(adjacency)) {
      for (const { event } of Object.values(entry.transitions) as { event: unknown }[]) {
        for (const t of chatMachine.getTransitionData(entry.state as ChatSnapshot, event as ChatEvent)) taken.add(transitionKey(t.source, t, 'event'));
      }
    }
    // Eventless transitions fire inside a macrostep: watch for them while replaying every path.
    for (const path of paths) {
      const h = harness({}, (inspection) => {
        if (inspection.type !== '@xstate.microstep') return;
        for (const t of inspection._transitions) if (t.eventType === '') taken.add(transitionKey(t.source, t, 'always'));
      });
      for (const step of path.steps) h.send(step.event as ChatEvent);
    }
    const missing = [...defined.keys()].filter((key) => !taken.has(key));
    expect(missing).toEqual([]);
    expect(defined.size).toBeGreaterThan(100);
  });

  it('goes where the graph says when a real actor replays each shortest path', () => {
    expect(paths.length).toBe(reached.length);
    for (const path of paths) {
      const h = harness();
      for (const step of path.steps) h.send(step.event as ChatEvent);
      expect(serialize(h.actor.getSnapshot())).toBe(serialize(path.state as ChatSnapshot));
      expect(h.errors).toEqual([]);
    }
  });
});
