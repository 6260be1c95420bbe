// The runtime API's line syntax, as HAProxy's CLI reads it: commands separated by ';', words by
// spaces or tabs, and a backslash makes the next character literal (`\;`, `\ `, `\\`).

/** Splits one input line into commands, each a list of words; empty commands are dropped. */
export function splitLine(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\' && i + 1 < line.length) {
      word += line[++i] as string;
      inWord = true;
    } else if (c === ';') {
      endCommand();
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}
