/** Entry point of the bundled CLI (dist/cli/keyward.cjs, run by bin/keyward). */
import { EXIT } from './exit-codes.js';
import { main } from './main.js';

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
