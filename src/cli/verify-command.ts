// `verify`: ask ingress-nginx and Contour the same questions and print where they answer
// differently, each difference marked expected (a finding of the conversion predicted it) or
// UNEXPECTED. The probe code (src/verify) is loaded only when the command runs.
import { Option, type Command } from 'commander';
import { convert } from '../convert.js';
import type { Address } from '../verify/index.js';
import { openCluster, readSource, toCliError, useDiscoveredController } from './cluster-source.js';
import { CliError, EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { addSharedOptions, positiveInt, resolveConvertOptions, type SharedFlags } from './options.js';

export interface VerifyFlags extends SharedFlags {
  nginxAddress?: string;
  contourAddress?: string;
  rate: number;
  concurrency: number;
  timeout: number;
  probeTimeout: number;
  skipPath?: string[];
  compareHeader?: string[];
  backendHeader?: string;
  output: 'text' | 'json' | 'markdown';
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerVerify(program: Command, io: Io): void {
  addSharedOptions(
    program
      .command('verify')
      .description('send the same requests to ingress-nginx and to Contour and report every difference (run after apply, before DNS moves)')
      .option('--nginx-address <host:port[,https-port]>', 'where ingress-nginx listens (default: from its Service: LoadBalancer, then NodePort)')
      .option('--contour-address <host:port[,https-port]>', 'where Envoy (Contour) listens (default: from its Service: LoadBalancer, then NodePort)')
      .option('--rate <n>', 'at most this many requests per second, both controllers together', positiveInt('--rate'), 10)
      .option('--concurrency <n>', 'at most this many probes in flight', positiveInt('--concurrency'), 4)
      .option('--timeout <seconds>', 'stop the whole run after this long (exit code 7)', positiveInt('--timeout'), 300)
      .option('--probe-timeout <seconds>', 'give up on one request after this long', positiveInt('--probe-timeout'), 10)
      .option('--skip-path <prefix>', 'never send a request to a path starting with this; repeatable', collect)
      .option('--compare-header <name>', 'also compare this response header; repeatable', collect)
      .option('--backend-header <name>', 'response header that names the backend (default: hash of 2xx GET bodies)')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'markdown']).default('text')),
  ).action(async (flags: VerifyFlags) => {
    io.exitCode = await runVerify(flags, io);
  });
}

async function runVerify(flags: VerifyFlags, io: Io): Promise<number> {
  // Loaded here so that other commands do not pay for the probe code.
  const verify = await import('../verify/index.js');
  for (const [flag, v] of [
    ['--skip-path', flags.skipPath],
    ['--compare-header', flags.compareHeader],
  ] as const) {
    for (const s of v ?? []) if (s.trim() === '') throw new CliError(`${flag} needs a value`, EXIT.usage);
  }
  for (const s of flags.skipPath ?? []) if (!s.startsWith('/')) throw new CliError(`--skip-path "${s}" must start with /`, EXIT.usage);
  const given = {
    nginx: flags.nginxAddress === undefined ? undefined : verify.parseAddress(flags.nginxAddress),
    contour: flags.contourAddress === undefined ? undefined : verify.parseAddress(flags.contourAddress),
  };
  for (const side of ['nginx', 'contour'] as const) {
    const a = given[side];
    if (typeof a === 'string') throw new CliError(`--${side}-address ${a}`, EXIT.usage);
  }

  // Convert in-process: the selection of Ingresses and the findings that predict differences.
  const { options } = resolveConvertOptions({ ...flags, target: flags.target ?? 'httpproxy' });
  const source = await readSource(flags, io);
  const input = source.collected;
  useDiscoveredController(options, source, io, flags.quiet);
  const result = convert(input, options);
  const ingresses = result.mapped.filter((m) => !m.skipReason).map((m) => m.ingress);
  if (ingresses.length === 0) {
    io.stderr('error: the input holds no Ingress this tool would convert; nothing to verify');
    return EXIT.input;
  }
  const findings = [...input.findings, ...result.findings];

  const addresses: Record<'nginx' | 'contour', Address | undefined> = {
    nginx: typeof given.nginx === 'object' ? given.nginx : undefined,
    contour: typeof given.contour === 'object' ? given.contour : undefined,
  };
  if (!addresses.nginx || !addresses.contour) {
    const session = openCluster(flags);
    try {
      for (const side of ['nginx', 'contour'] as const) {
        if (addresses[side]) continue;
        const found = await verify.discoverAddress(session.client, side);
        if (typeof found === 'string') throw new CliError(found, EXIT.usage);
        io.stderr(`${side}: ${verify.formatAddress(found)} (from its Service)`);
        addresses[side] = found;
      }
    } catch (err) {
      throw toCliError(err);
    } finally {
      session.client.close();
    }
  }
  const nginx = addresses.nginx!;
  const contour = addresses.contour!;

  const set = verify.deriveProbes(ingresses, { annotationPrefix: options.annotationPrefix, skipPaths: flags.skipPath ?? [] });
  const sendOptions = {
    timeoutMs: flags.probeTimeout * 1000,
    compareHeaders: (flags.compareHeader ?? []).map((h) => h.toLowerCase()),
    userAgent: 'ingress2contour-verify',
    ...(flags.backendHeader ? { backendHeader: flags.backendHeader.toLowerCase() } : {}),
  };
  const outcome = await verify.runProbes(
    set.probes,
    (probe, side, signal) => verify.sendProbe(side === 'nginx' ? nginx : contour, probe, sendOptions, signal),
    { concurrency: flags.concurrency, rate: flags.rate, totalMs: flags.timeout * 1000 },
    findings,
    set.skipped,
  );
  const info = { nginx: verify.formatAddress(nginx), contour: verify.formatAddress(contour), ...(outcome.stopped ? { stopped: outcome.stopped } : {}) };
  io.stdout(verify.render(outcome.results, info, flags.output));

  const deaf = verify.unreachableSides(outcome.results);
  for (const d of deaf) io.stderr(`error: ${d.side} at ${verify.formatAddress(d.side === 'nginx' ? nginx : contour)} answered no probe (${d.error}); check --${d.side}-address`);
  if (outcome.stopped) io.stderr(`error: verify stopped: ${outcome.stopped}; the probes not run are listed`);
  if (outcome.stopped || deaf.length > 0) return EXIT.incomplete;
  return outcome.results.some((r) => r.verdict === 'unexpected') ? EXIT.findings : EXIT.ok;
}
