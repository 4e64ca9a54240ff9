/**
 * Chat areas: their configuration, opening hours in the area's time zone, agents and features.
 *
 * @module
 */
import type { ChatFeatures } from '../core/protocol';

/** A day of the week, as an opening-hours span names it. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * One span of opening hours: open from `open` to `close` (`HH:MM`, local time of the area) on
 * each of `days`. A `close` at or before `open` runs past midnight into the next day; `24:00`
 * closes at midnight.
 */
export interface OpeningSpan {
  readonly days: readonly Weekday[];
  readonly open: string;
  readonly close: string;
}

/** When an area takes chats: always, never, or in the given spans. */
export type OpeningHours = 'always' | 'never' | readonly OpeningSpan[];

/**
 * Who answers an area's chats.
 *
 * - `simulated`: scripted agents take each chat after `joinDelayMs`, answer every message and
 *   end the chat when the customer writes "bye".
 * - `busy`: `names` are online but busy; chats wait in the queue until a person takes them in
 *   the agent console (or a test calls `agent.join`).
 * - `manual`: only people in the agent console are online; with no console open the area
 *   answers `agent unavailable`.
 * - `none`: nobody is online; every chat gets `agent unavailable`.
 */
export type AgentMode = 'simulated' | 'busy' | 'manual' | 'none';

/** The agents of an area. */
export interface AgentsConfig {
  readonly mode: AgentMode;
  /** Agent names (simulated and busy agents). Default `["Alice"]`. */
  readonly names?: readonly string[];
  /** Chats one simulated agent holds at once. Default: no limit. */
  readonly capacity?: number;
  /** Time a simulated agent takes to pick a queued chat. Default 1500 ms. */
  readonly joinDelayMs?: number;
  /** Time a simulated agent takes to read a message before typing. Default 700 ms. */
  readonly replyDelayMs?: number;
  /** Time a simulated agent types its answer. Default 1200 ms. */
  readonly typingMs?: number;
}

/** The features every area answers in `canchat` (docs/protocol.md §7), all present. */
export type AreaFeatures = {
  readonly [K in 'chat.attachment' | 'chat.max-attachment-size' | 'chat.max-image-size' | 'chat.external-source-page']-?: NonNullable<ChatFeatures[K]>;
};

/** One chat area as `startServer` takes it. Only `id` and `name` are required. */
export interface AreaConfig {
  readonly id: number;
  readonly name: string;
  /** IANA time zone of the opening hours and of `sentHuman`. Default `UTC`. */
  readonly timeZone?: string;
  /** Default `always`. */
  readonly hours?: OpeningHours;
  /** Default: one simulated agent, Alice. */
  readonly agents?: AgentsConfig;
  /** How many chats may wait in the queue; one more gets `queue full`. Default 50; `Infinity` for no limit. */
  readonly queueLimit?: number;
  /** Default: attachments off, 10 MB limits, no external source page. */
  readonly features?: Partial<AreaFeatures>;
  /** A chat with no message from either side (nor client event) for this long expires. Default 30 minutes; 0 never expires. */
  readonly idleTimeoutMs?: number;
}

/** An area with every default filled in and its clock-dependent answers. */
export interface Area {
  readonly id: number;
  readonly name: string;
  readonly timeZone: string;
  readonly hours: OpeningHours;
  readonly agents: Required<AgentsConfig>;
  readonly queueLimit: number;
  readonly features: AreaFeatures;
  readonly idleTimeoutMs: number;
  /** Whether the area takes chats at `epochMs`. */
  isOpen(epochMs: number): boolean;
  /** `HH:MM` of `epochMs` in the area's time zone. */
  formatTime(epochMs: number): string;
  /** `YYYY-MM-DD` of `epochMs` in the area's time zone. */
  formatDate(epochMs: number): string;
  /** The upload limit for a file of this MIME type. */
  maxUploadBytes(type: string): number;
}

const MB = 1024 * 1024;
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

interface LocalTime {
  readonly weekday: number;
  readonly minutes: number;
  readonly hhmm: string;
  readonly date: string;
}

/**
 * An area's clock: the local time of an instant in `timeZone`. Every message the server stores
 * is stamped with it (`sentHuman`), and reading it from `Intl` cost more than anything else the
 * server does for a message (4 % of its CPU under `npm run bench:server`), so the minute last
 * asked for is kept: every instant of one minute has the same local hour and minute, since time
 * zones today are whole minutes off UTC. Throws a `RangeError` for a zone `Intl` does not know.
 */
function localClock(timeZone: string): (epochMs: number) => LocalTime {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  let last: { readonly minute: number; readonly time: LocalTime } | undefined;
  return (epochMs) => {
    const minute = Math.floor(epochMs / 60_000);
    if (last?.minute !== minute) last = { minute, time: readLocalTime(formatter, epochMs) };
    return last.time;
  };
}

