// The four Content-Security-Policies, exactly as each program sent them when each was its own literal: a change to
// any directive is a security decision, made here on purpose.
import { describe, expect, it } from 'vitest';
import { agentConsoleCsp, buildCsp, coordinatorCsp, kioskAppCsp, webShellCsp } from '../../../../shared/node/csp.js';

describe('the programs’ CSPs', () => {
  it('the Electron kiosk’s, with the hub’s socket origin last in connect-src', () => {
    const policy =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; media-src 'self' blob: mediastream:; worker-src 'self' blob:; object-src 'none'; frame-src 'none'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'; connect-src 'self'";
    expect(kioskAppCsp(null)).toBe(policy);
    expect(kioskAppCsp('wss://hub.example.fr:8443')).toBe(`${policy} wss://hub.example.fr:8443`);
  });

  it('the web shell’s, with its connect sources in connect-src', () => {
    const policy = (connect: string) =>
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'${connect}; frame-src 'self' http://127.0.0.1:*; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'`;
    expect(webShellCsp()).toBe(policy(''));
    expect(webShellCsp(['ws://127.0.0.1:4000', 'wss://hub.example.fr'])).toBe(policy(' ws://127.0.0.1:4000 wss://hub.example.fr'));
  });

  it('the hub’s agent console’s', () => {
    expect(agentConsoleCsp()).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss: blob:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'none'",
    );
  });

  it('the coordinator’s dashboard’s', () => {
    expect(coordinatorCsp()).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'",
    );
  });

  it('none of them allows eval, inline scripts or plugins, or lets another site frame the page', () => {
    for (const policy of [kioskAppCsp('wss://h.example'), webShellCsp(['ws://127.0.0.1:1']), agentConsoleCsp(), coordinatorCsp()]) {
      expect(policy).not.toContain('unsafe-eval');
      expect(policy).toContain("script-src 'self';");
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
    }
  });

  it('buildCsp appends extra sources to the directive they name, and to no other', () => {
    expect(buildCsp([['default-src', "'self'"], ['connect-src', "'self'"]], { 'connect-src': ['wss://a'], 'img-src': ['data:'] })).toBe(
      "default-src 'self'; connect-src 'self' wss://a",
    );
  });
});
