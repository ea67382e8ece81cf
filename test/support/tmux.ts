// Drives a program in a real terminal (tmux) and reads the screen as a person would.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const tmuxAvailable = (): boolean => spawnSync('tmux', ['-V']).status === 0;

export class Terminal {
  private readonly socket = `i2c-${randomBytes(4).toString('hex')}`;

  constructor(command: string, opts: { cwd: string; width?: number; height?: number; env?: Record<string, string> }) {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    // The shell stays alive after the program ends so its exit code stays on screen.
    const script = `cd ${JSON.stringify(opts.cwd)} && ${env} ${command}; echo "EXIT=$?"; sleep 600`;
    // A long history, so that everything the wizard printed stays readable.
    this.tmux('start-server', ';', 'set-option', '-g', 'history-limit', '10000', ';', 'new-session', '-d', '-s', 'main', '-x', String(opts.width ?? 80), '-y', String(opts.height ?? 40), script);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The screen (and scrollback); `joined` undoes the terminal's own wrapping of long lines. */
  screen(joined = false): string {
    return this.tmux('capture-pane', '-p', ...(joined ? ['-J'] : []), '-t', 'main', '-S', '-10000');
  }

  /** Only what is on the screen now, without the scrollback: what a person sees. */
  visible(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /** Waits until the screen shows `text` (or matches it), then returns the screen. */
  async waitFor(text: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    return this.waitUntil(text, timeoutMs, () => this.screen());
  }

  /** The question being asked now ('' when none): the last "? " line below the last answer. */
  question(screen = this.screen()): string {
    const lines = screen.split('\n');
    // An answered question turns into a line starting with ✔; going back leaves the left one as it was.
    const answered = lines.map((l) => l.startsWith('✔')).lastIndexOf(true);
    return lines.slice(answered + 1).filter((l) => l.startsWith('? ')).pop() ?? '';
  }

  /** How many questions have been answered so far (in the scrollback kept). */
  answers(screen = this.screen()): number {
    return screen.split('\n').filter((l) => l.startsWith('✔')).length;
  }

  /** Sends keys that answer the question asked, and waits until the answer is on screen. */
  async answer(...keys: string[]): Promise<string> {
    const before = this.answers();
    this.keys(...keys);
    return this.waitForAnswers(before + 1);
  }

  /**
   * Takes the defaults (Enter) until `question` is asked: accepts Ingresses at the
   * review one by one and skips the rest of a preview. Returns the screen then.
   */
  async defaultsUntil(question: string, timeoutMs = 15_000): Promise<string> {
    for (let i = 0; i < 80; i++) {
      const screen = await this.waitFor((s) => this.question(s) !== '', timeoutMs);
      const asked = this.question(screen);
      if (asked.startsWith(`? ${question}`)) return screen;
      if (/more line\(s\)\.$/.test(asked)) await this.answer('Down', 'Enter');
      else await this.answer('Enter');
    }
    throw new Error(`never asked ${question}`);
  }

  /** Waits until at least `n` questions have been answered. */
  async waitForAnswers(n: number, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (this.answers(last) >= n) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`never ${n} answers; last screen:\n${last}`);
  }

  /**
   * Waits until the question being asked (the last line inquirer starts with "? "
   * below the last answer; going back leaves the left question above) starts with `text`.
   */
  async waitForPrompt(text: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (this.question(last).startsWith(`? ${text}`)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the question never was ${text}; last screen:\n${last}`);
  }

  private async waitUntil(text: string | RegExp | ((screen: string) => boolean), timeoutMs: number, read: () => string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = read();
      if (typeof text === 'string' ? last.includes(text) : text instanceof RegExp ? text.test(last) : text(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen never showed ${String(text)}; last screen:\n${last}`);
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}
