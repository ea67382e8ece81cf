import { describe, expect, it } from 'vitest';
import { GoBack, type Ask } from './ask.js';
import { runSteps, type Step, type StepResult } from './steps.js';

const ask = (): Ask => ({
  canGoBack: false,
  select: () => Promise.reject(new Error('not used')),
  checkbox: () => Promise.reject(new Error('not used')),
  confirm: () => Promise.reject(new Error('not used')),
  input: () => Promise.reject(new Error('not used')),
});

/** Steps that replay scripted outcomes and record the order they ran in. */
function scripted(script: Record<string, (StepResult | 'back')[]>): { steps: Step<string[]>[]; trail: string[] } {
  const trail: string[] = [];
  const steps = Object.keys(script).map((id) => ({
    id,
    run(): Promise<StepResult> {
      trail.push(id);
      const next = script[id]!.shift() ?? 'asked';
      if (next === 'back') throw new GoBack();
      return Promise.resolve(next);
    },
  }));
  return { steps, trail };
}

describe('runSteps', () => {
  it('goes back to the last step that asked, passing over those that did not', async () => {
    const { steps, trail } = scripted({ a: ['asked'], b: ['skipped', 'skipped'], c: ['back'], d: [] });
    await runSteps(steps, [], ask());
    expect(trail).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'd']);
  });
  it('asks the first question again when there is nothing to go back to', async () => {
    const { steps, trail } = scripted({ a: ['back', 'asked'], b: [] });
    await runSteps(steps, [], ask());
    expect(trail).toEqual(['a', 'a', 'b']);
  });
  it('jumps to a named step and forgets the history after it', async () => {
    const { steps, trail } = scripted({ a: ['asked', 'asked'], b: ['asked', 'asked'], c: [{ goto: 'b' }, 'back'], d: [] });
    await runSteps(steps, [], ask());
    // c → b (goto), b asked, c goes back → b (not c again).
    expect(trail).toEqual(['a', 'b', 'c', 'b', 'c', 'b', 'c', 'd']);
  });
  it('stops at end', async () => {
    const { steps, trail } = scripted({ a: ['end'], b: [] });
    await runSteps(steps, [], ask());
    expect(trail).toEqual(['a']);
  });
  it('tells the prompts whether there is a question to go back to', async () => {
    const a = ask();
    const seen: boolean[] = [];
    const steps: Step<null>[] = ['x', 'y'].map((id) => ({ id, run: () => (seen.push(a.canGoBack), Promise.resolve('asked' as const)) }));
    await runSteps(steps, null, a);
    expect(seen).toEqual([false, true]);
  });
});
