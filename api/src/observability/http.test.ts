import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { metricsAccess, routeOf } from './http.ts';

describe('request observation', () => {
  it('labels requests by route family, never by path (ids would make the label unbounded)', () => {
    expect(routeOf('/graphql')).toBe('graphql');
    expect(routeOf('/graphql?query={me{id}}')).toBe('graphql');
    expect(routeOf('/health')).toBe('health');
    expect(routeOf('/metrics')).toBe('metrics');
    expect(routeOf('/api/export/needs.csv?community=1')).toBe('api_export');
    expect(routeOf('/api/import/volunteers')).toBe('api_import');
    expect(routeOf('/sms/inbound')).toBe('sms_inbound');
    expect(routeOf('/needs/0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('web');
    expect(routeOf('/healthz')).toBe('web');
  });

  it('serves /metrics by token, on a port of its own, open outside production, and off in production with neither', () => {
    const access = (env: Record<string, string>) => metricsAccess(loadConfig(env));
    const token = 'x'.repeat(16);
    expect(access({ NODE_ENV: 'production', METRICS_TOKEN: token })).toBe('token');
    expect(access({ NODE_ENV: 'production', METRICS_TOKEN: token, METRICS_PORT: '9464' })).toBe('token');
    expect(access({ NODE_ENV: 'production', METRICS_PORT: '9464' })).toBe('port');
    expect(access({ NODE_ENV: 'production' })).toBe('off');
    expect(access({ NODE_ENV: 'production', METRICS_TOKEN: '', METRICS_PORT: '' })).toBe('off');
    expect(access({ NODE_ENV: 'development' })).toBe('open');
    expect(access({ NODE_ENV: 'test' })).toBe('open');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: at least 16 characters/);
  });
});
