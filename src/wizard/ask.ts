// The prompts the wizard uses, over @inquirer/prompts, with one AbortSignal so Esc
// (and Ctrl-C, which inquirer turns into ExitPromptError) end the wizard cleanly.
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { emitKeypressEvents } from 'node:readline';

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
  checked?: boolean;
}

export interface Ask {
  select<T>(message: string, choices: Choice<T>[], defaultValue?: T): Promise<T>;
  checkbox<T>(message: string, choices: Choice<T>[], required?: boolean): Promise<T[]>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  input(message: string, defaultValue: string, validate?: (v: string) => true | string): Promise<string>;
}

/** Thrown when the person cancels (Esc or Ctrl-C). */
export class Cancelled extends Error {}

export function isCancel(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return err instanceof Cancelled || name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError';
}

export function inquirerAsk(): { ask: Ask; dispose: () => void } {
  const controller = new AbortController();
  emitKeypressEvents(process.stdin);
  const onKey = (_: string, key: { name?: string; ctrl?: boolean } | undefined): void => {
    if (key?.name === 'escape') controller.abort();
  };
  process.stdin.on('keypress', onKey);
  const ctx = { signal: controller.signal };
  const ask: Ask = {
    select: (message, choices, defaultValue) => select({ message, choices, default: defaultValue, pageSize: 12, loop: false }, ctx),
    checkbox: (message, choices, required = true) => checkbox({ message, choices, required, pageSize: 12, loop: false }, ctx),
    confirm: (message, defaultValue) => confirm({ message, default: defaultValue }, ctx),
    input: (message, defaultValue, validate) => input({ message, default: defaultValue, ...(validate ? { validate } : {}) }, ctx),
  };
  return { ask, dispose: () => process.stdin.off('keypress', onKey) };
}
