// One measured conversion in a fresh process: node run-once.mjs <file> <target>.
// Timed from before the CLI's modules load to the last byte of output, as a user waits for it.
// Prints {"code":…, "ms":…, "cpuMs":…, "maxRssMiB":…, "objects":…, "outputMiB":…} on stdout's last line.
const [file, target] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const start = performance.now();
const { run } = await import('../../dist/cli/main.js');
let bytes = 0;
let summary = '';
// Output is only measured, as the floor's dump is: the objects are counted from the summary line
// on stderr afterwards, not by scanning 25-130 MB of text inside the timed run.
const io = {
  stdout: (t) => {
    bytes += t.length;
  },
  stderr: (line) => {
    if (line.startsWith('converted ')) summary = line;
  },
  stderrIsTty: false,
  exitCode: 0,
};
const code = await run(['convert', '-f', file, '--target', target, '-q'], io);
const ms = Math.round(performance.now() - start);
const cpu = process.cpuUsage(cpu0);
const into = /into ([^;]*);/.exec(summary)?.[1] ?? '';
let objects = 0;
for (const m of into.matchAll(/(\d+) [A-Za-z]+/g)) objects += Number(m[1]);
console.log(
  JSON.stringify({ code, ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), objects, outputMiB: +(bytes / 2 ** 20).toFixed(1) }),
);
