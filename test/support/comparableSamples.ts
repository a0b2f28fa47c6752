import type { CounterSample } from '../../src/trace';

/**
 * A result with its probe samples as plain data, so two runs can be compared
 * with `toEqual`: a sample's forecast holds functions (never equal across
 * runs), so it is replaced by what it says: its end and its next change.
 */
export const comparableSamples = <T extends { readonly samples?: readonly CounterSample[] }>(result: T): T => ({
  ...result,
  ...(result.samples === undefined
    ? {}
    : {
        samples: result.samples.map(({ forecast, ...sample }) =>
          forecast === undefined ? sample : { ...sample, forecast: { until: forecast.until, next: forecast.nextChange(sample.time) } },
        ),
      }),
});
