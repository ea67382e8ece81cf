// The template adjustment for Debian's nginx, on the real upstream template from the module
// cache: every anchor is found exactly once, and a template without an anchor is refused.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adjustTemplate, moduleNginxDir } from './ingress-nginx.js';

const tmplPath = path.join(moduleNginxDir(), 'template', 'nginx.tmpl');

describe.skipIf(!existsSync(tmplPath))('ingress-nginx template adjustment', () => {
  const upstream = existsSync(tmplPath) ? readFileSync(tmplPath, 'utf8') : '';

  it("loads Debian's modules, runs as root, binds the default server to loopback, drops stream-lua", () => {
    const t = adjustTemplate(upstream);
    expect(t).toMatch(/pid \{\{ \.PID \}\};\nuser root;\nload_module \/usr\/lib\/nginx\/modules\/ndk_http_module\.so;/);
    expect(t).toContain('load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;');
    expect(t).toContain('listen 127.0.0.1:{{ $all.ListenPorts.Default }} default_server');
    expect(t).not.toContain('listen {{ $all.ListenPorts.Default }} default_server');
    expect(t).not.toContain('tcp_udp_balancer');
    expect(t).not.toContain('preread_by_lua_block');
    // Everything after the stream block (the template's defines) is kept.
    const tail = upstream.slice(upstream.indexOf('{{ define "CUSTOM_ERRORS" }}'));
    expect(tail.length).toBeGreaterThan(100);
    expect(t.endsWith(tail)).toBe(true);
  });

  it('refuses a template whose anchors moved', () => {
    expect(() => adjustTemplate(upstream.replace('pid {{ .PID }};', 'pid {{.PID}};'))).toThrow(/anchor/);
    expect(() => adjustTemplate(upstream.replace('\nstream {\n', '\nstreams {\n'))).toThrow(/stream/);
  });
});
