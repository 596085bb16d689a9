// OpenAPI 3.1 description and a plain HTML docs page, both generated from the route table's zod schemas.
import { z } from 'zod';
import type { RouteSpec } from './route-spec.ts';

const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const openApiPath = (url: string): string => url.replace(/:([A-Za-z]+)/g, '{$1}');

export function buildOpenApi(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      const json = toJsonSchema(schema, 'input') as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, property] of Object.entries(json.properties ?? {}))
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (json.required ?? []).includes(name),
          schema: property,
        });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses))
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { 'application/json': { schema: toJsonSchema(response.schema, 'output') } } }
          : {}),
      };
    if (!route.isPublic) {
      responses['401'] ??= { description: 'missing or invalid API key' };
      responses['429'] ??= { description: 'rate limit exceeded (see Retry-After)' };
    }
    if (route.body) {
      responses['400'] ??= { description: 'invalid body; error.issues name each field path' };
      responses['413'] ??= { description: 'body larger than the limit' };
    }
    (paths[openApiPath(route.url)] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      'x-access': route.access,
      ...(route.isPublic ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toJsonSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'gridnest platform service',
      version,
      description:
        'Live P2P energy trading platform: orders for delivery intervals, trades, DSO prices, meter readings, ' +
        'settlement into a double-entry ledger (micro-euros). Times are UTC ISO 8601. WebSocket streams at ' +
        '/v1/platforms/{platformId}/stream?channels=book,trades,prices (same API key).',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'gn_<keyId>_<secret>' } },
    },
    security: [{ apiKey: [] }],
    paths,
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** A self-contained docs page (no scripts, no external assets). */
export function buildDocsPage(openApi: Record<string, unknown>): string {
  const paths = openApi.paths as Record<string, Record<string, Record<string, unknown>>>;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(paths))
    for (const [method, op] of Object.entries(methods)) {
      const body = (op.requestBody as { content: { 'application/json': { schema: unknown } } } | undefined)
        ?.content['application/json'].schema;
      const responses = Object.entries(op.responses as Record<string, { description: string }>)
        .map(([status, r]) => `<li><code>${status}</code> ${escapeHtml(r.description)}</li>`)
        .join('');
      sections.push(`<section><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h3>
<p>${escapeHtml(String(op.summary))}</p>${op.description ? `<p>${escapeHtml(String(op.description))}</p>` : ''}
<p><b>Access:</b> ${escapeHtml(String(op['x-access']))}</p>
${op.parameters ? `<details><summary>Parameters</summary><pre>${escapeHtml(JSON.stringify(op.parameters, null, 2))}</pre></details>` : ''}
${body ? `<details><summary>Request body</summary><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre></details>` : ''}
<ul>${responses}</ul></section>`);
    }
  const info = openApi.info as { title: string; description: string; version: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}section{border-top:1px solid #ccc}
pre{background:#f6f6f6;padding:.5rem;overflow:auto}code{font-size:.95em}</style></head><body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description)}</p>
<p>Authenticate with <code>Authorization: Bearer &lt;API key&gt;</code>. Machine-readable description: <a href="/openapi.json">/openapi.json</a>.</p>
${sections.join('\n')}</body></html>`;
}
