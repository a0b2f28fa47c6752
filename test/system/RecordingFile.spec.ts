import { describe, expect, it } from 'vitest';
import { MinimalTimer } from '../../devices/minimal-timer/MinimalTimer';
import { waitUntil } from '../../operators/driverCommands';
import { guestRead, guestWrite } from '../../src/bus/GuestAccess';
import { formatRecordingFile, parseRecordingFile, RecordingFormatError, System } from '../../system';
import { thrown } from '../support/errors';

const run = (): System => {
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
  return system;
};

describe('recording files', () => {
  it('round-trip: header, steps and trace come back equal', () => {
    const system = run();
    const text = formatRecordingFile({ scenario: { name: 'x' }, until: 3_000 }, system.recording, system.trace);
    const lines = text.trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      format: 'ptimer-rx-recording',
      version: 1,
      scenario: { name: 'x' },
      until: 3_000,
      digest: system.digest(),
      events: system.trace.events.length,
    });
    expect(lines[1]).toBe('{"step":[0,0,[["w",4096,4,9],["w",4104,4,3]]]}');
    const parsed = parseRecordingFile(text);
    expect(parsed.recording).toEqual(system.recording);
    expect(parsed.trace.events).toEqual(system.trace.events);
    expect(parsed.header.digest).toBe(parsed.trace.digest());
  });

  it('a replay of a parsed file reproduces the digest', () => {
    const system = run();
    const parsed = parseRecordingFile(formatRecordingFile({ scenario: null, until: 3_000 }, system.recording, system.trace));
    const replay = new System();
    replay.addDevice(new MinimalTimer(replay.clock, { name: 'timer0', periodNs: 100 }), { base: 0x1000 });
    replay.replay(parsed.recording);
    replay.run(parsed.header.until);
    expect(replay.digest()).toBe(parsed.header.digest);
  });

  const good = (): string[] => {
    const system = run();
    return formatRecordingFile({ scenario: null, until: 3_000 }, system.recording, system.trace).trimEnd().split('\n');
  };

  it.each<[string, (lines: string[]) => string[], string | RegExp]>([
    ['empty', () => [], 'recording line 1: "\\n" is invalid: the file is empty; a recording starts with its header line'],
    ['not JSON', (l) => ['{', ...l.slice(1)], 'recording line 1: "{" is invalid: must be JSON'],
    ['no header', (l) => l.slice(1), /^recording line 1: \{"step":.* is invalid: the first line must be a ptimer-rx-recording header/],
    ['bad version', (l) => [l[0]!.replace('"version":1', '"version":7'), ...l.slice(1)], 'recording line 1, version: 7 is invalid: is not supported'],
    ['bad step', (l) => [l[0]!, '{"step":[0,-1,[]]}', ...l.slice(2)], 'recording line 2, step: [0,-1,[]] is invalid: must be [time, after, [accesses...]]'],
    ['bad access', (l) => [l[0]!, '{"step":[0,0,[["x",1,4]]]}', ...l.slice(2)], 'recording line 2, access: ["x",1,4] is invalid: must be'],
    ['bad size', (l) => [l[0]!, '{"step":[0,0,[["r",1,3]]]}', ...l.slice(2)], 'recording line 2, size: 3 is invalid: must be 1, 2, 4 or 8'],
    ['truncated', (l) => l.slice(0, -2), /^recording line \d+: \d+ is invalid: is the number of trace events the file holds, but the header promises \d+/],
    ['bad event', (l) => [...l.slice(0, -1), '{"kind":"nope","time":0,"source":"x"}'], 'recording line'],
  ])('rejects a file that is %s with a RecordingFormatError naming the line', (_name, edit, message) => {
    const error = thrown(() => parseRecordingFile(`${edit(good()).join('\n')}\n`));
    expect(error).toBeInstanceOf(RecordingFormatError);
    expect((error as Error).message).toMatch(message);
  });
});
