import { describe, expect, it } from 'vitest';
import type { ControllerConfig } from '../model/controller.js';
import { finding } from '../model/findings.js';
import { containerEnv, controllerArgv, controllerOf, expandVars, parseControllerArgs, pickController, servedClasses, type ControllerDiscovery } from './controller.js';

describe('parseControllerArgs (pflag rules)', () => {
  it.each([
    [['--configmap=ns/cm'], { configmap: 'ns/cm' }],
    [['--configmap', 'ns/cm'], { configmap: 'ns/cm' }],
    [['-configmap=ns/cm'], { configmap: 'ns/cm' }],
    [['--enable-ssl-passthrough'], { 'enable-ssl-passthrough': 'true' }],
    [['--enable-ssl-passthrough=false'], { 'enable-ssl-passthrough': 'false' }],
    // A boolean never takes the next word, a known value flag always does.
    [['--watch-ingress-without-class', 'positional', '--ingress-class', 'internal'], { 'watch-ingress-without-class': 'true', 'ingress-class': 'internal' }],
    [['--annotations-prefix', '-weird'], { 'annotations-prefix': '-weird' }],
    // Unknown flags: a following word that is not a flag is its value.
    [['--new-flag', 'x', '--other', '--last'], { 'new-flag': 'x', other: 'true', last: 'true' }],
    // The last occurrence wins; parsing stops at --.
    [['--ingress-class=a', '--ingress-class=b', '--', '--configmap=x/y'], { 'ingress-class': 'b' }],
    [['--default-ssl-certificate=ns/a=b'], { 'default-ssl-certificate': 'ns/a=b' }],
    [['-v=2', '-', '--=x'], { v: '2' }],
  ])('%j', (argv, want) => {
    expect(parseControllerArgs(argv)).toEqual(want);
  });
});

describe('expandVars (Kubernetes $(VAR) expansion)', () => {
  const vars = new Map([
    ['POD_NAMESPACE', 'ingress-nginx'],
    ['EMPTY', ''],
  ]);
  it.each([
    ['--configmap=$(POD_NAMESPACE)/ingress-nginx-controller', '--configmap=ingress-nginx/ingress-nginx-controller'],
    ['$(UNKNOWN)/x', '$(UNKNOWN)/x'],
    ['$$(POD_NAMESPACE)', '$(POD_NAMESPACE)'],
    ['a$(EMPTY)b', 'ab'],
    ['$(unterminated', '$(unterminated'],
    ['cost $5 $', 'cost $5 $'],
  ])('%s', (text, want) => {
    expect(expandVars(text, vars)).toBe(want);
  });

  it('takes the namespace from fieldRef metadata.namespace and literal values in order, never other references', () => {
    const env = containerEnv(
      [
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'CM', value: '$(POD_NAMESPACE)/custom' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } } as never,
      ],
      'edge',
    );
    expect([...env]).toEqual([
      ['POD_NAMESPACE', 'edge'],
      ['CM', 'edge/custom'],
    ]);
  });
});

