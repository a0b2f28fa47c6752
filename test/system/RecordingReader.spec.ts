import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLines, openRecordingFile } from '../../cli/readRecordingFile';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import { waitUntil } from '../../operators/driverCommands';
import { guestRead, guestWrite } from '../../src/bus/GuestAccess';
import {
  formatRecordingFile,
  parseRecordingFile,
  RecordingFormatError,
  RecordingReader,
  System,
  SystemConfigError,
  textLines,
  type RecordedStep,
} from '../../system';
import { thrown } from '../support/errors';
import { legacyParseRecordingFile } from './support/legacyParseRecordingFile';

const run = (scenario: unknown = null): string => {
  const system = new System({ recordInputs: true });
  system.addDevice(new MinimalTimer(system.clock, { name: 'timer0', periodNs: 100 }), { base: 0x1000 });
  system.addGuest('g', function* () {
    yield guestWrite(0x1000, 9);
    yield guestWrite(0x1008, 3);
    for (let t = 450; t <= 2700; t += 450) {
      yield waitUntil(t);
      yield guestRead(0x1004);
      yield guestRead(0x100c);
    }
  });
  system.run(3_000);
  return formatRecordingFile({ scenario, until: 3_000 }, system.recording, system.trace);
};

const dir = mkdtempSync(join(tmpdir(), 'ptimer-rx-reader-'));
let files = 0;
const fileOf = (text: string): string => {
  const path = join(dir, `r${files++}.jsonl`);
  writeFileSync(path, text);
  return path;
};

/** Everything a reader gives, read the way a replay reads it: all steps first, then all events. */
const readAll = (reader: RecordingReader) => {
  const steps: RecordedStep[] = [];
  for (let s = reader.nextStep(); s !== undefined; s = reader.nextStep()) steps.push(s);
  const events: string[] = [];
  for (let e = reader.nextEvent(); e !== undefined; e = reader.nextEvent()) events.push(e.json);
  return { header: reader.header, steps, events, totals: reader.finish() };
};

const readFile = (text: string, chunkBytes: number) => {
  const opened = openRecordingFile(fileOf(text), chunkBytes);
  try {
    return readAll(opened.reader);
  } finally {
    opened.close();
  }
};

/** The error a read of `text` from a file throws (chunk size `chunkBytes`). */
const fileError = (text: string, chunkBytes: number): unknown => thrown(() => readFile(text, chunkBytes));

describe('fileLines', () => {
  it.each([1, 2, 3, 5, 7, 64, 1 << 16])('gives the lines split("\\n") gives, the last empty piece dropped, multi-byte characters split across chunks of %i bytes', (chunk) => {
    for (const text of ['', '\n', 'a', 'a\n', 'a\n\nb', 'é€😀\n😀x\n', '\r\n\r\n', 'x'.repeat(300) + '\n€'.repeat(40)]) {
      const fd = openSync(fileOf(text), 'r');
      const cursor = fileLines(fd, chunk);
      const lines: string[] = [];
      for (let l = cursor.next(); l !== undefined; l = cursor.next()) lines.push(l);
      closeSync(fd);
      const expected = text.split('\n');
      if (expected.at(-1) === '') expected.pop();
      expect(lines).toEqual(expected);
      expect(cursor.endsWithNewline).toBe(text.endsWith('\n'));
      const inMemory = textLines(text);
      const same: string[] = [];
      for (let l = inMemory.next(); l !== undefined; l = inMemory.next()) same.push(l);
      expect(same).toEqual(expected);
    }
  });
});

