/**
 * Running a callback once the tasks already waiting have run: how the link gathers the server
 * events of a burst into one batch.
 *
 * A browser hands each WebSocket message to the page as a task of its own, with a microtask
 * checkpoint after each, so work put off to a microtask sees one message at a time: in a flood
 * every message would cost the chat a transition of its own. A task posted to a
 * `MessageChannel` runs after the message tasks queued before it (Chromium, measured in
 * docs/benchmarks.md: 20,000 messages came to 20,000 microtask batches, or to 56 to 73 channel
 * batches), and unlike `setTimeout` it is neither clamped nor throttled in a hidden tab, where
 * the customer's unread count and notifications still need each message at once. Node has
 * `setImmediate`, which runs once the network reads of the event loop's turn have been handled.
 * Where neither is there, a microtask.
 *
 * @module
 */

type Run = () => void;

/** What waits for the next turn, in the order it was put off; undefined when nothing waits. */
let waiting: Run[] | undefined;
let post: Run | undefined;

function runWaiting(): void {
  const ready = waiting ?? [];
  waiting = undefined;
  for (const run of ready) {
    try {
      run();
    } catch (error) {
      // One caller's failure must not keep the others waiting: it is thrown on its own.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

function poster(): Run {
  const host = globalThis as { setImmediate?: (run: Run) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof host.setImmediate === 'function') {
    const setImmediate = host.setImmediate;
    return () => void setImmediate(runWaiting);
  }
  if (typeof host.MessageChannel === 'function') {
    const channel = new host.MessageChannel();
    channel.port1.onmessage = runWaiting;
    return () => channel.port2.postMessage(0);
  }
  return () => queueMicrotask(runWaiting);
}

/** Runs `run` once, after the tasks the page or the process has already queued. */
export function afterQueuedTasks(run: Run): void {
  if (waiting) {
    waiting.push(run);
    return;
  }
  waiting = [run];
  (post ??= poster())();
}