describe('finding the controller in a workload', () => {
  it('reads the official manifest: binary in args, $(POD_NAMESPACE) expanded', () => {
    const c = controllerOf({
      kind: 'deployment',
      namespace: 'ingress-nginx',
      name: 'ingress-nginx-controller',
      containers: [
        { name: 'sidecar', image: 'busybox', args: ['sleep', 'infinity'] },
        {
          name: 'controller',
          image: 'registry.k8s.io/ingress-nginx/controller:v1.11.0@sha256:abc',
          args: [
            '/nginx-ingress-controller',
            '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
            '--election-id=ingress-nginx-leader',
            '--controller-class=k8s.io/ingress-nginx',
            '--ingress-class=nginx',
            '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
            '--validating-webhook=:8443',
            '--enable-metrics=false',
          ],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          ],
        },
      ],
    });
    expect(c?.source).toBe('deployment ingress-nginx/ingress-nginx-controller');
    expect(c?.args).toEqual({
      'publish-service': 'ingress-nginx/ingress-nginx-controller',
      'election-id': 'ingress-nginx-leader',
      'controller-class': 'k8s.io/ingress-nginx',
      'ingress-class': 'nginx',
      configmap: 'ingress-nginx/ingress-nginx-controller',
      'validating-webhook': ':8443',
      'enable-metrics': 'false',
    });
  });

  it.each([
    [{ command: ['/usr/bin/dumb-init', '--', '/nginx-ingress-controller'], args: ['--configmap=a/b'] }, ['--configmap=a/b']],
    [{ command: ['sh', '-c', "exec /nginx-ingress-controller --configmap='a/b' --v=2"] }, ['--configmap=a/b', '--v=2']],
    [{ image: 'registry.k8s.io/ingress-nginx/controller-chroot:v1.12.0' }, []],
    [{ image: 'nginx:1.27', args: ['--configmap=a/b'] }, undefined],
    [{ image: 'example.com/nginx-ingress-controller-wrapper', command: ['/bin/run'] }, undefined],
  ])('%j', (container, want) => {
    expect(controllerArgv(container)).toEqual(want);
  });

  it('serves the classes naming its --controller-class, and its --ingress-class (defaults: k8s.io/ingress-nginx, nginx)', () => {
    const classes = [
      { name: 'nginx', controller: 'k8s.io/ingress-nginx' },
      { name: 'public', controller: 'k8s.io/ingress-nginx' },
      { name: 'internal', controller: 'example.com/internal' },
      { name: 'contour', controller: 'projectcontour.io/contour' },
    ];
    expect(servedClasses({}, classes)).toEqual(['nginx', 'public']);
    expect(servedClasses({ 'controller-class': 'example.com/internal', 'ingress-class': 'internal-legacy' }, classes)).toEqual(['internal', 'internal-legacy']);
  });
});

describe('pickController', () => {
  const ctrl = (source: string, ingressClasses: string[], args: Record<string, string> = {}): ControllerConfig => ({ source, ingressClasses, args, configMap: {} });
  const discovery = (controllers: ControllerConfig[], complete = true, warnings: ControllerDiscovery['warnings'] = []): ControllerDiscovery => ({ controllers, warnings, complete });

  it('picks the controller of the class; warnings about other controllers stay out', () => {
    const pub = ctrl('deployment ingress-nginx/public', ['nginx'], { 'ingress-class': 'nginx' });
    const internal = ctrl('deployment internal/ctrl', ['internal'], { 'ingress-class': 'internal' });
    const other = finding('controller.configmap-missing', 'warn', { source: internal.source }, { configMap: 'internal/x', controller: internal.source });
    const general = finding('controller.unreadable', 'warn', { source: 'cluster' }, { what: 'ingressclasses', reason: 'r', assumed: 'a' });
    const d = discovery([internal, pub], true, [other, general]);
    expect(pickController(d, 'nginx')).toEqual({ controller: pub, findings: [general] });
    expect(pickController(d, 'internal')).toEqual({ controller: internal, findings: [other, general] });
  });

  it('names every controller of an ambiguous class and prefers one that names the class over the flag default', () => {
    const byDefault = ctrl('daemonset a/first', ['nginx']);
    const explicit = ctrl('deployment z/last', ['nginx'], { 'ingress-class': 'nginx' });
    const picked = pickController(discovery([byDefault, explicit]), 'nginx');
    expect(picked.controller).toBe(explicit);
    expect(picked.findings.map((f) => [f.id, f.data])).toEqual([
      ['controller.ambiguous', { ingressClass: 'nginx', controllers: ['deployment z/last', 'daemonset a/first'], used: 'deployment z/last' }],
    ]);
  });

  it('says when no controller serves the class; stays quiet about it when the workloads could not be listed', () => {
    const internal = ctrl('deployment internal/ctrl', ['internal']);
    const none = pickController(discovery([internal]), 'nginx');
    expect(none.controller).toBeUndefined();
    expect(none.findings.map((f) => [f.id, f.data.ingressClass, f.data.found])).toEqual([['controller.not-found', 'nginx', ['deployment internal/ctrl (class internal)']]]);
    expect(pickController(discovery([]), 'nginx').findings.map((f) => f.id)).toEqual(['controller.not-found']);
    const forbidden = finding('controller.unreadable', 'warn', { source: 'cluster' }, { what: 'deployments', reason: 'forbidden', assumed: 'defaults' });
    expect(pickController(discovery([], false, [forbidden]), 'nginx').findings).toEqual([forbidden]);
  });
});
