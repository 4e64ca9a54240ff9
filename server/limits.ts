/**
 * The server's limits on one client (docs/security.md): how often a socket and an address may
 * message, register, preview and upload, how many sockets and uploads an address may hold
 * open, and how much disk uploads may take. The defaults are far above what a person in the
 * demo or a test does, and far below what it takes to exhaust the server.
 *
 * @module
 */
import type { Rate } from './rate-limit';
import { ConcurrencyLimit, RateLimiter, checkRate } from './rate-limit';

/** Every limit of the server. Each is an option (`startServer({ limits })`); see docs/server.md. */
export interface ServerLimits {
  /** `chat message` and `add attachment` per socket. */
  readonly messagesPerSocket: Rate;
  /** `chat message` and `add attachment` per client address. */
  readonly messagesPerAddress: Rate;
  /** Characters of `chat message` texts and `register` questions per client address: what a chat stores. */
  readonly textPerAddress: Rate;
  /** `register` and `resume` per socket. */
  readonly registersPerSocket: Rate;
  /** `register` and `resume` per client address. */
  readonly registersPerAddress: Rate;
  /** `preview` per socket. */
  readonly previewsPerSocket: Rate;
  /** `preview` per client address. */
  readonly previewsPerAddress: Rate;
  /** Upload requests per client address. */
  readonly uploadsPerAddress: Rate;
  /** `createerrand` and `chatrating` requests per client address. */
  readonly contactsPerAddress: Rate;
  /**
   * `rate limited` answers a socket may get before the server disconnects it: a client that
   * goes on sending whatever the answers say costs the server the reading of every packet.
   */
  readonly refusalsPerSocket: Rate;
  /** New socket.io connections (handshakes) per client address. */
  readonly connectionsPerAddress: Rate;
  /** socket.io connections (chat and agent console) open at once per client address. */
  readonly socketsPerAddress: number;
  /** Uploads in progress at once per client address. */
  readonly uploadsInFlightPerAddress: number;
  /** Bytes all uploads together may take on disk, counting the limit of each upload in progress. */
  readonly uploadDiskBytes: number;
}

/** The default limits. */
export const DEFAULT_LIMITS: ServerLimits = {
  messagesPerSocket: { count: 60, perMs: 10_000 },
  messagesPerAddress: { count: 200, perMs: 10_000 },
  textPerAddress: { count: 300_000, perMs: 60_000 },
  registersPerSocket: { count: 10, perMs: 60_000 },
  registersPerAddress: { count: 100, perMs: 60_000 },
  previewsPerSocket: { count: 100, perMs: 10_000 },
  previewsPerAddress: { count: 500, perMs: 10_000 },
  uploadsPerAddress: { count: 30, perMs: 60_000 },
  contactsPerAddress: { count: 20, perMs: 10 * 60_000 },
  refusalsPerSocket: { count: 100, perMs: 10_000 },
  connectionsPerAddress: { count: 120, perMs: 60_000 },
  socketsPerAddress: 50,
  uploadsInFlightPerAddress: 4,
  uploadDiskBytes: 1024 ** 3,
};

const NO_RATE: Rate = { count: Infinity, perMs: 1 };

/** No limit at all (`limits: false`), for benchmarks that open thousands of chats from one address. */
export const NO_LIMITS: ServerLimits = {
  messagesPerSocket: NO_RATE,
  messagesPerAddress: NO_RATE,
  textPerAddress: NO_RATE,
  registersPerSocket: NO_RATE,
  registersPerAddress: NO_RATE,
  previewsPerSocket: NO_RATE,
  previewsPerAddress: NO_RATE,
  uploadsPerAddress: NO_RATE,
  contactsPerAddress: NO_RATE,
  refusalsPerSocket: NO_RATE,
  connectionsPerAddress: NO_RATE,
  socketsPerAddress: Infinity,
  uploadsInFlightPerAddress: Infinity,
  uploadDiskBytes: Infinity,
};

/** The defaults with `options` over them, checked: a `TypeError` names a bad setting. */
export function resolveLimits(options: Partial<ServerLimits> | false | undefined): ServerLimits {
  const limits = options === false ? NO_LIMITS : { ...DEFAULT_LIMITS, ...options };
  for (const [name, value] of Object.entries(limits) as [keyof ServerLimits, ServerLimits[keyof ServerLimits]][]) {
    if (typeof value === 'object') checkRate(`limits.${name}`, value);
    else if (!(value >= 1) || (Number.isFinite(value) && !Number.isInteger(value))) throw new TypeError(`limits.${name} must be a positive integer or Infinity, got ${value}`);
  }
  return limits;
}

/** What a chat socket does that is limited per socket and per address. */
export type SocketAction = 'messages' | 'registers' | 'previews';

/** The limits of chat sockets: each {@link SocketAction} per socket and per address, and text per address. */
export class SocketLimits {
  private readonly perSocket: Record<SocketAction, RateLimiter>;
  private readonly perAddress: Record<SocketAction, RateLimiter>;
  private readonly text: RateLimiter;
  private readonly refusals: RateLimiter;

  constructor(limits: ServerLimits, now: () => number) {
    this.perSocket = {
      messages: new RateLimiter(limits.messagesPerSocket, now),
      registers: new RateLimiter(limits.registersPerSocket, now),
      previews: new RateLimiter(limits.previewsPerSocket, now),
    };
    this.perAddress = {
      messages: new RateLimiter(limits.messagesPerAddress, now),
      registers: new RateLimiter(limits.registersPerAddress, now),
      previews: new RateLimiter(limits.previewsPerAddress, now),
    };
    this.text = new RateLimiter(limits.textPerAddress, now);
    this.refusals = new RateLimiter(limits.refusalsPerSocket, now);
  }

  /** Whether a socket from `address` may do `action` now; counts it when it may. */
  allows(action: SocketAction, socketId: string, address: string): boolean {
    return this.perSocket[action].take(socketId) && this.perAddress[action].take(address);
  }

  /** Whether `address` may have `characters` more stored now; counts them when it may. */
  allowsText(address: string, characters: number): boolean {
    return this.text.take(address, characters);
  }

  /** Counts a `rate limited` answer to a socket; `false` once it has had more than its share, and should be disconnected. */
  mayRefuseAgain(socketId: string): boolean {
    return this.refusals.take(socketId);
  }

  /** Forgets a socket that disconnected. */
  forgetSocket(socketId: string): void {
    for (const limiter of Object.values(this.perSocket)) limiter.forget(socketId);
    this.refusals.forget(socketId);
  }
}

/** The limits of uploads: requests per address, uploads in flight per address. */
export class UploadLimits {
  readonly requests: RateLimiter;
  readonly inFlight: ConcurrencyLimit;

  constructor(limits: ServerLimits, now: () => number) {
    this.requests = new RateLimiter(limits.uploadsPerAddress, now);
    this.inFlight = new ConcurrencyLimit(limits.uploadsInFlightPerAddress);
  }
}
