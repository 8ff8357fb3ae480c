import { ArgumentError, Secret } from '@shipshape/core';

/**
 * Ask for a password on the terminal without echoing it (`-K`, become_ask_pass). Without a
 * terminal there is no one to ask: an error, not a hang on stdin.
 */
export async function askPassword(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<Secret> {
  if (!input.isTTY) {
    throw new ArgumentError(`${prompt.replace(/:\s*$/, '')} needs a terminal to ask on (-K/--ask-become-pass, become_ask_pass); give ansible_become_password (vaulted) instead`, 'ask-become-pass');
  }
  // Echo off before the prompt shows: whatever is typed after it is never echoed.
  input.setRawMode(true);
  input.resume();
  output.write(prompt);
  const chars: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (data: Buffer) => {
        for (const ch of data.toString('utf8')) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            input.off('data', onData);
            return resolve();
          }
          if (ch === '\u0003') {
            input.off('data', onData);
            return reject(new ArgumentError('interrupted at the password prompt', 'ask-become-pass'));
          }
          if (ch === '\u007f' || ch === '\b') chars.pop();
          else chars.push(ch);
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    output.write('\n');
  }
  return new Secret(chars.join(''));
}
