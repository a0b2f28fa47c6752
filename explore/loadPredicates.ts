import type { ScenarioPredicate } from './exploreScenario';
import { SystemConfigError } from '../system/errors';

/**
 * The predicates an ES module exports as its default export (one predicate, or an array of
 * them), loaded by URL: how predicates reach worker threads, which cannot be sent functions.
 * Each thread loads the module once.
 * @param url - the module's URL (`file:` for a file)
 * @returns the predicates
 * @throws SystemConfigError when the module's default export is not a predicate or a non-empty array of them
 * @internal
 */
export const loadPredicates = async (url: string): Promise<readonly ScenarioPredicate[]> => {
  const module = (await import(url)) as { default?: unknown };
  const exported = module.default;
  const list = Array.isArray(exported) ? exported : [exported];
  if (list.length === 0 || list.some((p) => typeof p !== 'function')) {
    throw new SystemConfigError(url, 'must be a module whose default export is a predicate (view) => string | undefined, or an array of them', 'exploreScenarioParallel(checkModule)');
  }
  return list as ScenarioPredicate[];
};
