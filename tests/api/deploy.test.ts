// What deploy/ hands an operator holds together: the nginx configuration is valid to nginx
// itself (`nginx -t`, with a throwaway certificate in place of the real one), the environment
// example names only settings config.ts knows and loads as a valid configuration, and the
// systemd units start programs that exist.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, settingNames } from '../../api/src/config.ts';
import { nginxBinary, nginxProgram, requires } from '../helpers/skips.ts';

const deploy = fileURLToPath(new URL('../../deploy/', import.meta.url));
const read = (path: string) => readFileSync(join(deploy, path), 'utf8');

describe('deploy/mutual-aid-api.env.example', () => {
  const lines = read('mutual-aid-api.env.example').split('\n');
  const named = (line: string) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];

  it('names only settings config.ts knows, set or commented out', () => {
    const names = lines.map(named).filter((n): n is string => !!n);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !settingNames.includes(n))).toEqual([]);
  });

  it('is a valid configuration as it stands (with the port the unit gives)', () => {
    const env = Object.fromEntries(lines.filter((l) => /^[A-Z]/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const config = loadConfig({ ...env, PORT: '4001' });
    expect(config.NODE_ENV).toBe('production');
    expect(config.MIGRATE_ON_START).toBe(false);
  });
});

describe('deploy/systemd', () => {
  it('the API and migration units run programs that exist, the API ones after the migration', () => {
    const api = read('systemd/mutual-aid-api@.service');
    const migrate = read('systemd/mutual-aid-migrate.service');
    const root = fileURLToPath(new URL('../../api/', import.meta.url));
    for (const unit of [api, migrate]) {
      const [, script] = /^ExecStart=\/usr\/bin\/node (\S+)/m.exec(unit)!;
      expect(existsSync(join(root, script!)), script).toBe(true);
      expect(unit).toMatch(/^WorkingDirectory=\/opt\/mutual-aid\/api$/m);
    }
    expect(api).toMatch(/^Requires=mutual-aid-migrate\.service$/m);
    expect(api).toMatch(/^After=.*mutual-aid-migrate\.service/m);
    expect(api).toMatch(/^Environment=PORT=%i$/m);
    expect(migrate).toMatch(/^Type=oneshot$/m);
  });
});

describe('deploy/nginx/mutual-aid.conf', requires(nginxProgram), () => {
  it('is accepted by nginx -t', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nginx-'));
    try {
      const cert = join(dir, 'cert.pem');
      const key = join(dir, 'key.pem');
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=aid.example.org', '-days', '1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const site = read('nginx/mutual-aid.conf').replace('/etc/ssl/mutual-aid/fullchain.pem', cert).replace('/etc/ssl/mutual-aid/privkey.pem', key);
      writeFileSync(join(dir, 'site.conf'), site);
      // The site is included from the http block, as in /etc/nginx/conf.d.
      writeFileSync(
        join(dir, 'nginx.conf'),
        `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log ${dir}/access.log;\n  client_body_temp_path ${dir};\n  proxy_temp_path ${dir};\n  include ${dir}/site.conf;\n}\n`,
      );
      const checked = spawnSync(nginxBinary!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
      expect(checked.status, checked.stderr).toBe(0);
      expect(checked.stderr).toMatch(/syntax is ok/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
