import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getShortestPaths, getStateNodes } from 'xstate/graph';
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { chatMachine } from '../../machines';
import type { ChatEvent, ChatSnapshot } from '../../machines';
import { events, serialize } from './graph-events';
import { harness } from './harness';
import { brokenInvariants } from './invariants';

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

/** Whether a state node is active in a snapshot (the root always is). */
function isActive(snapshot: ChatSnapshot, node: AnyStateNode): boolean {
  return node.path.length === 0 || snapshot.matches(valueOf(node) as never);
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

  it('reaches every state and takes every transition on a real actor, where the graph says, its invariants holding at every step', () => {
    const states = [chatMachine.root, ...getStateNodes(chatMachine.root)];
    const defined = definedTransitions();
    const entered = new Set<AnyStateNode>();
    const taken = new Set<string>();
    const broken = new Map<string, string>();
    /** Replays events on a real actor and records what it entered and took, and any invariant that broke. */
    const replay = (steps: readonly ChatEvent[]) => {
      const h = harness({}, (inspection) => {
        if (inspection.type !== '@xstate.microstep') return;
        for (const t of inspection._transitions) taken.add(transitionKey(t.source, t, t.eventType === '' ? 'always' : 'event'));
        // Every microstep, so that a state left at once (`deciding`) counts as entered too.
        for (const node of states) if (isActive(inspection.snapshot as ChatSnapshot, node)) entered.add(node);
      });
      for (const node of states) if (isActive(h.actor.getSnapshot(), node)) entered.add(node);
      steps.forEach((event, i) => {
        h.send(event);
        for (const sentence of brokenInvariants({ snapshot: h.actor.getSnapshot(), linkAlive: h.linkAlive })) {
          if (!broken.has(sentence)) broken.set(sentence, steps.slice(0, i + 1).map((e) => e.type).join(' → '));
        }
      });
      expect(h.errors).toEqual([]);
      return serialize(h.actor.getSnapshot());
    };
    // The shortest path to each state, then, for each transition not taken yet, the path to a state
    // where the graph says an event takes it, plus that event. The walk tells states apart by what
    // the guards read (`serialize`), so values no guard reads (the queue place, the transcript) are
    // held by the property test, under random traffic, rather than here.
    expect(paths.length).toBe(reached.length);
    for (const path of paths) expect(replay(path.steps.map((step) => step.event as ChatEvent))).toBe(serialize(path.state as ChatSnapshot));
    const pathTo = new Map(paths.map((path) => [serialize(path.state as ChatSnapshot), path]));
    for (const entry of Object.values(adjacency)) {
      for (const { event } of Object.values(entry.transitions) as { event: ChatEvent }[]) {
        const keys = chatMachine.getTransitionData(entry.state as ChatSnapshot, event).map((t) => transitionKey(t.source, t, 'event'));
        if (keys.every((key) => taken.has(key))) continue;
        const path = pathTo.get(serialize(entry.state as ChatSnapshot));
        if (path) replay([...path.steps.map((step) => step.event as ChatEvent), event]);
      }
    }

    const statesCovered = states.filter((node) => entered.has(node)).length;
    const transitionsCovered = [...defined.keys()].filter((key) => taken.has(key)).length;
    console.log(`statechart coverage: ${statesCovered}/${states.length} states, ${transitionsCovered}/${defined.size} transitions`);
    expect(Object.fromEntries(broken)).toEqual({});
    expect(states.filter((node) => !entered.has(node)).map((node) => node.id)).toEqual([]);
    expect([...defined.keys()].filter((key) => !taken.has(key))).toEqual([]);
  });
});
