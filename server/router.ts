import express, { type Router } from 'express';

/**
 * An Express router that matches each path exactly one way: case-sensitive and strict about
 * a trailing slash. Express's defaults would route `/CONFIGURATOR/x.js` and `/healthz/` to
 * handlers that look files up by the exact path, turning a typo into a server error.
 */
export function exactRouter(): Router {
  return express.Router({ caseSensitive: true, strict: true });
}
