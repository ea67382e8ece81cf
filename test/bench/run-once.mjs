// One measured conversion in a fresh process: node run-once.mjs <file> <target>.
// Prints {"ms":…, "maxRssMiB":…, "objects":…} on stdout's last line.
import { run } from '../../dist/cli/main.js';

const [file, target] = process.argv.slice(2);
let bytes = 0;
let objects = 0;
const io = {
  stdout: (t) => {
    bytes += t.length;
    objects += (t.match(/^kind: /gm) ?? []).length;
  },
  stderr: () => {},
  stderrIsTty: false,
  exitCode: 0,
};
const start = performance.now();
const code = await run(['convert', '-f', file, '--target', target, '-q'], io);
const ms = Math.round(performance.now() - start);
console.log(JSON.stringify({ code, ms, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), objects, outputMiB: +(bytes / 2 ** 20).toFixed(1) }));
