/** Entry point of the bundled CLI (dist/cli/keyward.cjs, run by bin/keyward). */
import { EXIT } from './exit-codes.js';
import { main } from './main.js';

/**
 * The reader of our output went away (`keyward list | head`): stop at once
 * and quietly, with the status a program killed by SIGPIPE has (128 + 13),
 * instead of an unhandled EPIPE error and its stack trace.
 */
const OUTPUT_CLOSED = 141;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(OUTPUT_CLOSED);
    process.exit(EXIT.other);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // No details: an unexpected error's text may quote data.
    process.stderr.write('keyward: internal error\n');
    process.exitCode = EXIT.other;
  },
);
