import { describe, expect, it } from 'vitest';
import { labelOf, workTag, type WorkTag } from '../../src/clock/WorkTag';

describe('labelOf', () => {
  it('labels each kind of work', () => {
    expect(labelOf(workTag('expiry', 't0'))).toBe("ptimer 't0' expiry");
    expect(labelOf(workTag('bottom-half', 't0'))).toBe("bottom-half 't0'");
    expect(labelOf(workTag('guest', 'g'))).toBe('guest:g');
    expect(labelOf(workTag('tick', 't0'))).toBe("ptimer 't0' tick");
    expect(labelOf(workTag('placer', 'p'))).toBe("placer 'p'");
    expect(labelOf(workTag('work', ''))).toBe('anonymous work');
    expect(labelOf(workTag('work', 'poll'))).toBe('poll');
  });

  it('follows a tag that is not frozen when it changes', () => {
    const tag: { kind: WorkTag['kind']; owner: string } = { kind: 'guest', owner: 'a' };
    expect(labelOf(tag)).toBe('guest:a');
    tag.owner = 'b';
    expect(labelOf(tag)).toBe('guest:b');
  });
});
