import { isArgumentError } from '../src/shared/ArgumentError';
import { describeValue } from '../src/shared/describeValue';
import { CliError, USAGE_ERROR } from './CliError';

/**
 * A library error about a value the user gave as an option, told in the
 * option's name: the library names its own parameter
 * (`deviceType(name): "nope" is invalid: …`), which the user never typed.
 * Any other error is returned as it is.
 * @param error - what the library threw
 * @param options - the option each library parameter came from: `{ 'deviceType(name)': '--device' }`
 * @returns a usage error naming the option, or `error`
 */
export const optionError = (error: unknown, options: Readonly<Record<string, string>>): unknown => {
  if (!isArgumentError(error) || !Object.hasOwn(options, error.what)) return error;
  return new CliError(`${options[error.what]}: ${describeValue(error.value)} is invalid: ${error.rule}`, USAGE_ERROR);
};