function readLocalTime(formatter: Intl.DateTimeFormat, epochMs: number): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(epochMs)) parts[part.type] = part.value;
  const hour = parts['hour'] ?? '00';
  const minute = parts['minute'] ?? '00';
  return {
    weekday: WEEKDAYS.indexOf((parts['weekday'] ?? 'Sun').toLowerCase().slice(0, 3) as Weekday),
    minutes: Number(hour) * 60 + Number(minute),
    hhmm: `${hour}:${minute}`,
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
  };
}

function minutesOf(hhmm: string, where: string): number {
  const match = HHMM.exec(hhmm);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || minutes > 24 * 60) throw new TypeError(`${where} must be HH:MM between 00:00 and 24:00, got ${JSON.stringify(hhmm)}`);
  return minutes;
}

interface Span {
  readonly days: ReadonlySet<number>;
  readonly open: number;
  readonly close: number;
}

function openAt(spans: readonly Span[], { weekday, minutes }: LocalTime): boolean {
  const yesterday = (weekday + 6) % 7;
  return spans.some(({ days, open, close }) =>
    open < close
      ? days.has(weekday) && minutes >= open && minutes < close
      : (days.has(weekday) && minutes >= open) || (days.has(yesterday) && minutes < close),
  );
}

function clockOf(timeZone: string, where: string): (epochMs: number) => LocalTime {
  try {
    return localClock(timeZone);
  } catch {
    throw new TypeError(`${where}.timeZone must be an IANA time zone like "Europe/Stockholm", got ${JSON.stringify(timeZone)}`);
  }
}

function nonNegative(value: number, where: string): number {
  if (!(value >= 0)) throw new TypeError(`${where} must be a number >= 0, got ${String(value)}`);
  return value;
}

/** Fills in an area's defaults and checks it; throws a `TypeError` naming the bad setting. */
export function resolveArea(config: AreaConfig): Area {
  const where = `area ${String(config.id)}`;
  if (!Number.isSafeInteger(config.id)) throw new TypeError(`area id must be an integer, got ${String(config.id)}`);
  if (typeof config.name !== 'string' || config.name.trim() === '') throw new TypeError(`${where}.name must be a non-empty string`);
  const timeZone = config.timeZone ?? 'UTC';
  const localTime = clockOf(timeZone, where);
  const hours = config.hours ?? 'always';
  let spans: readonly Span[] = [];
  if (hours !== 'always' && hours !== 'never') {
    spans = hours.map((span, index) => {
      const at = `${where}.hours[${index}]`;
      for (const day of span.days) if (!WEEKDAYS.includes(day)) throw new TypeError(`${at}.days must hold mon..sun, got ${JSON.stringify(day)}`);
      return { days: new Set(span.days.map((day) => WEEKDAYS.indexOf(day))), open: minutesOf(span.open, `${at}.open`), close: minutesOf(span.close, `${at}.close`) };
    });
  }
  const given = config.agents ?? { mode: 'simulated' };
  const agents: Required<AgentsConfig> = {
    mode: given.mode,
    names: given.names && given.names.length > 0 ? given.names : ['Alice'],
    capacity: nonNegative(given.capacity ?? Infinity, `${where}.agents.capacity`),
    joinDelayMs: nonNegative(given.joinDelayMs ?? 1500, `${where}.agents.joinDelayMs`),
    replyDelayMs: nonNegative(given.replyDelayMs ?? 700, `${where}.agents.replyDelayMs`),
    typingMs: nonNegative(given.typingMs ?? 1200, `${where}.agents.typingMs`),
  };
  const features: AreaFeatures = {
    'chat.attachment': false,
    'chat.max-attachment-size': 10 * MB,
    'chat.max-image-size': 10 * MB,
    'chat.external-source-page': '',
    ...config.features,
  };
  nonNegative(features['chat.max-attachment-size'], `${where}.features["chat.max-attachment-size"]`);
  nonNegative(features['chat.max-image-size'], `${where}.features["chat.max-image-size"]`);
  return {
    id: config.id,
    name: config.name,
    timeZone,
    hours,
    agents,
    queueLimit: nonNegative(config.queueLimit ?? 50, `${where}.queueLimit`),
    features,
    idleTimeoutMs: nonNegative(config.idleTimeoutMs ?? 30 * 60_000, `${where}.idleTimeoutMs`),
    isOpen: (epochMs) => (hours === 'always' ? true : hours === 'never' ? false : openAt(spans, localTime(epochMs))),
    formatTime: (epochMs) => localTime(epochMs).hhmm,
    formatDate: (epochMs) => localTime(epochMs).date,
    maxUploadBytes: (type) => (type.toLowerCase().startsWith('image/') ? features['chat.max-image-size'] : features['chat.max-attachment-size']),
  };
}

/** Resolves every area and checks that ids are unique. */
export function resolveAreas(configs: readonly AreaConfig[]): ReadonlyMap<number, Area> {
  const areas = new Map<number, Area>();
  for (const config of configs) {
    if (areas.has(config.id)) throw new TypeError(`area id ${config.id} is used twice`);
    areas.set(config.id, resolveArea(config));
  }
  return areas;
}
