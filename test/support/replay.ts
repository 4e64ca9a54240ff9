import type { InspectionEvent } from 'xstate';
import type { ChatSnapshot } from '../../machines';

/** Session secrets, which every recording replaces: compared by their length. */
const SECRETS = new Set(['sessionSecret', 'resumeSecret']);

/**
 * A snapshot as a replay must reproduce it: states, status, the whole context (transcript and
 * delivered ids included, secrets by their length) and which children run.
 */
export function canonical(snapshot: ChatSnapshot): unknown {
  const { context } = snapshot;
  const transcript = context.transcript.toArray();
  const ids = [...transcript.map((m) => m.id), ...context.outbox.flatMap((e) => (e.messageId === undefined ? [] : [e.messageId]))];
  const plain = {
    value: snapshot.value,
    status: snapshot.status,
    context: { ...context, transcript, delivered: { size: context.delivered.size, of: ids.filter((id) => context.delivered.has(id)) } },
    children: Object.keys(snapshot.children).sort(),
  };
  return JSON.parse(JSON.stringify(plain, (key, value: unknown) => (SECRETS.has(key) && typeof value === 'string' ? `a secret of ${value.length}` : value))) as unknown;
}

/** The same, with every string replaced by its length: what a redacted replay must reproduce. */
export function shapeOf(snapshot: ChatSnapshot): unknown {
  const lengths = (value: unknown): unknown =>
    typeof value === 'string' ? value.length : Array.isArray(value) ? value.map(lengths) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lengths(v)])) : value;
  const { value, children, ...rest } = canonical(snapshot) as { value: unknown; children: unknown };
  return { value, children, ...(lengths(rest) as object) };
}

/**
 * An inspector that keeps the live chat's snapshot after each input it took: what the root actor
 * was after every event but its own start and stop, in order.
 */
export function liveSnapshots(): { readonly inspect: (event: InspectionEvent) => void; readonly snapshots: ChatSnapshot[] } {
  const snapshots: ChatSnapshot[] = [];
  return {
    snapshots,
    inspect: (event) => {
      if (event.type !== '@xstate.snapshot' || event.actorRef.sessionId !== event.rootId) return;
      if (event.event.type === 'xstate.init' || event.event.type === 'xstate.stop') return;
      snapshots.push(event.snapshot as ChatSnapshot);
    },
  };
}
