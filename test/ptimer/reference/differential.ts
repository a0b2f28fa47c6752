import fc from 'fast-check';
import { PTimer, VirtualClock, policyName } from '../../../index';
import type { PTimerPolicy } from '../../../index';
import { ReferenceTimer } from './ReferenceTimer';
import type { ReferenceTriggerCause } from './ReferenceTimer';

/**
 * Random cases for the differential test of PTimer against
 * {@link ReferenceTimer}, and the runner that plays a case on both and
 * compares them after every step.
 */

const U64_MAX = (1n << 64n) - 1n;

/** One call inside a transaction (`getCount` is a stale read, §1.6). */
export type Mutation =
  | { readonly op: 'setPeriod'; readonly ns: number }
  | { readonly op: 'setLimit'; readonly value: bigint; readonly reload: boolean }
  | { readonly op: 'setCount'; readonly value: bigint }
  | { readonly op: 'run'; readonly oneshot: boolean }
  | { readonly op: 'stop' }
  | { readonly op: 'getCount' };

export type Step =
  | { readonly op: 'transaction'; readonly changes: readonly Mutation[] }
  /** `stepwise`: advance 1 ns at a time and compare the count after each. */
  | { readonly op: 'advanceBy'; readonly ns: number; readonly stepwise: boolean }
  | { readonly op: 'read' };

/** A setter the device callback may call on its own timer, without begin() (§1.11). */
export type CallbackCall =
  | { readonly op: 'stop' }
  | { readonly op: 'setCount'; readonly value: bigint }
  | { readonly op: 'setLimit'; readonly value: bigint; readonly reload: boolean }
  | { readonly op: 'run'; readonly oneshot: boolean };

export interface Case {
  readonly origin: number;
  /** What the callback does at every trigger (it also reads the count before and after). */
  readonly callback: readonly CallbackCall[];
  readonly steps: readonly Step[];
}

const bigValue = fc.constantFrom(U64_MAX, U64_MAX - 1n, U64_MAX - 2n, 1n << 63n, (1n << 53n) + 1n, 1n << 32n);
const countValue = fc.oneof(
  { weight: 24, arbitrary: fc.bigInt({ min: 0n, max: 12n }) },
  { weight: 1, arbitrary: bigValue },
);
const positiveValue = fc.bigInt({ min: 1n, max: 12n });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 }).map((ns) => ({ op: 'setPeriod', ns }) as const) },
  {
    weight: 3,
    arbitrary: fc.tuple(countValue, fc.boolean()).map(([value, reload]) => ({ op: 'setLimit', value, reload }) as const),
  },
  { weight: 3, arbitrary: countValue.map((value) => ({ op: 'setCount', value }) as const) },
  { weight: 3, arbitrary: fc.boolean().map((oneshot) => ({ op: 'run', oneshot }) as const) },
  { weight: 2, arbitrary: fc.constant({ op: 'stop' } as const) },
  { weight: 1, arbitrary: fc.constant({ op: 'getCount' } as const) },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 19 }))
      // Now and then the transaction ends by zeroing the period ("period zero" stop, §1.7
      // step 4). Only last: a latch with period 0 on a running timer would divide by zero.
      .map(([changes, dice]) => ({
        op: 'transaction',
        changes: dice === 0 ? [...changes, { op: 'setPeriod', ns: 0 } as const] : changes,
      }) as const),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 40 }), fc.boolean())
      .map(([ns, stepwise]) => ({ op: 'advanceBy', ns, stepwise }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'read' } as const) },
);

/** Most sequences start with a period (else nothing runs), a limit or count, and often a run. */
const setup: fc.Arbitrary<Step> = fc
  .record({
    ns: fc.integer({ min: 1, max: 6 }),
    count: fc.oneof(
      fc.tuple(countValue, fc.boolean()).map(([value, reload]): Mutation => ({ op: 'setLimit', value, reload })),
      countValue.map((value): Mutation => ({ op: 'setCount', value })),
    ),
    run: fc.option(fc.boolean(), { freq: 4, nil: undefined }),
  })
  .map(({ ns, count, run }) => ({
    op: 'transaction',
    changes: [{ op: 'setPeriod', ns }, count, ...(run === undefined ? [] : [{ op: 'run', oneshot: run } as const])],
  }));

