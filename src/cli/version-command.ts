// `version`: the version alone (scripts compare it), or with -o json what a bug report needs.
import { Option, type Command } from 'commander';
import { CURRENT_CONTOUR, LAST_INGRESSROUTE_CONTOUR } from '../model/contour.js';
import type { Io } from './io.js';
import { lowerCaseChoice } from './options.js';
import { toolVersion } from './version.js';

export interface VersionInfo {
  version: string;
  node: string;
  platform: string;
  /** Contour versions the output defaults to, per target. */
  contour: { httpproxy: string; ingressroute: string };
}

export function versionInfo(): VersionInfo {
  return {
    version: toolVersion(),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    contour: { httpproxy: CURRENT_CONTOUR, ingressroute: LAST_INGRESSROUTE_CONTOUR },
  };
}

export function registerVersion(program: Command, io: Io): void {
  program
    .command('version')
    .description('print the version (-o json: also Node, platform and the default Contour versions)')
    .addOption(lowerCaseChoice(new Option('-o, --output <format>', 'text or json').default('text'), ['text', 'json']))
    .action((flags: { output: 'text' | 'json' }) => {
      const info = versionInfo();
      io.stdout(flags.output === 'json' ? `${JSON.stringify(info, null, 2)}\n` : `${info.version}\n`);
      io.exitCode = 0;
    });
}
