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
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(opts.width ?? 80), '-y', String(opts.height ?? 40), script);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The screen (and scrollback); `joined` undoes the terminal's own wrapping of long lines. */
  screen(joined = false): string {
    return this.tmux('capture-pane', '-p', ...(joined ? ['-J'] : []), '-t', 'main', '-S', '-200');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /** Waits until the screen shows `text` (or matches it), then returns the screen. */
  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen never showed ${String(text)}; last screen:\n${last}`);
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}
