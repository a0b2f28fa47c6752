import { DESCRIBE_VALUE_MAX_LENGTH } from '../src/shared/describeValue';
import { escapeInvisible } from '../src/shared/escapeInvisible';

/**
 * A word longer than this is a value nobody cut (a path, an argument quoted
 * by commander): it is cut to {@link DESCRIBE_VALUE_MAX_LENGTH} characters.
 * The slack above that limit keeps values `describeValue` already cut
 * (`"aaaa…"`, 161 characters) whole.
 */
const LONGEST_WORD = DESCRIBE_VALUE_MAX_LENGTH + 40;
/** The whole line's bound: whatever the message, the line stays readable. */
const LONGEST_LINE = 1_000;

/** The first `n` code points of `text`, `…`, and its length, when it has more than `limit`. */
const cut = (text: string, limit: number, n: number): string => {
  const points = Array.from(text);
  return points.length <= limit ? text : `${points.slice(0, n).join('')}… (${points.length} chars)`;
};

/**
 * Makes an error message safe to print as one line of a terminal: every
 * character that would not show as itself (newline, tab, control and
 * zero-width characters, bidi overrides, a stray byte order mark) is written
 * as an escape (`\n`, `\u200b`), and a word or a line too long to read is
 * cut with `…` and its length in characters.
 *
 * ## Example
 * ```ts
 * errorLine('unknown option \'--fo\u200bo\''); // "unknown option '--fo\\u200bo'"
 * ```
 * @param message - an error's message, as thrown
 * @returns one line, without a line break
 */
export const errorLine = (message: string): string => {
  const words = message.split(' ').map((word) => escapeInvisible(cut(word, LONGEST_WORD, DESCRIBE_VALUE_MAX_LENGTH)));
  return cut(words.join(' '), LONGEST_LINE, LONGEST_LINE - 40);
};
