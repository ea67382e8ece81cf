// The wizard as a list of steps rather than one straight-line function, so "back"
// can return to the previous question with every answer given so far kept.
import { GoBack, type Ask } from './ask.js';

/** asked: a question was answered (back can return here); skipped: nothing to ask; end: stop. */
export type StepResult = 'asked' | 'skipped' | 'end' | { goto: string };

export interface Step<S> {
  id: string;
  run(state: S): Promise<StepResult>;
}

/**
 * Runs the steps in order. A GoBack from a step returns to the last step that asked
 * something (steps that asked nothing are passed over both ways); `goto` jumps to a
 * named step, forgetting the history after it.
 */
export async function runSteps<S>(steps: Step<S>[], state: S, ask: Ask): Promise<void> {
  const history: number[] = [];
  let index = 0;
  while (index < steps.length) {
    ask.canGoBack = history.length > 0;
    let result: StepResult;
    try {
      result = await steps[index]!.run(state);
    } catch (err) {
      if (!(err instanceof GoBack)) throw err;
      const previous = history.pop();
      // Nothing to go back to: ask the first question again.
      index = previous ?? index;
      continue;
    }
    if (result === 'end') return;
    if (typeof result === 'object') {
      const target = steps.findIndex((s) => s.id === result.goto);
      if (target < 0) throw new Error(`no wizard step ${result.goto}`);
      while (history.length > 0 && history[history.length - 1]! >= target) history.pop();
      index = target;
      continue;
    }
    if (result === 'asked') history.push(index);
    index += 1;
  }
}
