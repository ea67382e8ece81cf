// `completion bash|zsh|fish`: a completion script built from the program itself, so it
// never lists a flag the CLI does not have. Works for `ingress2contour` and `kubectl ingress2contour`
// (kubectl ≥ 1.26 completes plugins through a `kubectl_complete-ingress2contour` executable).
import { Argument, InvalidArgumentError, type Command } from 'commander';
import type { Io } from './io.js';

export interface CompletionModel {
  commands: { name: string; description: string; flags: { names: string[]; takesValue: boolean; choices: string[]; description: string }[] }[];
}

export function completionModel(program: Command): CompletionModel {
  return {
    commands: program.commands
      .filter((c) => !c.name().startsWith('__'))
      .map((c) => ({
        name: c.name(),
        description: c.description(),
        flags: [
          ...c.options.map((o) => ({
            names: [o.short, o.long].filter((n): n is string => Boolean(n)),
            takesValue: o.required || o.optional,
            choices: o.argChoices ?? [],
            description: o.description,
          })),
          { names: ['-h', '--help'], takesValue: false, choices: [], description: 'display help for command' },
        ],
      })),
  };
}

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(m: CompletionModel): string {
  const cases = m.commands
    .map((c) => {
      const flags = c.flags.flatMap((f) => f.names).join(' ');
      const values = c.flags
        .filter((f) => f.takesValue)
        .map(
          (f) =>
            `      ${f.names.join('|')}) ${f.choices.length > 0 ? `COMPREPLY=($(compgen -W ${sq(f.choices.join(' '))} -- "$cur"))` : f.names.some((n) => /file|kubeconfig|output-dir/.test(n)) ? 'COMPREPLY=($(compgen -f -- "$cur"))' : 'COMPREPLY=()'}; return ;;`,
        )
        .join('\n');
      return `    ${c.name})\n      case "$prev" in\n${values}\n      esac\n      COMPREPLY=($(compgen -W ${sq(flags)} -- "$cur")); return ;;`;
    })
    .join('\n');
  return `# bash completion for ingress2contour (ingress2contour completion bash)
# Load it:  source <(ingress2contour completion bash)
_ingress2contour() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; ingress2contour) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$cmd" in
    "") COMPREPLY=($(compgen -W ${sq(`${m.commands.map((c) => c.name).join(' ')} help --help --version`)} -- "$cur")); return ;;
${cases}
  esac
}
complete -o default -F _ingress2contour ingress2contour kubectl-ingress2contour
`;
}

function zsh(m: CompletionModel): string {
  const esc = (s: string): string => oneLine(s).replace(/[[\]:'\\]/g, (ch) => `\\${ch}`);
  const commands = m.commands.map((c) => `    '${c.name}:${esc(c.description)}'`).join('\n');
  const cases = m.commands
    .map((c) => {
      const specs = c.flags
        .flatMap((f) =>
          f.names.map((n) => {
            const value = f.takesValue ? (f.choices.length > 0 ? `:value:(${f.choices.join(' ')})` : /file|kubeconfig|output-dir/.test(n) ? ':file:_files' : ':value:') : '';
            return `        '${n}[${esc(f.description)}]${value}'`;
          }),
        )
        .join(' \\\n');
      return `    ${c.name})\n      _arguments \\\n${specs}\n      ;;`;
    })
    .join('\n');
  return `#compdef ingress2contour kubectl-ingress2contour
# zsh completion for ingress2contour (ingress2contour completion zsh)
# Load it:  source <(ingress2contour completion zsh)   or save it as _ingress2contour in your $fpath
_ingress2contour() {
  local -a commands
  commands=(
${commands}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local cmd=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases}
  esac
}
compdef _ingress2contour ingress2contour kubectl-ingress2contour
`;
}

function fish(m: CompletionModel): string {
  const lines = [
    '# fish completion for ingress2contour (ingress2contour completion fish)',
    '# Load it:  ingress2contour completion fish | source   or save it in ~/.config/fish/completions/ingress2contour.fish',
  ];
  for (const bin of ['ingress2contour', 'kubectl-ingress2contour']) {
    lines.push(`complete -c ${bin} -f`);
    for (const c of m.commands) lines.push(`complete -c ${bin} -n __fish_use_subcommand -a ${c.name} -d ${sq(oneLine(c.description))}`);
    for (const c of m.commands) {
      for (const f of c.flags) {
        const long = f.names.find((n) => n.startsWith('--'));
        const short = f.names.find((n) => !n.startsWith('--'));
        const parts = [`complete -c ${bin} -n '__fish_seen_subcommand_from ${c.name}'`];
        if (long) parts.push(`-l ${long.slice(2)}`);
        if (short) parts.push(`-s ${short.slice(1)}`);
        if (f.takesValue) parts.push(f.choices.length > 0 ? `-x -a ${sq(f.choices.join(' '))}` : /file|kubeconfig|output-dir/.test(long ?? '') ? '-r -F' : '-x');
        parts.push(`-d ${sq(oneLine(f.description))}`);
        lines.push(parts.join(' '));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Completions for `kubectl ingress2contour <words>`: kubectl (1.26+) runs the executable
 * kubectl_complete-ingress2contour with the words after the plugin name, the last one being
 * the word under the cursor, and reads Cobra's protocol: one candidate a line, then
 * `:<directive>` (4: no file completion, 0: default, which completes file names).
 */
export function pluginCompletions(model: CompletionModel, words: string[]): string {
  const cur = words[words.length - 1] ?? '';
  const done = (candidates: string[], directive: number): string => [...candidates.filter((c) => c.startsWith(cur)), `:${directive}`].join('\n') + '\n';
  if (words.length <= 1) return done([...model.commands.map((c) => c.name), 'help'], 4);
  const cmd = model.commands.find((c) => c.name === words[0]);
  if (!cmd) return done([], 4);
  const prev = words[words.length - 2] ?? '';
  const flag = cmd.flags.find((f) => f.names.includes(prev));
  if (flag?.takesValue) return flag.choices.length > 0 ? done(flag.choices, 4) : done([], 0);
  if (cur.startsWith('-'))
    return done(
      cmd.flags.flatMap((f) => f.names.filter((n) => n.startsWith('--'))),
      4,
    );
  return done([], 0);
}

export function completionScript(shell: Shell, program: Command): string {
  const model = completionModel(program);
  return shell === 'bash' ? bash(model) : shell === 'zsh' ? zsh(model) : fish(model);
}

/** fullProgram: every command registered (main.ts passes its builder, which avoids an import cycle). */
export function registerCompletion(program: Command, io: Io, fullProgram: () => Promise<Command>): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(
      new Argument('<shell>', 'bash, zsh or fish').argParser((value: string) => {
        const shell = SHELLS.find((s) => s === value.toLowerCase());
        if (!shell) throw new InvalidArgumentError(`Allowed choices are ${SHELLS.join(', ')}.`);
        return shell;
      }),
    )
    .action(async (shell: Shell) => {
      // The script lists every command's flags: build the full program (loads all commands once).
      io.stdout(completionScript(shell, await fullProgram()));
      io.exitCode = 0;
    });
  // Hidden: what bin/kubectl-complete.js calls for `kubectl ingress2contour <TAB>`.
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[]) => {
      io.stdout(pluginCompletions(completionModel(await fullProgram()), words));
      io.exitCode = 0;
    });
}
