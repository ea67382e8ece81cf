// The YAML round-trip floor in a fresh process: load every document of <file> with js-yaml and
// dump each back (noRefs), timed the same way as run-once.mjs (module load included).
import { readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const start = performance.now();
const { default: yaml } = await import('js-yaml');
const docs = yaml.loadAll(readFileSync(file, 'utf8'));
let bytes = 0;
for (const doc of docs) bytes += yaml.dump(doc, { noRefs: true }).length;
const ms = Math.round(performance.now() - start);
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), documents: docs.length, outputMiB: +(bytes / 2 ** 20).toFixed(1) }));