const callbackCall: fc.Arbitrary<CallbackCall> = fc.oneof(
  fc.constant({ op: 'stop' } as const),
  positiveValue.map((value) => ({ op: 'setCount', value }) as const),
  fc.tuple(positiveValue, fc.boolean()).map(([value, reload]) => ({ op: 'setLimit', value, reload }) as const),
  fc.boolean().map((oneshot) => ({ op: 'run', oneshot }) as const),
);

/**
 * No program can re-trigger forever at one instant: the programs never write
 * a zero count, and `run` never follows `stop` (a stop that latches 0 followed
 * by a restart would trigger again at every commit round under LEGACY).
 */
const callbackProgram: fc.Arbitrary<readonly CallbackCall[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant([]) },
  { weight: 4, arbitrary: callbackCall.map((call) => [call]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(callbackCall, callbackCall)
      .filter(([first, second]) => !(first.op === 'stop' && second.op === 'run')),
  },
);

export const testCase: fc.Arbitrary<Case> = fc.record({
  origin: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 40 })),
  callback: callbackProgram,
  steps: fc
    .tuple(fc.option(setup, { freq: 8, nil: undefined }), fc.array(step, { minLength: 1, maxLength: 48, size: 'medium' }))
    .map(([first, rest]) => (first === undefined ? rest : [first, ...rest])),
});

// ---- playing a case ----------------------------------------------------------

/** The setters and reads both timers share. */
interface Timer {
  setPeriod(ns: number): void;
  setLimit(limit: bigint, reload: boolean): void;
  setCount(count: bigint): void;
  run(oneshot: boolean): void;
  stop(): void;
  getCount(): bigint;
  getLimit(): bigint;
  readonly mode: string;
}

/** Applies one call; returns the value if it was a read. */
const apply = (m: Mutation | CallbackCall, timer: Timer): bigint | undefined => {
  switch (m.op) {
    case 'setPeriod':
      return void timer.setPeriod(m.ns);
    case 'setLimit':
      return void timer.setLimit(m.value, m.reload);
    case 'setCount':
      return void timer.setCount(m.value);
    case 'run':
      return void timer.run(m.oneshot);
    case 'stop':
      return void timer.stop();
    case 'getCount':
      return timer.getCount();
  }
};

/** A trigger, with what the callback read before and after running its program. */
const callbackView = (program: readonly CallbackCall[], timer: Timer, time: number, cause: ReferenceTriggerCause) => {
  const before = `${timer.mode}:${timer.getCount()}`;
  for (const call of program) apply(call, timer);
  return `${cause}@${time}(${before}->${timer.mode}:${timer.getCount()})`;
};

const call = (m: Mutation | CallbackCall): string => {
  switch (m.op) {
    case 'setPeriod':
      return `t.setPeriod(${m.ns})`;
    case 'setLimit':
      return `t.setLimit(${m.value}n, ${m.reload})`;
    case 'setCount':
      return `t.setCount(${m.value}n)`;
    case 'run':
      return `t.run(${m.oneshot})`;
    case 'stop':
      return 't.stop()';
    case 'getCount':
      return 'log.push(`in transaction: ${t.getCount()}`)';
  }
};

/** The case up to step `upTo`, as plain PTimer calls, each followed by what the model observed. */
const render = (policy: readonly PTimerPolicy[], c: Case, upTo: number, notes: readonly string[]): string => {
  const callback = [
    'log.push(`${cause}@${time}(${t.mode}:${t.getCount()}->`)',
    ...c.callback.map(call),
    'log.push(`${t.mode}:${t.getCount()})`)',
  ].join('; ');
  const lines = [
    `const clock = new VirtualClock({ start: ${c.origin} });`,
    'const log: string[] = [];',
    `const timer = new PTimer(clock, {`,
    `  policy: ${JSON.stringify(policy)},`,
    `  onTrigger: ({ timer: t, time, cause }) => { ${callback}; },`,
    '});',
  ];
  c.steps.slice(0, upTo + 1).forEach((s, i) => {
    if (s.op === 'transaction') lines.push(`timer.transaction((t) => { ${s.changes.map(call).join('; ')}; });`);
    else if (s.op === 'advanceBy' && s.stepwise) {
      lines.push(`for (let k = 0; k < ${s.ns}; k++) { clock.advanceBy(1); log.push(\`read: \${timer.getCount()}\`); }`);
    } else if (s.op === 'advanceBy') lines.push(`clock.advanceBy(${s.ns});`);
    else lines.push('timer.getCount();');
    lines.push(`//   model: ${notes[i] ?? ''}`);
  });
  return lines.join('\n');
};

