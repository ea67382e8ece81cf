// The Examples section of each command's --help (2–3 each), kept apart from the commands
// so that docs/cli.md and the tests read the same table.
import type { Command } from 'commander';

export const EXAMPLES: Record<string, string[]> = {
  convert: [
    'ingress2contour convert -f fixtures/demo > contour.yaml             # IngressRoute, for Contour ≤ 1.5',
    'ingress2contour convert -f k8s/ -R --target httpproxy --output-dir contour/',
    'kubectl ingress2contour convert -n shop > shop-contour.yaml         # from the current context',
  ],
  report: [
    'ingress2contour report -f fixtures/demo',
    'ingress2contour report -f k8s/ -R -o markdown > migration.md',
    'kubectl ingress2contour report -A -o json --fail-on error           # a CI gate on the live cluster',
  ],
  diff: ['kubectl ingress2contour diff -n shop', 'ingress2contour diff -f contour-input/ -R --context staging'],
  apply: [
    'kubectl ingress2contour apply -n shop --dry-run=server              # the apiserver checks, nothing persists',
    'kubectl ingress2contour apply -n shop',
    'kubectl ingress2contour apply -A --prune                            # also delete what the input no longer produces',
  ],
  prune: ['kubectl ingress2contour prune -n shop --dry-run', 'kubectl ingress2contour prune --all -n shop          # roll back: delete everything this tool created'],
  verify: [
    'kubectl ingress2contour verify -n shop                              # after apply, before DNS moves',
    'kubectl ingress2contour verify -A --contour-address 203.0.113.7:80,443 -o markdown > verify.md',
  ],
  wizard: ['ingress2contour wizard', 'kubectl ingress2contour wizard --kubeconfig ~/.kube/staging'],
  version: ['ingress2contour version', 'kubectl ingress2contour version -o json'],
  completion: [
    'source <(ingress2contour completion bash)',
    'ingress2contour completion zsh > "${fpath[1]}/_ingress2contour"',
    'ingress2contour completion fish > ~/.config/fish/completions/ingress2contour.fish',
  ],
};

export function addExamples(cmd: Command): void {
  const examples = EXAMPLES[cmd.name()];
  if (examples) cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`);
}
