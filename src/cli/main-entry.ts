// Runnable form of the CLI, independent of where the build was emitted (tests spawn this file;
// bin/sluice.js loads main.js from dist/ instead).
import { main } from './main';

main(process.argv.slice(2));
