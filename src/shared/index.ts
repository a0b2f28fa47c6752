export { ArgumentError, ArgumentTypeError, isArgumentError } from './ArgumentError';
export { DESCRIBE_VALUE_MAX_LENGTH, describeValue } from './describeValue';
export { escapeInvisible } from './escapeInvisible';
export type { ValueForecast } from './ValueForecast';
