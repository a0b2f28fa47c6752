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
 * `text` with every character that would not show as itself written as an
 * escape (`\n`, `\u00a0`, `\u200b`), so a message names exactly what it got.
 */
export const escapeInvisible = (text: string): string => text.replace(INVISIBLE, escape);
