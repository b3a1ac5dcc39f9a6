import type { ServerResponse } from 'node:http';
import { sendError } from './jsonp.js';

/** Answers 405 with `Allow: GET, HEAD`: every route of this server only reads. */
export function methodNotAllowed(res: ServerResponse, method: string | undefined): void {
  res.setHeader('allow', 'GET, HEAD');
  sendError(res, 405, 'method_not_allowed', 'Only GET and HEAD are allowed.', method === 'HEAD');
}
