/**
 * A typed client built from the contract table. The transport is injected so the same
 * client runs on Taro.request (mini-program and H5) and on fetch (tests, scripts).
 */
import {
  contract,
  fillPath,
  queryString,
  type Contract,
  type EndpointName,
  type RequestOf,
  type ResponseOf,
} from './contract';
import { ErrorCode, Problem, type FieldProblem } from './errors';

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}
export interface TransportResponse {
  status: number;
  body: unknown;
}
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

/** An error answer from the API, carrying the problem document's code and field list. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ApiClient = {
  [K in EndpointName]: (req: RequestOf<Contract[K]>) => Promise<ResponseOf<Contract[K]>>;
};

export interface ClientOptions {
  baseUrl: string;
  transport: Transport;
  /** Extra headers per call (later: the buyer's session token). */
  headers?: () => Record<string, string>;
}

export function createApiClient(options: ClientOptions): ApiClient {
  const client = {} as Record<string, (req: Record<string, unknown>) => Promise<unknown>>;
  for (const name of Object.keys(contract) as EndpointName[]) {
    const ep = contract[name];
    client[name] = async (req = {}) => {
      const params = req.params as Record<string, unknown> | undefined;
      const query = req.query as Record<string, unknown> | undefined;
      const url = options.baseUrl + fillPath(ep.path, params) + queryString(query);
      const headers: Record<string, string> = { accept: 'application/json', ...(options.headers?.() ?? {}) };
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      const res = await options.transport({ method: ep.method, url, headers, body: req.body });
      if (res.status >= 400) {
        const problem = Problem.safeParse(res.body);
        if (problem.success) {
          const p = problem.data;
          throw new ApiError(res.status, p.code, p.message, p.fields ?? [], p.requestId);
        }
        throw new ApiError(res.status, ErrorCode.INTERNAL, `HTTP ${res.status}`);
      }
      return ep.response.parse(res.body);
    };
  }
  return client as unknown as ApiClient;
}

/** A transport over the standard fetch API (Node 20, browsers). */
export function fetchTransport(fetchImpl: typeof fetch = fetch): Transport {
  return async ({ method, url, headers, body }) => {
    const res = await fetchImpl(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text so the caller sees what came back
    }
    return { status: res.status, body: parsed };
  };
}
