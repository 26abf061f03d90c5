/**
 * Split `$EDITOR` into words the way SOPS does (google/shlex): whitespace separates,
 * single quotes are literal, double quotes allow backslash escapes, a backslash escapes
 * the next character. No variables, globs or pipes: the program runs without a shell.
 * Throws a plain Error on an unterminated quote or escape.
 */
export function splitShellWords(input: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (c === "\\") {
      if (i + 1 >= input.length) throw new Error("unterminated escape");
      word += input[++i];
      inWord = true;
    } else if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new Error("unterminated single quote");
      word += input.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < input.length && input[j] !== '"'; j++) {
        if (input[j] === "\\" && j + 1 < input.length) j++;
        word += input[j];
      }
      if (j >= input.length) throw new Error("unterminated double quote");
      i = j;
      inWord = true;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
