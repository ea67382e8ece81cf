// The prompts the wizard uses, over @inquirer/prompts. Each prompt gets its own
// AbortSignal so one key can mean "quit" (Esc; Ctrl-C is inquirer's ExitPromptError)
// and another "back to the previous question" (←, or the "← back" choice of a select).
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { emitKeypressEvents } from 'node:readline';
import { showKeyHelp } from './view.js';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  checked?: boolean;
}

export interface Ask {
  /** Set by the step runner: whether there is a question to go back to. */
  canGoBack: boolean;
  select<T>(message: string, choices: Choice<T>[], defaultValue?: T): Promise<T>;
  checkbox<T>(message: string, choices: Choice<T>[], required?: boolean): Promise<T[]>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  input(message: string, defaultValue: string, validate?: (v: string) => true | string): Promise<string>;
}

/** Thrown when the person cancels (Esc or Ctrl-C). */
export class Cancelled extends Error {}

/** Thrown when the person asks for the previous question; the step runner catches it. */
export class GoBack extends Error {}

export function isCancel(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return err instanceof Cancelled || name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError';
}

export const BACK_LABEL = '← back';
const BACK = Symbol('back');

/** Rows the prompt itself needs besides its choices: message, help line, description, slack. */
export const PROMPT_ROWS = 4;

export function inquirerAsk(rows: () => number): { ask: Ask; dispose: () => void } {
  emitKeypressEvents(process.stdin);
  // The prompt on screen: its controller, and for text prompts what is typed so far
  // (← goes back only on an empty line; otherwise it moves the cursor).
  let current: { controller: AbortController; typed?: string } | undefined;
  const onKey = (_: string, key: { name?: string; ctrl?: boolean; meta?: boolean; shift?: boolean } | undefined): void => {
    if (!current) return;
    if (key?.name === 'escape') current.controller.abort('quit');
    else if (key?.name === 'left' && !key.ctrl && !key.meta && !key.shift && ask.canGoBack && (current.typed ?? '') === '') current.controller.abort('back');
  };
  process.stdin.on('keypress', onKey);
  const pageSize = (): number => Math.max(3, Math.min(15, rows() - PROMPT_ROWS));
  // Without the key help on small terminals (an empty tip is left out by inquirer).
  const theme = (): { style: { keysHelpTip: (keys: [string, string][]) => string | undefined } } | undefined =>
    showKeyHelp(rows()) ? undefined : { style: { keysHelpTip: () => undefined } };
  const themed = (): { theme?: ReturnType<typeof theme> } => {
    const t = theme();
    return t ? { theme: t } : {};
  };

  async function run<R>(prompt: (signal: AbortSignal, track: (typed: string) => void) => Promise<R>, text = false): Promise<R> {
    const me: { controller: AbortController; typed?: string } = { controller: new AbortController(), ...(text ? { typed: '' } : {}) };
    current = me;
    try {
      return await prompt(me.controller.signal, (typed) => {
        me.typed = typed;
      });
    } catch (err) {
      if (me.controller.signal.aborted && me.controller.signal.reason === 'back') throw new GoBack();
      throw err;
    } finally {
      if (current === me) current = undefined;
    }
  }

  const ask: Ask = {
    canGoBack: false,
    async select<T>(message: string, choices: Choice<T>[], defaultValue?: T): Promise<T> {
      const all: Choice<T | typeof BACK>[] = ask.canGoBack ? [...choices, { name: BACK_LABEL, value: BACK }] : choices;
      const picked = await run((signal) => select<T | typeof BACK>({ message, choices: all, default: defaultValue, pageSize: pageSize(), loop: false, ...themed() }, { signal }));
      if (picked === BACK) throw new GoBack();
      return picked;
    },
    checkbox: (message, choices, required = true) => run((signal) => checkbox({ message, choices, required, pageSize: pageSize(), loop: false, ...themed() }, { signal })),
    confirm: (message, defaultValue) => run((signal) => confirm({ message, default: defaultValue }, { signal })),
    input: (message, defaultValue, validate) =>
      run(
        (signal, track) =>
          input(
            {
              message,
              default: defaultValue,
              ...(validate ? { validate } : {}),
              // Called on every render with the line as typed: how ← knows the line is empty.
              transformer: (value: string) => {
                track(value);
                return value;
              },
            },
            { signal },
          ),
        true,
      ),
  };
  return { ask, dispose: () => process.stdin.off('keypress', onKey) };
}