describe('RecordingReader', () => {
  it.each([1, 2, 3, 7, 13, 64, 4096])('reads a file in chunks of %i bytes as parseRecordingFile reads its text (a non-ASCII scenario, a BOM, no final newline)', (chunk) => {
    const text = run({ name: 'tïmer €😀' });
    const whole = parseRecordingFile(text);
    const expected = { header: whole.header, steps: whole.recording.steps, events: whole.trace.events.map((e) => JSON.stringify(e)) };
    for (const file of [text, `\ufeff${text}`, text.trimEnd()]) {
      const read = readFile(file, chunk);
      expect({ header: read.header, steps: read.steps, events: read.events }).toEqual(expected);
      expect(read.totals).toEqual({ steps: whole.recording.steps.length, events: whole.trace.events.length, digest: whole.trace.digest() });
      expect(read.totals.digest).toBe(whole.header.digest);
    }
  });

  it('hands steps and events out in any interleaving, as a replay asks for them', () => {
    const text = run();
    const whole = parseRecordingFile(text);
    const reader = new RecordingReader(() => textLines(text));
    const steps: RecordedStep[] = [];
    const events: unknown[] = [];
    for (;;) {
      const e = reader.nextEvent();
      if (e !== undefined) events.push(e.event);
      const s = reader.nextStep();
      if (s !== undefined) steps.push(s);
      if (e === undefined && s === undefined) break;
    }
    expect(steps).toEqual(whole.recording.steps);
    expect(events).toEqual(whole.trace.events);
    expect(reader.stepCount).toBe(steps.length);
    expect(reader.eventCount).toBe(events.length);
  });

  const good = (): string[] => run().trimEnd().split('\n');
  const edits: [string, (lines: string[]) => string[], string | RegExp | null][] = [
    ['empty', () => [], 'recording line 1: "\\n" is invalid: the file is empty; a recording starts with its header line'],
    ['blank', () => ['  ', '', '\t'], 'recording line 1: "  \\n\\n\\t\\n" is invalid: the file is empty'],
    ['blank first line', (l) => ['  ', ...l], 'recording line 1: "  " is invalid: must be JSON'],
    ['not JSON', (l) => ['{', ...l.slice(1)], 'recording line 1: "{" is invalid: must be JSON'],
    ['no header', (l) => l.slice(1), /^recording line 1: \{"step":.* is invalid: the first line must be a ptimer-rx-recording header/],
    ['bad version', (l) => [l[0]!.replace('"version":1', '"version":7'), ...l.slice(1)], 'recording line 1, version: 7 is invalid: is not supported'],
    ['bad until', (l) => [l[0]!.replace('"until":3000', '"until":-3'), ...l.slice(1)], 'recording line 1, until: -3 is invalid: must be whole ns'],
    ['bad digest', (l) => [l[0]!.replace(/"digest":"[0-9a-f]+"/, '"digest":"xyz"'), ...l.slice(1)], 'recording line 1, digest: "xyz" is invalid: must be 16 hex digits'],
    ['bad count', (l) => [l[0]!.replace(/"events":\d+/, '"events":1.5'), ...l.slice(1)], 'recording line 1, events: 1.5 is invalid: must be a whole number'],
    ['bad step', (l) => [l[0]!, '{"step":[0,-1,[]]}', ...l.slice(2)], 'recording line 2, step: [0,-1,[]] is invalid: must be [time, after, [accesses...]]'],
    ['step not JSON', (l) => [...l.slice(0, 3), '{"step":[0,', ...l.slice(4)], 'recording line 4: "{\\"step\\":[0," is invalid: must be JSON'],
    ['bad access', (l) => [l[0]!, '{"step":[0,0,[["x",1,4]]]}', ...l.slice(2)], 'recording line 2, access: ["x",1,4] is invalid: must be'],
    ['bad address', (l) => [l[0]!, '{"step":[0,0,[["r",-1,4]]]}', ...l.slice(2)], 'recording line 2, address: -1 is invalid: must be a whole, non-negative number'],
    ['bad size', (l) => [l[0]!, '{"step":[0,0,[["r",1,3]]]}', ...l.slice(2)], 'recording line 2, size: 3 is invalid: must be 1, 2, 4 or 8'],
    ['truncated', (l) => l.slice(0, -2), /^recording line \d+: \d+ is invalid: is the number of trace events the file holds, but the header promises \d+/],
    ['no events', (l) => l.filter((x, i) => i === 0 || x.startsWith('{"step"')), /^recording line 8: 0 is invalid: is the number of trace events/],
    ['one event too many', (l) => [...l, l.at(-1)!], /^recording line \d+: \d+ is invalid: is the number of trace events the file holds/],
    ['bad event', (l) => [...l.slice(0, -1), '{"kind":"nope","time":0,"source":"x"}'], 'recording line'],
    ['event not JSON', (l) => [...l.slice(0, 12), 'nope', ...l.slice(13)], 'recording line 13: "nope" is invalid: must be JSON'],
    ['a bad step after a bad event', (l) => [...l.slice(0, 7), '{"step":[0,0,[["r",1,3]]]}', 'nope', ...l.slice(7)], 'recording line 8, size: 3'],
    ['a step line among the events', (l) => [...l.slice(0, 12), l[1]!, ...l.slice(12)], 'recording line 13'],
    // not as the writer spaces it, but a step line all the same
    ['a spaced step line', (l) => [l[0]!, l[1]!.replace('{"step":', '{ "step" :'), ...l.slice(2)], null],
  ];

  it.each(edits)('rejects a file that is %s as the whole-file reader did (message and line), in memory and in chunks', (_name, edit, message) => {
    const lines = edit(good());
    const text = lines.length === 0 ? '\n' : `${lines.map((l) => l).join('\n')}\n`;
    let legacy: unknown;
    try {
      legacyParseRecordingFile(text);
    } catch (error) {
      legacy = error;
    }
    const now = (() => {
      try {
        parseRecordingFile(text);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect((now as Error | undefined)?.message).toBe((legacy as Error | undefined)?.message);
    if (message === null) {
      expect(legacy).toBeUndefined();
      expect(readFile(text, 5).steps).toEqual(legacyParseRecordingFile(text).recording.steps);
      return;
    }
    expect(legacy).toBeInstanceOf(RecordingFormatError);
    expect((legacy as Error).message).toMatch(message);
    for (const chunk of [1, 5, 64]) {
      const error = fileError(text, chunk);
      expect(error).toBeInstanceOf(RecordingFormatError);
      expect((error as RecordingFormatError).message).toBe((legacy as Error).message);
      expect((error as RecordingFormatError).line).toBe((legacy as RecordingFormatError).line);
    }
  });

  it('keeps its first error: every later call throws it again', () => {
    const lines = good();
    lines[2] = '{"step":[0,0,[["r",1,3]]]}';
    const reader = new RecordingReader(() => textLines(`${lines.join('\n')}\n`));
    expect(reader.nextStep()).toBeDefined();
    const first = thrown(() => reader.nextStep());
    expect(thrown(() => reader.nextStep())).toBe(first);
    expect(thrown(() => reader.finish())).toBe(first);
  });
});

describe('System.replay of steps given one at a time', () => {
  const build = (): System => {
    const system = new System();
    system.addDevice(new MinimalTimer(system.clock, { name: 'timer0', periodNs: 100 }), { base: 0x1000 });
    return system;
  };

  it('takes the steps only as it reaches them: never more than one instant ahead of those run, over 20 000 steps', () => {
    const steps = 20_000;
    const system = build();
    let taken = 0;
    let run = 0;
    let most = 0;
    system.watchTrace((e) => {
      if (e.kind === 'read') run++;
    });
    function* source(): Generator<RecordedStep> {
      for (let i = 0; i < steps; i++) {
        taken++;
        most = Math.max(most, taken - run);
        // two steps an instant, the second after the device events there
        yield { time: 50 * Math.floor(i / 2) + 1, after: 0, accesses: [{ kind: 'read', address: 0x1004, size: 4 }] };
      }
    }
    system.replay({ steps: { [Symbol.iterator]: source } });
    system.run(50 * steps);
    expect(run).toBe(steps);
    expect(taken).toBe(steps);
    // one instant's two steps, and the first of the next found while looking for the end of it
    expect(most).toBeLessThanOrEqual(3);
  });

  it('gives the trace a recording replayed whole gives', () => {
    const whole = parseRecordingFile(run());
    const a = build();
    a.replay(whole.recording);
    a.run(3_000);
    const b = build();
    b.replay({ steps: { [Symbol.iterator]: () => whole.recording.steps.values() } });
    b.run(3_000);
    expect(b.digest()).toBe(whole.header.digest);
    expect(b.trace.events).toEqual(a.trace.events);
  });

  it('a step out of time order fails the run that takes it, naming its index, as an array fails replay()', () => {
    const steps: RecordedStep[] = [
      { time: 10, after: 0, accesses: [] },
      { time: 20, after: 0, accesses: [] },
      { time: 15, after: 0, accesses: [] },
    ];
    const whole = thrown(() => build().replay({ steps }));
    const lazy = build().replay({ steps: { [Symbol.iterator]: () => steps.values() } });
    const error = thrown(() => lazy.run(100));
    expect(error).toBeInstanceOf(SystemConfigError);
    expect((error as Error).message).toBe((whole as Error).message);
    expect((error as Error).message).toMatch(/replay\(steps\[2\]\.time\)/);
  });
});