interface Observation {
  readonly count: bigint;
  readonly limit: bigint;
  readonly mode: string;
  /** Reads inside the step: stale reads in a transaction, or one read per ns of a stepwise advance. */
  readonly reads: readonly bigint[];
  /** Every trigger so far, with the callback's view. */
  readonly triggers: readonly string[];
}

const show = (o: Observation, lastTriggers = Infinity): string =>
  `count ${o.count}, limit ${o.limit}, ${o.mode}, reads [${o.reads.join(', ')}], ` +
  `triggers [${o.triggers.slice(-lastTriggers).join(', ')}]`;

/**
 * Plays a case on a PTimer (on a VirtualClock) and on the model, and throws
 * at the first step after which they disagree, with the case so far as plain
 * calls.
 */
export const runCase = (policy: readonly PTimerPolicy[], c: Case): void => {
  const clock = new VirtualClock({ start: c.origin });
  const actualTriggers: string[] = [];
  const streamed: string[] = [];
  const actual = new PTimer(clock, {
    policy,
    onTrigger: ({ timer, time, cause }) => actualTriggers.push(callbackView(c.callback, timer, time, cause)),
  });
  const subscription = actual.triggers$.subscribe(({ time, cause }) => streamed.push(`${cause}@${time}`));
  const modelTriggers: string[] = [];
  const model = new ReferenceTimer({
    policy,
    start: c.origin,
    onTrigger: ({ timer, time, cause }) => modelTriggers.push(callbackView(c.callback, timer, time, cause)),
  });

  const notes: string[] = [];
  try {
    c.steps.forEach((s, i) => {
      const actualReads: bigint[] = [];
      const modelReads: bigint[] = [];
      let thrown: { error: unknown } | undefined;
      const guarded = (body: () => void): void => {
        try {
          body();
        } catch (error) {
          thrown = { error };
        }
      };
      switch (s.op) {
        case 'transaction': {
          const play = (timer: Timer, reads: bigint[]): void => {
            for (const m of s.changes) {
              const v = apply(m, timer);
              if (v !== undefined) reads.push(v);
            }
          };
          model.transaction((t) => play(t, modelReads));
          guarded(() => actual.transaction((t) => play(t, actualReads)));
          break;
        }
        case 'advanceBy':
          if (s.stepwise) {
            for (let k = 0; k < s.ns && thrown === undefined; k++) {
              model.advanceBy(1);
              modelReads.push(model.getCount());
              guarded(() => clock.advanceBy(1));
              actualReads.push(actual.getCount());
            }
          } else {
            model.advanceBy(s.ns);
            guarded(() => clock.advanceBy(s.ns));
          }
          break;
        case 'read':
          break;
      }
      const expected: Observation = {
        count: model.getCount(),
        limit: model.getLimit(),
        mode: model.mode,
        reads: modelReads,
        triggers: modelTriggers,
      };
      notes.push(show(expected, 3));
      const fail = (what: string): never => {
        throw new Error(`${what}\nafter step ${i}, policy ${policyName(policy)}:\n${render(policy, c, i, notes)}`);
      };
      if (thrown !== undefined) fail(`PTimer threw ${String(thrown.error)}`);
      const got: Observation = {
        count: actual.getCount(),
        limit: actual.getLimit(),
        mode: actual.mode,
        reads: actualReads,
        triggers: actualTriggers,
      };
      if (show(got) !== show(expected)) fail(`divergence:\n  PTimer: ${show(got)}\n  model:  ${show(expected)}`);
      const plain = actualTriggers.map((t) => t.slice(0, t.indexOf('(')));
      if (plain.join() !== streamed.join()) fail(`triggers$ [${streamed.join(', ')}] differs from onTrigger`);
    });
  } finally {
    subscription.unsubscribe();
  }
};

/** Plays a case on the model alone (for checking what the random cases reach). */
export const playOnModel = (policy: readonly PTimerPolicy[], c: Case): ReferenceTimer => {
  const model = new ReferenceTimer({
    policy,
    start: c.origin,
    onTrigger: ({ timer, time, cause }) => callbackView(c.callback, timer, time, cause),
  });
  for (const s of c.steps) {
    if (s.op === 'transaction') model.transaction((t) => s.changes.forEach((m) => apply(m, t)));
    else if (s.op === 'advanceBy') model.advanceBy(s.ns);
    else model.getCount();
  }
  return model;
};
