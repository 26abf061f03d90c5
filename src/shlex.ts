/**
 * POSIX-style word splitting as SOPS does it with google/shlex, for every command line
 * sobre runs without a shell: `$SOPS_EDITOR`/`$EDITOR`, SOPS_AGE_KEY_CMD,
 * SOPS_AGE_SSH_PRIVATE_KEY_CMD. Pipes and `$VARS` are not interpreted. A leaf utility:
 * anything may import it.
 */

/** Split a command line into words. Throws on an unterminated quote or escape. */
export function splitCommand(input: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (c === "#" && !inWord) {
      // A comment runs to the end of the line.
      const nl = input.indexOf("\n", i);
      i = nl < 0 ? input.length : nl;
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
        if (input[j] === "\\" && j + 1 < input.length && '\\"$`\n'.includes(input[j + 1]!)) j++;
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
