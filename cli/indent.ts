/** Indents every line of `text` by two spaces (nested CLI output). */
export const indent = (text: string): string =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
