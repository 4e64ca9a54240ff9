import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { ChatError } from '../../core';
import type { AttachedFile, CentionChatAPI, ChatAction, DescribedMessage, FacadeOptions } from '../../core';
import { encodePayload, encodeSystemEvent } from '../../core/protocol';
import { REPAIRED, SEED_SNIPPETS } from './fixtures/seed-snippets';
import { facade, memoryStorage, recordEvents, useChatServer } from './support';


/** The seed's translation table, in Swedish. */
const SWEDISH: Readonly<Record<string, string>> = {
  'Agent(s) removed: {AGENT_NAMES}': 'Handläggare borttagna: {AGENT_NAMES}',
  'Agent(s) added: {AGENT_NAMES}': 'Handläggare tillagda: {AGENT_NAMES}',
  '{AGENT_NAME} has left the chat.': '{AGENT_NAME} har lämnat chatten.',
  'Client ended the chat.': 'Kunden avslutade chatten.',
  '{NAME} ended the chat.': '{NAME} avslutade chatten.',
  '{NAME} attached a file.': '{NAME} bifogade en fil.',
};

/**
 * What a browser's XMLHttpRequest does for an upload, over fetch (Node has none): it tells the
 * progress of the body going out, half and then all of it, before the answer.
 */
class SteppedUploadXhr {
  status = 0;
  responseText = '';
  withCredentials = false;
  responseType = '';
  readonly upload: { onprogress: ((progress: { loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private url = '';
  private readonly aborter = new AbortController();

  open(_method: string, url: string): void {
    this.url = url;
  }

  abort(): void {
    this.aborter.abort();
  }

  send(form: FormData): void {
    const { size } = form.get('uploadfile') as File;
    void (async () => {
      await Promise.resolve();
      this.upload.onprogress?.({ loaded: Math.floor(size / 2), total: size });
      const response = await fetch(this.url, { method: 'POST', body: form, signal: this.aborter.signal });
      this.upload.onprogress?.({ loaded: size, total: size });
      this.status = response.status;
      this.responseText = await response.text();
      this.onload?.();
    })().catch(() => this.onerror?.());
  }
}

/** An XMLHttpRequest double whose upload sends half the file and then waits until it is aborted. */
class StalledUploadXhr extends SteppedUploadXhr {
  aborted = false;

  override abort(): void {
    this.aborted = true;
  }

  override send(form: FormData): void {
    const { size } = form.get('uploadfile') as File;
    void Promise.resolve().then(() => this.upload.onprogress?.({ loaded: Math.floor(size / 2), total: size }));
  }
}

/**
 * A page that runs the seed's snippets: the facade factory, a jQuery-like `$` whose `.show()`
 * and `.on('click')` are recorded, `document.getElementById` for the file input, `window.open`,
 * and `console.log` captured.
 */
function seedPage(factoryOptions: FacadeOptions) {
  const shown: string[] = [];
  const clicks = new Map<string, () => void>();
  const opened: { url: string; target: string }[] = [];
  const logged: unknown[][] = [];
  const files: File[] = [];
  const popup = { focus: vi.fn() };
  const $ = (selector: string) => ({
    show: () => shown.push(selector),
    on: (event: string, handler: () => void) => {
      if (event === 'click') clicks.set(selector, handler);
    },
  });
  const window = {
    open: (url: string, target: string) => {
      opened.push({ url, target });
      return popup;
    },
    focus: () => undefined,
  };
  const context = vm.createContext({
    _CentionChat: () => facade(factoryOptions),
    $,
    window,
    document: { getElementById: (id: string) => (id === 'ChatViewSendFileButton' ? { files } : null) },
    console: { log: (...args: unknown[]) => logged.push(args) },
  });
  return {
    run: (code: string) => vm.runInContext(code, context) as unknown,
    get chat() {
      return context['CentionChat'] as CentionChatAPI;
    },
    set areaId(area: number) {
      context['CentionAreaId'] = area;
    },
    click: (selector: string) => clicks.get(selector)?.(),
    shown,
    opened,
    logged,
    files,
    popup,
  };
}

describe('the seed document', () => {
  it('has two snippets that are not valid JavaScript as printed', () => {
    expect(() => new vm.Script(SEED_SNIPPETS.connect)).toThrow(SyntaxError);
    expect(() => new vm.Script(SEED_SNIPPETS.canChat)).toThrow(SyntaxError);
    expect(() => new vm.Script(REPAIRED.connect)).not.toThrow();
    expect(() => new vm.Script(REPAIRED.canChat)).not.toThrow();
    for (const [name, code] of Object.entries(SEED_SNIPPETS)) if (name !== 'connect' && name !== 'canChat') expect(() => new vm.Script(code), name).not.toThrow();
  });
});

describe('_CentionChat(), driven by the seed\'s own snippets', () => {
  const t = useChatServer();
  const fast = () => ({ storage: memoryStorage(), socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 100, randomizationFactor: 0 } });

  function page() {
    const p = seedPage(fast());
    p.run(SEED_SNIPPETS.init);
    expect(p.chat.baseURL).toBe('https://cloud.cention.com/s/demo');
    // The document's cloud server is not reachable from a test: point the page at ours.
    p.chat.baseURL = t.server.baseURL;
    p.areaId = 1;
    return p;
  }

  it('runs a whole chat: canChat, connect, queue, agent, messages, acks, typing, preview, files, save, print, finish', async () => {
    const p = page();
    p.run(SEED_SNIPPETS.translation);
    const events = recordEvents(p.chat, ['chat message', 'message acked']);
    p.run(SEED_SNIPPETS.messageAcked);
    p.run(SEED_SNIPPETS.chatMessage);

    // canChat: the repaired snippet reaches "it is possible to start a chat" for an open area.
    const answered = vi.fn();
    p.chat.canChat(answered, 1);
    await expect.poll(() => answered.mock.calls.length).toBe(1);
    expect(answered.mock.calls[0]?.[0]).toMatchObject({ chatOpen: true, resumable: false, error: '' });
    p.run(REPAIRED.canChat);

    p.run(REPAIRED.connect);
    await events.next('connect');
    const [position] = await events.next('queue');
    expect(position).toBe(1);
    const sessionId = t.server.sessions()[0]!.id;
    expect(p.chat.sessionSecret).toBe(t.server.session(sessionId)!.secret);

    // The snippet's chat message handler logs; system messages arrive translated, with their event.
    t.server.agent.join(sessionId, 'Bea');
    await expect.poll(() => p.logged.some((l) => l[0] === 'Chat message received' && (l[1] as { agent: string }).agent === 'Bea')).toBe(true);
    const [joined] = p.logged.find((l) => l[0] === 'Chat message received' && (l[1] as { agent: string }).agent === 'Bea')!.slice(1);
    expect((joined as { chat: { text: string; event?: unknown }[] }).chat.map((m) => m.text)).toContain('Agent(s) added: Bea');
    expect((joined as { chat: { event?: unknown }[] }).chat.find((m) => m.event)?.event).toEqual({ event: 'AGENTS_ADDED', names: ['Bea'] });

    p.run(SEED_SNIPPETS.message);
    const sending = p.run('sending') as { id: string; message: string };
    expect(sending).toEqual({ id: expect.stringMatching(/^c-/), message: 'Hello! Are you there?' });
    const [sent] = await events.next('message sent');
    expect(sent).toMatchObject({ umid: sending.id, id: expect.stringMatching(/^\d+$/) });
    t.server.agent.ack(sessionId);
    await expect.poll(() => p.logged.find((l) => l[0] === 'messages received by agent')?.[1]).toContain(Number((sent as { id: string }).id));
    events.listen('chat message');
    events.listen('message acked');

    t.server.agent.type(sessionId, 7);
    expect(await events.next('agent preview')).toEqual([{ messageLen: 7 }]);

    const previewed = t.server.waitFor('preview');
    p.run(SEED_SNIPPETS.preview);
    expect(await previewed).toMatchObject({ preview: 'Hello! Are y' });

    p.files.push(new File(['attached text'], 'notes.txt', { type: 'text/plain' }));
    p.run(SEED_SNIPPETS.attachFile.replace('// value \'um\' is an [Unsent message object],', 'globalThis.attached = um;'));
    await expect.poll(() => p.run('globalThis.attached')).toBeDefined();
    expect(p.run('globalThis.attached')).toMatchObject({ message: 'notes.txt', name: 'John Smith', file: { value: 'notes.txt', size: 13 } });
    // Handled "similar to CentionChat.message()": the file's own message sent, under the id cbOnDone got.
    const fileId = (p.run('globalThis.attached') as { id: string }).id;
    const [fileSent] = await events.next('message sent', ([s]) => (s as { umid: string }).umid === fileId);
    const stored = t.server.session(sessionId)!.transcript.find((m) => m.text.includes('FILE_UPLOAD'))!;
    expect(fileSent).toEqual({ id: String(stored.id), umid: fileId, sent: stored.sent, sentHuman: stored.sentHuman });
    await events.next('chat message', ([d]) => (d as { chat: { text: string }[] }).chat.some((m) => m.text === 'John Smith attached a file.'));

    p.run(SEED_SNIPPETS.save);
    p.run(SEED_SNIPPETS.print);
    p.run(SEED_SNIPPETS.finish);
    p.click('#CentionChatSaveButton');
    p.click('#CentionChatPrintButton');
    expect(p.opened.map((o) => o.target)).toEqual(['_self', 'window']);
    expect(p.popup.focus).toHaveBeenCalled();
    const history = await fetch(p.opened[0]!.url);
    expect(await history.text()).toContain('Hello! Are you there?');
    const printable = await fetch(p.opened[1]!.url);
    expect(printable.headers.get('content-type')).toContain('text/html');

    p.click('#CentionChatFinishButton');
    await events.next('finish chat session');
    await events.next('chat message', ([d]) => (d as { chat: { text: string }[] }).chat.some((m) => m.text === 'Client ended the chat.'));

    // After the end, reset; tryResume then has nothing to resume and shows the start view.
    p.chat.resetChat();
    expect(p.chat.sessionSecret).toBe('');
    p.run(SEED_SNIPPETS.tryResume);
    await expect.poll(() => p.shown).toEqual(['StartView']);
    expect(p.logged.find((l) => l[0] === 'resume failed')?.[1]).toBe('no session');
  });

  it('hands each handler exactly the arguments the document names, with what the server sent', async () => {
    const p = page();
    const events = recordEvents(p.chat);
    /** The arguments of the first `event` from now on, once it comes. */
    const nextFromNow = (event: ChatAction) => {
      const from = events.seen.length;
      return () => events.next(event, () => true, from);
    };

    const connected = nextFromNow('connect');
    p.run(REPAIRED.connect);
    expect(await connected()).toStrictEqual([]);
    expect(await events.next('queue')).toStrictEqual([1]);
    const sessionId = t.server.sessions()[0]!.id;

    const joined = nextFromNow('chat message');
    t.server.agent.join(sessionId, 'Bea');
    const added = t.server.session(sessionId)!.transcript.at(-1)!;
    expect(await joined()).toStrictEqual([
      { agent: 'Bea', chat: [{ ...added, text: 'Agent(s) added: Bea', event: { event: 'AGENTS_ADDED', names: ['Bea'] } }], client: 'John Smith' },
    ]);

    const stored = t.server.waitFor('client-message');
    const echoed = nextFromNow('chat message');
    const sending = p.chat.message('Is the office open today?');
    const { message } = await stored;
    expect(await events.next('message sent', ([s]) => (s as { umid: string }).umid === sending.id)).toStrictEqual([
      { id: String(message.id), umid: sending.id, sent: message.sent, sentHuman: message.sentHuman },
    ]);
    expect(await echoed()).toStrictEqual([{ agent: 'Bea', chat: [message], client: 'John Smith' }]);

    const acked = nextFromNow('message acked');
    const delivered = t.server.agent.ack(sessionId);
    expect(delivered).toContain(message.id);
    expect(await acked()).toStrictEqual([{ ids: delivered }]);

    const typing = nextFromNow('agent preview');
    t.server.agent.type(sessionId, 7);
    expect(await typing()).toStrictEqual([{ messageLen: 7 }]);
    // The agent's message ends the typing.
    const stopped = nextFromNow('agent preview');
    const answered = nextFromNow('chat message');
    const answer = t.server.agent.say(sessionId, 'Yes, until five.');
    expect(await answered()).toStrictEqual([{ agent: 'Bea', chat: [answer], client: 'John Smith' }]);
    expect(await stopped()).toStrictEqual([{ messageLen: 0 }]);

    const dropped = nextFromNow('disconnect');
    const reconnected = nextFromNow('connect');
    t.server.dropClient(sessionId);
    expect(await dropped()).toStrictEqual(['transport close']);
    expect(await reconnected()).toStrictEqual([]);

    const finished = nextFromNow('finish chat session');
    p.chat.close();
    expect(await finished()).toStrictEqual([]);
  });

  it('gives cbOnDone the id attachFile made, the server\'s UploadResult and the client\'s name, and reports progress under that id', async () => {
    const p = page();
    const events = recordEvents(p.chat);
    p.run(REPAIRED.connect);
    await events.next('queue');

    const announced = t.server.waitFor('attachment');
    let progressBeforeDone: unknown[][] = [];
    const done = vi.fn((..._args: unknown[]) => {
      progressBeforeDone = events.seen.filter((s) => s.event === 'upload progress').map((s) => s.args);
    });
    p.chat.attachFile(new File(['attached text'], 'notes.txt', { type: 'text/plain' }), done);
    const { file } = await announced;
    await expect.poll(() => done.mock.calls.length).toBe(1);
    const [um, ...rest] = done.mock.calls[0]!;
    expect(rest).toEqual([]);
    expect(um).toStrictEqual({ id: expect.stringMatching(/^f-/), message: 'notes.txt', name: 'John Smith', file });
    expect((um as AttachedFile).id).not.toBe(String(file.id));
    // Node has no XMLHttpRequest, so the upload goes by fetch, which tells nothing on the way:
    // the one report is the whole file, once the server has it, before cbOnDone.
    expect(progressBeforeDone).toStrictEqual([[{ id: (um as AttachedFile).id, name: 'notes.txt', loaded: 13, total: 13 }]]);
    expect(events.seen.filter((s) => s.event === 'upload progress')).toHaveLength(1);
  });

  it('reports upload progress as the bytes go out where the platform tells it (XMLHttpRequest)', async () => {
    vi.stubGlobal('XMLHttpRequest', SteppedUploadXhr);
    try {
      const chat = facade({ ...fast(), uploadWith: 'xhr' });
      chat.baseURL = t.server.baseURL;
      const events = recordEvents(chat);
      chat.connect({ area: 1, name: 'Ann', email: 'ann@example.com', message: 'A file for you' });
      await events.next('queue');
      const done = vi.fn();
      chat.attachFile(new File([new Uint8Array(1_000)], 'scan.bin'), done);
      await expect.poll(() => done.mock.calls.length).toBe(1);
      const { id } = done.mock.calls[0]![0] as AttachedFile;
      expect(events.seen.filter((s) => s.event === 'upload progress').map((s) => s.args)).toStrictEqual([
        [{ id, name: 'scan.bin', loaded: 500, total: 1_000 }],
        [{ id, name: 'scan.bin', loaded: 1_000, total: 1_000 }],
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('has only the seed\'s members and the documented extensions on the CentionChat object, before and after a chat', async () => {
    const members = ['I', 'attachFile', 'baseURL', 'canChat', 'client', 'close', 'connect', 'createErrand', 'disconnect', 'enableNotifications', 'markRead', 'message', 'preview', 'rateChat', 'registerAction', 'resetChat', 'sessionSecret', 'tryResume'];
    const p = page();
    expect(Object.keys(p.chat).sort()).toEqual(members);
    expect(Object.getOwnPropertyNames(p.chat).sort()).toEqual(members);
    expect(Object.getOwnPropertySymbols(p.chat)).toEqual([]);
    for (const getter of ['sessionSecret', 'client']) {
      const descriptor = Object.getOwnPropertyDescriptor(p.chat, getter)!;
      expect(descriptor.get, getter).toBeTypeOf('function');
      expect(descriptor.set, getter).toBeUndefined();
    }
    const events = recordEvents(p.chat);
    p.run(REPAIRED.connect);
    await events.next('queue');
    expect(Object.getOwnPropertyNames(p.chat).sort()).toEqual(members);
    expect(p.chat.client).toBeDefined();
  });

  /** The texts of the system messages `chat message` brought, with their events, in order. */
  function systemMessages(events: ReturnType<typeof recordEvents>) {
    return events.seen
      .filter((s) => s.event === 'chat message')
      .flatMap((s) => (s.args[0] as { chat: DescribedMessage[] }).chat)
      .filter((m) => m.event !== undefined)
      .map((m) => [m.text, m.event!.event]);
  }

  it('translates every system message through a non-identity I, with the names filled in', async () => {
    const p = page();
    const asked: string[] = [];
    p.chat.I = (sentence) => {
      asked.push(sentence);
      return SWEDISH[sentence];
    };
    const events = recordEvents(p.chat);
    p.run(REPAIRED.connect);
    await events.next('queue');
    const sessionId = t.server.sessions()[0]!.id;
    const systemCount = (n: number) => expect.poll(() => systemMessages(events).length).toBe(n);

    t.server.agent.join(sessionId, 'Bea');
    await systemCount(1);
    await t.server.agent.attach(sessionId, { name: 'map.png', type: 'image/png', data: new Uint8Array(10) });
    await systemCount(2);
    const attached = vi.fn();
    p.chat.attachFile(new File(['x'], 'receipt.txt', { type: 'text/plain' }), attached);
    await systemCount(3);
    // The reference server removes one agent at a time (a transfer); a Cention server may remove
    // several at once, which fills {AGENT_NAMES} with a list: send that as such a server would.
    const last = t.server.session(sessionId)!.transcript.at(-1)!;
    const removed = { id: last.id + 1_000, sender: 'SYSTEM', sent: last.sent, sentHuman: last.sentHuman, text: encodeSystemEvent({ event: 'AGENTS_REMOVED', names: ['Cy', 'Dan'] }), umid: '' };
    t.server.sendRaw(sessionId, 'chat message', encodePayload({ agent: 'Bea', chat: [removed], client: 'John Smith' }));
    await systemCount(4);
    t.server.agent.leave(sessionId);
    await systemCount(5);
    t.server.agent.join(sessionId, 'Cy');
    await systemCount(6);
    t.server.agent.end(sessionId);
    await systemCount(7);

    // A second chat, ended by the customer.
    const other = page();
    other.chat.I = p.chat.I;
    const otherEvents = recordEvents(other.chat);
    other.run(REPAIRED.connect);
    await otherEvents.next('queue');
    other.chat.close();
    await otherEvents.next('finish chat session');

    expect([...systemMessages(events), ...systemMessages(otherEvents)]).toEqual([
      ['Handläggare tillagda: Bea', 'AGENTS_ADDED'],
      ['Bea bifogade en fil.', 'FILE_UPLOAD'],
      ['John Smith bifogade en fil.', 'FILE_UPLOAD'],
      ['Handläggare borttagna: Cy, Dan', 'AGENTS_REMOVED'],
      ['Bea har lämnat chatten.', 'AGENT_LEFT'],
      ['Handläggare tillagda: Cy', 'AGENTS_ADDED'],
      ['Cy avslutade chatten.', 'OWNER_ENDS_CHAT'],
      ['Kunden avslutade chatten.', 'CLIENT_ENDS_CHAT'],
    ]);
    // I gets the seed's English sentences, the placeholders still in them.
    expect(new Set(asked)).toEqual(new Set(Object.keys(SWEDISH)));
  });

  it('keeps the English sentence where I returns nothing for it', async () => {
    const p = page();
    p.chat.I = (sentence) => (sentence === '{NAME} ended the chat.' ? undefined : SWEDISH[sentence]);
    const events = recordEvents(p.chat);
    p.run(REPAIRED.connect);
    await events.next('queue');
    const sessionId = t.server.sessions()[0]!.id;
    t.server.agent.join(sessionId, 'Bea');
    t.server.agent.end(sessionId);
    await events.next('finish chat session');
    expect(systemMessages(events)).toEqual([
      ['Handläggare tillagda: Bea', 'AGENTS_ADDED'],
      ['Bea ended the chat.', 'OWNER_ENDS_CHAT'],
    ]);
  });

  it('resumes on a new page with tryResume, and with connect({resume: true, area: -1, callback})', async () => {
    const storage = memoryStorage();
    const first = seedPage({ ...fast(), storage });
    first.run(SEED_SNIPPETS.init);
    first.chat.baseURL = t.server.baseURL;
    const events = recordEvents(first.chat);
    first.run(REPAIRED.connect);
    await events.next('queue');

    const second = seedPage({ ...fast(), storage });
    second.run(SEED_SNIPPETS.init);
    second.chat.baseURL = t.server.baseURL;
    const secondEvents = recordEvents(second.chat);
    second.run(SEED_SNIPPETS.tryResume);
    await expect.poll(() => second.shown).toEqual(['ChatView']);
    const [transcript] = await secondEvents.next('chat message');
    expect((transcript as { chat: { text: string }[] }).chat[0]?.text).toBe("Hello! Where can I find Cention's office?");

    const third = seedPage({ ...fast(), storage });
    third.run(SEED_SNIPPETS.init);
    third.chat.baseURL = t.server.baseURL;
    const resumed = vi.fn();
    third.chat.connect({ resume: true, area: -1, callback: resumed });
    await expect.poll(() => resumed.mock.calls.length).toBe(1);
    expect(resumed.mock.calls[0]?.[0]).toMatchObject({ areaId: 1, clientName: 'John Smith', sessionId: expect.any(Number), sessionSecret: expect.any(String) });
  });

  it('fires queue full and agent unavailable', async () => {
    const blocker = page();
    blocker.chat.connect({ area: 4, name: 'First', email: 'a@b.c', message: 'hi' });
    const blockerEvents = recordEvents(blocker.chat);
    await blockerEvents.next('queue');
    const full = page();
    const fullEvents = recordEvents(full.chat);
    full.chat.connect({ area: 4, name: 'Second', email: 'a@b.c', message: 'hi' });
    expect(await fullEvents.next('queue full')).toStrictEqual([]);
    const nobody = page();
    const nobodyEvents = recordEvents(nobody.chat);
    nobody.chat.connect({ area: 3, name: 'Third', email: 'a@b.c', message: 'hi' });
    expect(await nobodyEvents.next('agent unavailable')).toStrictEqual([]);
    expect(fullEvents.seen.some((s) => s.event === 'connect_error')).toBe(false);
  });

  it('fires chat closed when the chat ended while the page was offline', async () => {
    const p = page();
    const events = recordEvents(p.chat);
    p.run(REPAIRED.connect);
    await events.next('queue');
    const sessionId = t.server.sessions()[0]!.id;
    t.server.agent.join(sessionId);
    await events.next('chat message', ([d]) => (d as { agent: string }).agent !== '');
    t.server.faults.set({ delayMs: 60_000 }, sessionId);
    t.server.dropClient(sessionId);
    t.server.agent.end(sessionId);
    t.server.faults.clear(sessionId);
    expect(await events.next('chat closed')).toStrictEqual([]);
    expect(await events.next('finish chat session')).toStrictEqual([]);
  });

  it('fires connect_error with an Error when the server cannot be reached, and on a refused start', async () => {
    const p = page();
    const events = recordEvents(p.chat);
    p.chat.connect({ area: 2, name: 'Ann', email: 'ann@example.com', message: 'hi' });
    const refused = await events.next('connect_error');
    expect(refused).toHaveLength(1);
    const [closed] = refused;
    expect(closed).toBeInstanceOf(ChatError);
    expect((closed as ChatError).code).toBe('area-closed');

    const gone = page();
    gone.chat.baseURL = 'http://127.0.0.1:9/s/demo';
    const goneEvents = recordEvents(gone.chat);
    gone.chat.connect({ area: 1, name: 'Ann', email: 'ann@example.com', message: 'hi' });
    const [error] = await goneEvents.next('connect_error');
    // One failure, told once (not once per attempt), saying why and what to check.
    expect(error).toMatchObject({ code: 'connect-failed', message: expect.stringContaining('nothing answers at http://127.0.0.1:9') });
    expect(gone.chat.client?.actor?.getSnapshot().context.lastError?.code).toBe('connect-failed');
    expect(goneEvents.seen.filter((e) => e.event === 'connect_error')).toHaveLength(1);
  });

  it('tells a dropped link, a message that could not go, and a file that could not (extensions of 5.1.0)', async () => {
    const p = page();
    const events = recordEvents(p.chat);
    p.run(REPAIRED.connect);
    await events.next('queue');
    const sessionId = t.server.sessions()[0]!.id;

    const failed = vi.fn();
    p.chat.attachFile(new File([new Uint8Array(5_000)], 'big.bin'), () => undefined, failed);
    await expect.poll(() => failed.mock.calls.length).toBe(1);
    expect(failed.mock.calls[0]?.[0]).toMatchObject({ code: 'file-too-large' });
    expect(failed.mock.calls[0]?.[1]).toEqual({ id: expect.stringMatching(/^f-/), name: 'big.bin' });

    t.server.faults.set({ delayMs: 60_000 }, sessionId);
    t.server.dropClient(sessionId);
    const [reason] = await events.next('disconnect');
    expect(reason).toBe('transport close');
    const unsent = p.chat.message('Are you still there?');
    t.server.agent.join(sessionId);
    t.server.agent.end(sessionId);
    t.server.faults.clear(sessionId);
    const lost = await events.next('message failed');
    expect(lost).toStrictEqual([{ id: unsent.id, error: expect.any(ChatError) }]);
    expect((lost[0] as { error: ChatError }).error.code).toBe('chat-closed');
    await events.next('finish chat session');
  });

  it('counts the agent\'s and system messages the customer has not seen in an unread event, and markRead clears them (extensions of 5.1.0)', async () => {
    const p = page();
    const events = recordEvents(p.chat);
    p.run(REPAIRED.connect);
    await events.next('queue');
    const sessionId = t.server.sessions()[0]!.id;
    expect(events.seen.filter((s) => s.event === 'unread'), 'the echo of the question is not news').toEqual([]);

    t.server.agent.join(sessionId, 'Bea');
    await events.next('unread', ([count]) => count === 1);
    t.server.agent.say(sessionId, 'Hello, how can I help?');
    await events.next('unread', ([count]) => count === 2);
    p.chat.message('Where is my bike?');
    await events.next('message sent');
    p.chat.markRead();
    await events.next('unread', ([count]) => count === 0);
    p.chat.markRead();
    expect(events.seen.filter((s) => s.event === 'unread').map((s) => s.args[0]), 'each change once, own messages never').toEqual([1, 2, 0]);
  });

  it('stops an upload under way when the page cancels it: cbOnFail gets upload-aborted and the agent gets no file (an extension of 5.1.0)', async () => {
    const requests: StalledUploadXhr[] = [];
    vi.stubGlobal(
      'XMLHttpRequest',
      class extends StalledUploadXhr {
        constructor() {
          super();
          requests.push(this);
        }
      },
    );
    try {
      const chat = facade({ ...fast(), uploadWith: 'xhr' });
      chat.baseURL = t.server.baseURL;
      const events = recordEvents(chat);
      chat.connect({ area: 1, name: 'Ann', email: 'ann@example.com', message: 'A file for you' });
      await events.next('queue');
      const done = vi.fn();
      const failed = vi.fn();
      const upload = chat.attachFile(new File([new Uint8Array(1_000)], 'scan.bin'), done, failed);
      expect(upload).toEqual({ id: expect.stringMatching(/^f-/), name: 'scan.bin', cancel: expect.any(Function) });
      await events.next('upload progress', ([progress]) => (progress as { loaded: number }).loaded === 500);
      upload.cancel();
      await expect.poll(() => failed.mock.calls.length).toBe(1);
      expect(failed.mock.calls[0]).toEqual([expect.objectContaining({ code: 'upload-aborted' }), { id: upload.id, name: 'scan.bin' }]);
      upload.cancel();
      expect(requests.map((xhr) => xhr.aborted), 'the request itself is aborted').toEqual([true]);
      expect(done).not.toHaveBeenCalled();
      expect(t.server.sessions()[0]!.transcript.filter((m) => m.text.includes('FILE_UPLOAD'))).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('answers canChat for every kind of area through the handler', async () => {
    const p = page();
    const answers: unknown[] = [];
    for (const area of [1, 2, 3, 99]) p.chat.canChat((o) => answers.push(o), area);
    await expect.poll(() => answers.length).toBe(4);
    expect(answers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ chatOpen: false, error: '' }),
        expect.objectContaining({ agentsAvailable: 0, error: '' }),
        expect.objectContaining({ error: 'unknown area' }),
      ]),
    );
  });

  it('disconnects and resumes the same chat', async () => {
    const p = page();
    const events = recordEvents(p.chat);
    p.run(REPAIRED.connect);
    await events.next('queue');
    const connects = events.seen.filter((s) => s.event === 'connect').length;
    p.chat.disconnect();
    await expect.poll(() => t.server.sessions()[0]?.connectedSockets).toBe(0);
    const resumed = vi.fn();
    p.chat.tryResume(resumed);
    await expect.poll(() => resumed.mock.calls.length).toBe(1);
    expect(resumed.mock.calls[0]?.[0]).toMatchObject({ sessionId: t.server.sessions()[0]!.id });
    expect(events.seen.filter((s) => s.event === 'connect').length).toBe(connects + 1);
  });

  it('refuses bad input with typed errors and says why a call did nothing', async () => {
    const p = page();
    expect(() => p.chat.message('')).toThrow(ChatError);
    const fresh = seedPage({});
    fresh.run(SEED_SNIPPETS.init.replace("CentionChat.baseURL = 'https://cloud.cention.com/s/demo';", ''));
    expect(() => fresh.chat.message('hi')).toThrow(/Set CentionChat.baseURL/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const unsent = p.chat.message('Nobody is connected');
      expect(unsent).toEqual({ id: expect.any(String), message: 'Nobody is connected' });
      expect(warn).toHaveBeenCalledWith('CentionChat:', expect.stringContaining('There is no chat'));
    } finally {
      warn.mockRestore();
    }
  });

  it('never stops a page where the original would not: an unknown event name and a canChat without an area warn once', async () => {
    const p = page();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < 2; i++) p.chat.registerAction('chat messages' as ChatAction, () => undefined);
      p.chat.registerAction('queue', 'not a function' as never);
      const answered = vi.fn();
      p.chat.canChat(answered);
      p.chat.canChat(answered);
      expect(answered).not.toHaveBeenCalled();
      await expect.poll(() => answered.mock.calls.length).toBe(2);
      expect(answered.mock.calls[0]?.[0]).toEqual({ chatOpen: false, agentsAvailable: 0, feature: {}, resumable: false, error: 'canChat(handler, area) needs the area id as a number, got undefined.' });
      p.chat.canChat(answered, '1' as never);
      await expect.poll(() => answered.mock.calls.length).toBe(3);
      expect(answered.mock.calls[2]?.[0]).toMatchObject({ error: 'canChat(handler, area) needs the area id as a number, got "1".' });
      expect(warn.mock.calls.map((call) => call[1])).toEqual([
        expect.stringMatching(/^registerAction: no event is called "chat messages"/),
        'registerAction("queue") needs a function, got "not a function".',
        'canChat(handler, area) needs the area id as a number, got undefined.',
        'canChat(handler, area) needs the area id as a number, got "1".',
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps calling the other handlers when one throws', async () => {
    const p = page();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      p.chat.registerAction('connect', () => {
        throw new Error('page bug');
      });
      const queued = vi.fn();
      p.chat.registerAction('queue', queued);
      p.run(REPAIRED.connect);
      await expect.poll(() => queued.mock.calls.length).toBeGreaterThan(0);
      expect(error).toHaveBeenCalledWith('CentionChat: the "connect" handler threw', expect.any(Error));
    } finally {
      error.mockRestore();
    }
  });
});

describe('the 5.1.0 extensions createErrand and rateChat', () => {
  const t = useChatServer();
  const note = { area: 2, name: 'John Smith', email: 'john.smith@gmail.com', subject: 'Opening hours', message: 'When do you open?' };

  function chatOnServer() {
    const chat = facade({ storage: memoryStorage() });
    chat.baseURL = t.server.baseURL;
    return chat;
  }

  /** Calls an extension and resolves with what its callback got, checking it is called once. */
  async function answerOf<T>(call: (cb: (answer: T) => void) => void): Promise<T> {
    const cb = vi.fn<(answer: T) => void>();
    call(cb);
    await expect.poll(() => cb.mock.calls.length).toBe(1);
    return cb.mock.calls[0]![0];
  }

  it('leaves a message in a closed area; the callback gets the reference', async () => {
    const chat = chatOnServer();
    const answer = await answerOf<unknown>((cb) => chat.createErrand(note, cb));
    expect(answer).toStrictEqual({ reference: expect.stringMatching(/^E-\d+$/) });
    const { area, ...fields } = note;
    expect(t.server.errands()).toEqual([expect.objectContaining({ ...fields, areaId: area, reference: (answer as { reference: string }).reference })]);
  });

  it('never throws at the page: bad input, no baseURL and a missing area come to the callback as {error, code}', async () => {
    const chat = chatOnServer();
    expect(await answerOf((cb) => chat.createErrand({ ...note, email: 'john' }, cb))).toStrictEqual({ error: expect.stringContaining('email'), code: 'invalid-input' });
    expect(await answerOf((cb) => chat.createErrand({ ...note, area: undefined as unknown as number }, cb))).toMatchObject({ code: 'invalid-input' });
    expect(await answerOf((cb) => chat.createErrand(null as unknown as typeof note, cb))).toMatchObject({ code: 'invalid-input' });
    expect(await answerOf((cb) => chat.createErrand({ ...note, area: 99 }, cb))).toMatchObject({ code: 'unknown-area' });
    const unset = facade();
    expect(await answerOf((cb) => unset.createErrand(note, cb))).toMatchObject({ error: expect.stringContaining('baseURL'), code: 'invalid-input' });
    expect(await answerOf((cb) => unset.rateChat({ rating: 5 }, cb))).toMatchObject({ code: 'no-session' });
    expect(t.server.errands()).toEqual([]);
  });

  it('rates the chat that ended once; the second time the callback gets already-rated', async () => {
    const chat = chatOnServer();
    const events = recordEvents(chat);
    chat.connect({ area: 1, name: 'John Smith', email: 'john.smith@gmail.com', message: 'Hi' });
    await events.next('queue');
    const sessionId = t.server.sessions()[0]!.id;
    expect(await answerOf((cb) => chat.rateChat({ rating: 4 }, cb))).toMatchObject({ code: 'invalid-state' });
    t.server.agent.join(sessionId, 'Bea');
    t.server.agent.end(sessionId);
    await events.next('finish chat session');

    expect(await answerOf((cb) => chat.rateChat({ rating: 4, comment: 'Thanks, Bea' }, cb))).toStrictEqual({ rated: true });
    expect(t.server.session(sessionId)?.rating).toMatchObject({ rating: 4, comment: 'Thanks, Bea' });
    expect(await answerOf((cb) => chat.rateChat({ rating: 2 }, cb))).toStrictEqual({ error: 'This chat has already been rated.', code: 'already-rated' });
    expect(await answerOf((cb) => chat.rateChat({ rating: 9 }, cb))).toMatchObject({ code: 'invalid-input' });
  });

  it('says a failure without a callback with console.warn, and survives a callback that throws', async () => {
    const chat = chatOnServer();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      chat.createErrand({ ...note, subject: '' });
      await expect.poll(() => warn.mock.calls.length).toBe(1);
      expect(warn).toHaveBeenCalledWith('CentionChat:', expect.stringContaining('subject'));
      chat.createErrand(note, () => {
        throw new Error('page bug');
      });
      await expect.poll(() => error.mock.calls.length).toBe(1);
      expect(error).toHaveBeenCalledWith('CentionChat: the createErrand callback threw', expect.any(Error));
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});
