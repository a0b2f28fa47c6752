import { describe, expect, it } from 'vitest';
import { progressBar } from '../../cli/progressBar';

const progress = (time: number) => ({ time, from: 0, until: 1_000, events: time / 10 });

describe('progressBar', () => {
  it('prints nothing when the output is not a terminal', () => {
    const written: string[] = [];
    const bar = progressBar({ isTTY: false, write: (t) => (written.push(t), true) }, 'run');
    expect(bar.onProgress).toBeUndefined();
    bar.done();
    expect(written).toEqual([]);
  });

  it('redraws one line on a terminal, at most every interval of wall time, always at the end, then clears it', () => {
    const written: string[] = [];
    let wall = 0;
    const bar = progressBar({ isTTY: true, columns: 80, write: (t) => (written.push(t), true) }, 'run', () => wall, 100);
    bar.onProgress!(progress(100));
    wall = 50;
    bar.onProgress!(progress(200)); // too soon: skipped
    wall = 150;
    bar.onProgress!(progress(500));
    wall = 160;
    bar.onProgress!(progress(1_000)); // the end is always drawn
    bar.done();
    expect(written).toHaveLength(4);
    expect(written[0]).toMatch(/^\rrun \[#+\.+\]  10% 10 events$/);
    expect(written[1]).toContain(' 50% 50 events');
    expect(written[2]).toMatch(/\[#+\] 100% 100 events$/);
    expect(written[3]).toBe('\r\x1b[2K');
  });
});
