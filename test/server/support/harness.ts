/**
 * One server per test on a free port with a manual clock, the test areas, a logger that
 * records instead of printing, and cleanup of every server and client after each test.
 */
import { afterEach } from 'vitest';
import type { AreaConfig, ChatServer, ServerOptions } from '../../../server';
import { startServer } from '../../../server';
import type { RegisterPayload, SessionInfo } from '../../../core/protocol';
import { readSessionInfo } from '../../../core/protocol';
import { PROJECT_ENGINE_IO } from '../../support/engine-io';
import { ManualClock } from '../../support/manual-clock';
import type { ClientKind, ConnectOptions } from './clients';
import { TestClient } from './clients';

export const KB = 1024;

/** Test areas: one per behaviour. Times are on the manual clock, which starts Monday 2026-01-05 10:00 UTC. */
export const AREAS = {
  /** Simulated agent Alice: joins after 1 s, reads after 0.5 s, types for 1 s. Attachments on. */
  support: {
    id: 1,
    name: 'Support',
    timeZone: 'Europe/Stockholm',
    agents: { mode: 'simulated', names: ['Alice'], joinDelayMs: 1000, replyDelayMs: 500, typingMs: 1000 },
    features: { 'chat.attachment': true, 'chat.max-attachment-size': 64 * KB, 'chat.max-image-size': 16 * KB, 'chat.external-source-page': 'https://shop.example/help' },
    idleTimeoutMs: 10 * 60_000,
  },
  /** Always closed. */
  sales: { id: 2, name: 'Sales', hours: 'never' },
  /** Open, nobody online. */
  billing: { id: 3, name: 'Billing', agents: { mode: 'none' } },
  /** Agents online but busy: chats wait for `agent.join`; two may wait. */
  busy: { id: 4, name: 'Busy', agents: { mode: 'busy', names: ['Dana'] }, queueLimit: 2, features: { 'chat.attachment': true }, idleTimeoutMs: 10 * 60_000 },
  /** Weekdays 09:00–17:00 in New York (closed at the clock's start, 05:00 there). */
  office: { id: 5, name: 'Office', timeZone: 'America/New_York', hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '17:00' }], agents: { mode: 'busy' } },
  /** Only people in the agent console count as online. */
  manual: { id: 6, name: 'Manual', agents: { mode: 'manual' } },
  /** Busy agents, attachments off. */
  noFiles: { id: 7, name: 'NoFiles', agents: { mode: 'busy' } },
} as const satisfies Record<string, AreaConfig>;

export interface Harness {
  readonly server: ChatServer;
  readonly clock: ManualClock;
  /** What the server logged, in order. */
  readonly logs: string[];
  /** Connects a client of this kind; it is closed after the test. */
  connect(kind: ClientKind, options?: ConnectOptions): Promise<TestClient>;
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts a server for this test with the test areas, a manual clock, and the project's Engine.IO mode. */
export async function startHarness(options: ServerOptions = {}): Promise<Harness> {
  const clock = new ManualClock();
  const logs: string[] = [];
  const server = await startServer({ areas: Object.values(AREAS), clock, logger: (line) => logs.push(line), engineIO: PROJECT_ENGINE_IO, ...options });
  cleanups.push(() => server.close());
  return {
    server,
    clock,
    logs,
    connect: async (kind, connectOptions) => {
      const client = await TestClient.connect(kind, server, connectOptions);
      cleanups.push(() => client.close());
      return client;
    },
  };
}

/** Registers this test for cleanup of something it opened itself. */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** A valid `register` payload for an area, with overrides. */
export function registration(area: number, overrides: Partial<Record<keyof RegisterPayload, unknown>> = {}): Record<string, unknown> {
  return {
    area,
    name: 'Ann Andersson',
    email: 'ann@example.com',
    phone: '',
    message: 'Where is my parcel?',
    externalData: '',
    baseURL: 'http://127.0.0.1/s/demo',
    offlineChat: false,
    trackClientUrl: false,
    ...overrides,
  };
}

/** Registers and returns the session the ack names (fails the test on an error reply). */
export async function register(client: TestClient, area: number, overrides: Partial<Record<keyof RegisterPayload, unknown>> = {}): Promise<SessionInfo> {
  const reply = await client.request('register', registration(area, overrides));
  const session = readSessionInfo(reply);
  if (!session) throw new Error(`register failed: ${JSON.stringify(reply)}`);
  return session;
}
