import { DESCRIBE_VALUE_MAX_LENGTH } from '../src/shared/describeValue';

/**
 * Characters a terminal shows as nothing, as something else, or not at all:
 * control and format characters (zero-width spaces and joiners, bidi
 * overrides, the byte order mark), line and paragraph separators, spaces
 * other than U+0020 (a no-break space reads as a space but is not one),
 * default-ignorable and private-use code points, lone surrogates.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escape = (ch: string): string => {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

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
  const words = message.split(' ').map((word) => cut(word, LONGEST_WORD, DESCRIBE_VALUE_MAX_LENGTH).replace(INVISIBLE, escape));
  return cut(words.join(' '), LONGEST_LINE, LONGEST_LINE - 40);
};
