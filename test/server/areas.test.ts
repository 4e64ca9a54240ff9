import { describe, expect, it } from 'vitest';
import { resolveArea, resolveAreas } from '../../server/areas';

const at = (iso: string) => Date.parse(iso);

describe('areas', () => {
  it('fills in defaults: UTC, always open, one simulated agent, attachments off, a queue of 50', () => {
    const area = resolveArea({ id: 1, name: 'Support' });

    expect(area).toMatchObject({ timeZone: 'UTC', hours: 'always', queueLimit: 50, idleTimeoutMs: 30 * 60_000 });
    expect(area.agents).toEqual({ mode: 'simulated', names: ['Alice'], capacity: Infinity, joinDelayMs: 1500, replyDelayMs: 700, typingMs: 1200 });
    expect(area.features).toEqual({ 'chat.attachment': false, 'chat.max-attachment-size': 10 * 1024 * 1024, 'chat.max-image-size': 10 * 1024 * 1024, 'chat.external-source-page': '' });
  });

  it('opens by the clock of its own time zone, across daylight saving time', () => {
    const area = resolveArea({ id: 1, name: 'Stockholm', timeZone: 'Europe/Stockholm', hours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '17:00' }] });

    expect(area.isOpen(at('2026-01-05T06:59:00Z'))).toBe(false); // 07:59 CET
    expect(area.isOpen(at('2026-01-05T07:00:00Z'))).toBe(true); // 08:00 CET
    expect(area.isOpen(at('2026-01-05T15:59:00Z'))).toBe(true); // 16:59 CET
    expect(area.isOpen(at('2026-01-05T16:00:00Z'))).toBe(false); // 17:00 CET
    expect(area.isOpen(at('2026-07-06T06:00:00Z'))).toBe(true); // 08:00 CEST
    expect(area.isOpen(at('2026-07-06T05:59:00Z'))).toBe(false); // 07:59 CEST
    expect(area.isOpen(at('2026-01-10T10:00:00Z'))).toBe(false); // Saturday
  });

  it('runs a span whose close is before its open past midnight into the next day', () => {
    const area = resolveArea({ id: 1, name: 'Night', hours: [{ days: ['fri'], open: '22:00', close: '02:00' }] });

    expect(area.isOpen(at('2026-01-09T21:59:00Z'))).toBe(false); // Friday
    expect(area.isOpen(at('2026-01-09T23:30:00Z'))).toBe(true);
    expect(area.isOpen(at('2026-01-10T01:59:00Z'))).toBe(true); // Saturday, still Friday's span
    expect(area.isOpen(at('2026-01-10T02:00:00Z'))).toBe(false);
    expect(area.isOpen(at('2026-01-10T23:00:00Z'))).toBe(false); // Saturday night has no span
  });

  it('closes a span at 24:00 at midnight', () => {
    const area = resolveArea({ id: 1, name: 'Late', hours: [{ days: ['mon'], open: '20:00', close: '24:00' }] });

    expect(area.isOpen(at('2026-01-05T23:59:00Z'))).toBe(true);
    expect(area.isOpen(at('2026-01-06T00:00:00Z'))).toBe(false);
  });

  it('writes times as HH:MM and dates as YYYY-MM-DD of its time zone', () => {
    const area = resolveArea({ id: 1, name: 'Tokyo', timeZone: 'Asia/Tokyo' });

    expect(area.formatTime(at('2026-01-05T15:04:00Z'))).toBe('00:04');
    expect(area.formatDate(at('2026-01-05T15:04:00Z'))).toBe('2026-01-06');
  });

  it('stamps every instant with its own minute, in the order a server meets them: within a minute, across one, and across a change to daylight saving time', () => {
    // A minute's local time is read once and kept: each instant here must still read as its own.
    const area = resolveArea({ id: 1, name: 'Stockholm', timeZone: 'Europe/Stockholm' });
    const fresh = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    // Clocks went from 02:00 to 03:00 at 2026-03-29T01:00:00Z.
    const instants = ['2026-03-29T00:59:00.000Z', '2026-03-29T00:59:59.999Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:00:30.000Z', '2026-03-29T01:01:00.000Z', '2026-03-29T00:59:30.000Z', '2026-03-29T01:00:59.999Z'];
    for (const instant of instants) expect(area.formatTime(at(instant)), instant).toBe(fresh.format(at(instant)));
    expect(instants.map((instant) => area.formatTime(at(instant)))).toEqual(['01:59', '01:59', '03:00', '03:00', '03:01', '01:59', '03:00']);
    expect(area.formatDate(at('2026-03-29T01:00:00Z'))).toBe('2026-03-29');
    expect(area.formatDate(at('2026-03-29T22:00:00Z'))).toBe('2026-03-30');
  });

  it('limits images by the image size and other files by the attachment size', () => {
    const area = resolveArea({ id: 1, name: 'Files', features: { 'chat.attachment': true, 'chat.max-attachment-size': 100, 'chat.max-image-size': 10 } });

    expect(area.maxUploadBytes('image/png')).toBe(10);
    expect(area.maxUploadBytes('IMAGE/JPEG')).toBe(10);
    expect(area.maxUploadBytes('application/pdf')).toBe(100);
  });

  it.each([
    [{ id: 1.5, name: 'A' }, 'area id must be an integer'],
    [{ id: 1, name: ' ' }, 'area 1.name must be a non-empty string'],
    [{ id: 1, name: 'A', timeZone: 'Mars/Olympus' }, 'area 1.timeZone must be an IANA time zone'],
    [{ id: 1, name: 'A', hours: [{ days: ['mon'], open: '8:00', close: '17:00' }] }, 'area 1.hours[0].open must be HH:MM'],
    [{ id: 1, name: 'A', hours: [{ days: ['mon'], open: '08:00', close: '24:30' }] }, 'area 1.hours[0].close must be HH:MM'],
    [{ id: 1, name: 'A', hours: [{ days: ['monday'], open: '08:00', close: '17:00' }] }, 'area 1.hours[0].days must hold mon..sun'],
    [{ id: 1, name: 'A', queueLimit: -1 }, 'area 1.queueLimit must be a number >= 0'],
  ])('refuses a bad setting with a TypeError that names it: %j', (config, message) => {
    expect(() => resolveArea(config as never)).toThrow(TypeError);
    expect(() => resolveArea(config as never)).toThrow(message);
  });

  it('refuses two areas with one id', () => {
    expect(() => resolveAreas([{ id: 1, name: 'A' }, { id: 1, name: 'B' }])).toThrow('area id 1 is used twice');
  });
});
