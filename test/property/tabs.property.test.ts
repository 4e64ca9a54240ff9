/**
 * Model-based test of tab sharing: fast-check writes random scripts of tabs that open, tabs
 * that close (the leading one among them: a leader that dies mid-traffic), messages sent from
 * any tab and agent messages, against the reference server, with the Web Locks of one browser
 * (FakeLocks) and Node's BroadcastChannel; and chats closed and started again, after which every
 * tab's log begins at a start (core/tabs keeps it from the start before last given at rest), so
 * a tab that opens later, or a new leader, goes on from there. Whatever the script, at its end:
 *
 * - every message a tab sent is stored by the server exactly once, even when the tab that sent
 *   it, or the tab that held the socket, closed right after;
 * - every tab left shows the server's transcript, each message once, and has the same machine
 *   (states, context, children) as the others, however it came by its log;
 * - the server sees one socket for the chat.
 *
 * A tab opens until it shows the chat: a tab that has not had the leader's log yet when the
 * leader dies knows of no chat (it takes the lead with a machine at rest), and what only the
 * dead leader held is lost, as it is when a tab without sharing closes.
 *
 * `PROPERTY_TABS_RUNS` (default 20) chooses how many scripts run; each runs on the real clock.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCentionChat } from '../../core';
import type { CentionChat } from '../../core';
import type { ChatServer } from '../../server';
import { startTestServer } from '../support/chat-server';
import { FakeLocks } from '../support/fake-locks';
import { machineStateOf, view } from '../core/support';

const RUNS = Number(process.env['PROPERTY_TABS_RUNS'] ?? 20);

type Step =
  | { readonly kind: 'open' }
  | { readonly kind: 'close'; readonly tab: number }
  | { readonly kind: 'send'; readonly tab: number }
  | { readonly kind: 'agent' }
  | { readonly kind: 'restart'; readonly tab: number }
  | { readonly kind: 'wait'; readonly ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'open' }),
  fc.nat(9).map<Step>((tab) => ({ kind: 'close', tab })),
  fc.nat(9).map<Step>((tab) => ({ kind: 'send', tab })),
  fc.nat(9).map<Step>((tab) => ({ kind: 'send', tab })),
  fc.constant<Step>({ kind: 'agent' }),
  fc.nat(9).map<Step>((tab) => ({ kind: 'restart', tab })),
  fc.integer({ min: 0, max: 60 }).map<Step>((ms) => ({ kind: 'wait', ms })),
);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tabs that open and close around one chat (property)', () => {
  let server: ChatServer;
  beforeAll(async () => {
    ({ server } = await startTestServer({ limits: false }));
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await server.close();
  });

  it('stores every message once and shows every tab left the same transcript', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 18 }), async (steps) => {
        // A browser of its own for every run: its locks, and its own chat on the server.
        vi.stubGlobal('navigator', { locks: new FakeLocks() });
        const tabs: CentionChat[] = [];
        const open = async () => {
          const tab = createCentionChat({ baseURL: server.baseURL, area: 1, storage: null, socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 } });
          tabs.push(tab);
          // A tab joins the chat from the leader's log: until it has, it knows of no chat (a
          // customer cannot write in a tab before it shows the chat).
          if (tabs.length > 1) await view(tab, (v) => v.session !== undefined);
          else await pause(15);
        };
        const sent: string[] = [];
        try {
          await open();
          let session = await tabs[0]!.start({ name: 'Ada', message: 'Hello' });
          server.agent.join(session.sessionId, 'Bea');
          const sessions = [session.sessionId];
          const stored = () => server.session(session.sessionId)!.transcript.map((m) => m.text);
          const storedInAny = () => sessions.flatMap((id) => server.session(id)!.transcript.map((m) => m.text));
          const allStored = () => expect.poll(() => sent.filter((text) => !storedInAny().includes(text)), { timeout: 10_000 }).toEqual([]);
          let n = 0;
          for (const s of steps) {
            switch (s.kind) {
              case 'open':
                if (tabs.length < 5) await open();
                break;
              case 'close':
                // The last tab stays: with none left, nobody holds the chat.
                if (tabs.length > 1) tabs.splice(s.tab % tabs.length, 1)[0]!.stop();
                break;
              case 'send': {
                const text = `Message ${++n}`;
                const tab = tabs[s.tab % tabs.length]!;
                if (!tab.getSnapshot().canSend) break;
                sent.push(text);
                tab.send(text).sent.catch(() => undefined);
                break;
              }
              case 'agent':
                server.agent.say(session.sessionId, `Agent ${++n}`);
                break;
              case 'restart': {
                // Once what was written is stored, the chat closes and another starts, in any tab.
                const tab = tabs[s.tab % tabs.length]!;
                await allStored();
                for (const each of tabs) await view(each, (v) => v.outbox.length === 0);
                await tab.close();
                for (const each of tabs) await view(each, (v) => v.phase === 'finished');
                session = await tab.start({ name: 'Ada', message: `Hello again ${++n}` });
                server.agent.join(session.sessionId, 'Bea');
                sessions.push(session.sessionId);
                break;
              }
              case 'wait':
                await pause(s.ms);
                break;
            }
          }
          // Every message reaches the server, and every tab left shows what the server has.
          await allStored();
          for (const tab of tabs) await view(tab, (v) => v.outbox.length === 0 && v.transcript.length === stored().length);
          for (const text of sent) expect(storedInAny().filter((t) => t === text), text).toHaveLength(1);
          for (const tab of tabs) expect([...tab.getSnapshot().transcript].map((m) => m.text)).toEqual(stored());
          // And every tab's machine is the same, however it came by its log.
          for (const tab of tabs.slice(1)) await vi.waitFor(() => expect(machineStateOf(tab)).toEqual(machineStateOf(tabs[0]!)));
          await expect.poll(() => server.session(session.sessionId)!.connectedSockets).toBe(1);
          server.agent.end(session.sessionId);
        } finally {
          for (const tab of tabs) tab.stop();
        }
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
