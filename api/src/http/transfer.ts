// HTTP endpoints for files: POST /api/import/{needs|volunteers|communities} (CSV body,
// NDJSON report streamed back) and GET (or, for the web app's private export, POST)
// /api/export/{kind}.{csv|ndjson|json}.
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { Services } from '../services.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import { AppError, type ErrorCode } from '../errors.ts';
import type { Viewer } from '../auth/viewer.ts';
import { fileTooLarge, importCsv, type ImportKind } from '../domain/imports.ts';
import { isLocale, type Locale } from '../shared/i18n/types.ts';
import { csvText, exportRows, type ExportKind } from '../domain/exports.ts';
import type { Period } from '../domain/indicators.ts';
import { keyMayRun } from '../domain/apiKeys.ts';
import { closeLingering } from './lingeringClose.ts';

/** A community named by its global id (or, from a hand-written URL, by its database id). */
const decodeId = (g: string) => {
  try {
    return decodeGlobalID(g).id;
  } catch {
    return g;
  }
};

async function write(res: ServerResponse, chunk: string) {
  if (!res.write(chunk)) await once(res, 'drain');
}

const STATUS: Partial<Record<ErrorCode, number>> = { FORBIDDEN: 403, PAYLOAD_TOO_LARGE: 413, RATE_LIMITED: 429 };

/**
 * The error as JSON with its status; once a report has begun (rows already answered), as its
 * last line instead. A refused upload is parsed no further; the connection closes (lingering) after it.
 */
function fail(res: ServerResponse, status: number, code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  const body = JSON.stringify({ errors: [{ message, extensions: { ...extensions, code } }] });
  if (res.headersSent) {
    res.end(body + '\n');
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(status === 413 ? { connection: 'close' } : {}) }).end(body);
}

const failWith = (res: ServerResponse, err: AppError) => {
  const { code, ...extensions } = err.extensions as { code: ErrorCode };
  return fail(res, STATUS[code] ?? 400, code, err.message, extensions);
};

export async function handleImport(s: Services, req: IncomingMessage, res: ServerResponse, url: URL, viewer: Viewer | null) {
  const kind = url.pathname.split('/').pop() as ImportKind;
  if (!['needs', 'volunteers', 'communities'].includes(kind)) return fail(res, 404, 'NOT_FOUND', 'Unknown import.');
  if (!viewer) return fail(res, 401, 'UNAUTHENTICATED', 'Sign in to import.');
  // An API key imports only if it names `importCsv` (a read-only key never writes).
  const refused = await keyMayRun(s, viewer, 'mutation', ['importCsv']);
  if (refused) return failWith(res, refused);
  // A cross-site form cannot set this header (CSRF).
  if (!req.headers['x-graphql-csrf']) return fail(res, 403, 'CSRF', 'Send the x-graphql-csrf header.');
  let mapping: Record<string, string> | undefined;
  try {
    mapping = url.searchParams.get('mapping') ? JSON.parse(url.searchParams.get('mapping')!) : undefined;
  } catch {
    return fail(res, 400, 'BAD_USER_INPUT', 'mapping must be a JSON object of field → column header.');
  }
  // A file declared larger than the limit is refused before a byte of it is read.
  if (Number(req.headers['content-length'] ?? 0) > s.rules.imports.maxBytes) {
    closeLingering(req, res);
    return failWith(res, fileTooLarge(s.rules.imports.maxBytes));
  }
  const communityParam = url.searchParams.get('communityId');
  try {
    const rows = importCsv(s, viewer, kind, req, {
      communityId: communityParam ? decodeId(communityParam) : undefined,
      mapping,
      locale: isLocale(url.searchParams.get('locale')) ? (url.searchParams.get('locale') as Locale) : undefined,
    });
    let started = false;
    for await (const row of rows) {
      if (!started) {
        res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
        started = true;
      }
      await write(res, JSON.stringify(row) + '\n');
    }
    res.end();
  } catch (err) {
    // An upload read only in part (refused midway) leaves bytes no next request could follow:
    // the connection closes once the answer is out (lingering, so the sender reads it).
    if (req.readableDidRead && !req.complete) closeLingering(req, res);
    if (err instanceof AppError) return failWith(res, err);
    s.log.warn({ cause: (err as Error).message }, 'import: the file could not be read');
    return fail(res, 400, 'BAD_USER_INPUT', `The file could not be read: ${(err as Error).message}`);
  }
}

/** `privateAllowed`: the request may have private columns (http/exportCsrf.ts): not a cookie alone on a cross-site GET. */
export async function handleExport(s: Services, res: ServerResponse, url: URL, viewer: Viewer | null, privateAllowed: boolean) {
  const match = url.pathname.match(/\/api\/export\/(needs|events|indicators|partnerships)\.(csv|ndjson|json)$/);
  if (!match) return fail(res, 404, 'NOT_FOUND', 'Unknown export: use /api/export/{needs|events|indicators|partnerships}.{csv|ndjson|json}.');
  if (!viewer) return fail(res, 401, 'UNAUTHENTICATED', 'Sign in to export.');
  const [, kind, format] = match as unknown as [string, ExportKind, 'csv' | 'ndjson' | 'json'];
  const includePrivate = url.searchParams.get('private') === '1';
  if (includePrivate && !privateAllowed) {
    return fail(res, 403, 'CSRF', 'Private columns need an Authorization header (a session token or an API key), or a POST with the export token (Query.exportToken) as its csrf field.');
  }
  const refused = await keyMayRun(s, viewer, 'query', null);
  if (refused) return failWith(res, refused);
  const communityIds = url.searchParams.getAll('communityId').map(decodeId);
  const rows = exportRows(s, viewer, kind, {
    communityIds,
    includePrivate,
    period: (url.searchParams.get('period') as Period | null) ?? undefined,
  });
  let first: IteratorResult<Record<string, unknown>>;
  try {
    first = await rows.next();
  } catch (err) {
    if (err instanceof AppError) return fail(res, 403, err.extensions.code as ErrorCode, err.message);
    throw err;
  }
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : format === 'ndjson' ? 'application/x-ndjson' : 'application/json';
  res.writeHead(200, { 'content-type': type, 'content-disposition': `attachment; filename="${kind}.${format}"` });
  if (format === 'csv') {
    // Columns from the first row; a BOM so that spreadsheet programs read Hebrew right; no
    // text cell a spreadsheet would run as a formula.
    const columns = first.done ? [] : Object.keys(first.value);
    const csv = stringify({ header: true, columns, bom: true, cast: { string: csvText } });
    csv.pipe(res);
    for (let r = first; !r.done; r = await rows.next()) {
      if (!csv.write(r.value)) await once(csv, 'drain');
    }
    csv.end();
    await once(res, 'finish');
    return;
  }
  // Rows are gathered into ~256 KiB writes: one chunk per batch, not one per row.
  let buffer = format === 'json' ? '[' : '';
  let n = 0;
  for (let r = first; !r.done; r = await rows.next()) {
    buffer += (format === 'json' && n++ ? ',' : '') + JSON.stringify(r.value) + (format === 'ndjson' ? '\n' : '');
    if (buffer.length > 256 * 1024) {
      await write(res, buffer);
      buffer = '';
    }
  }
  await write(res, buffer + (format === 'json' ? ']' : ''));
  res.end();
}
