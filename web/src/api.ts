import type { z } from 'zod';
import type {
  ActorResponse,
  EnrolmentStartResponse,
  LoginResponse,
  MeResponse,
} from '../../server/src/accounts/account.types.ts';
import type { AnyRoute } from '../../server/src/http/route.ts';

export type Actor = z.infer<typeof ActorResponse>;
export type LoginResult = z.infer<typeof LoginResponse>;
export type Me = z.infer<typeof MeResponse>;
export type EnrolmentStart = z.infer<typeof EnrolmentStartResponse>;

/** "METHOD /url" of each route in a list of the server's routes. */
type RouteKey<Routes extends readonly AnyRoute[]> = Routes[number] extends infer R
  ? R extends AnyRoute
    ? `${R['method']} ${R['url']}`
    : never
  : never;

/**
 * The answer of one API route, as the server's zod schema for it sends it — the schema that also
 * validates the answer and generates the OpenAPI document, so no page declares a type of its own:
 * `Answer<typeof taskRoutes, 'GET /api/tasks'>`.
 */
export type Answer<
  Routes extends readonly AnyRoute[],
  Key extends RouteKey<Routes>,
> = Key extends `${infer M} ${infer U}` ? z.output<Extract<Routes[number], { method: M; url: U }>['response']> : never;

/** An error answer of the API: the code translates into a message; fields mark the form. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: { field: string; message: string }[];
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(String(body.message ?? 'error'));
    this.status = status;
    this.code = String(body.code ?? 'unknown');
    this.fields = Array.isArray(body.fields) ? (body.fields as ApiError['fields']) : [];
    this.body = body;
  }
}

// The session's CSRF token, from the login answer or /api/me; sent on every state-changing request.
let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Call the Kring API with JSON; throws ApiError for an error answer, 'network' when unreachable. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { code: 'network' });
  }
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new ApiError(response.status, data);
  if (typeof data.csrfToken === 'string') setCsrfToken(data.csrfToken);
  return data as T;
}
