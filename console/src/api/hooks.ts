/**
 * TanStack Query over the typed client: a page names a contract endpoint and its request,
 * never a URL. Query keys are `[endpointName, request]`, so invalidating by name refreshes
 * every view of that endpoint.
 */
import type { Contract, EndpointName, RequestOf, ResponseOf } from '@chatmall/shared';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { api } from './client';

export type Req<K extends EndpointName> = RequestOf<Contract[K]>;
export type Res<K extends EndpointName> = ResponseOf<Contract[K]>;

export function apiKey<K extends EndpointName>(name: K, req?: Req<K>) {
  return req === undefined ? ([name] as const) : ([name, req] as const);
}

export function useApiQuery<K extends EndpointName>(
  name: K,
  req: Req<K>,
  options: Omit<UseQueryOptions<Res<K>, Error>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<Res<K>, Error>({
    queryKey: apiKey(name, req),
    queryFn: () => api[name](req) as Promise<Res<K>>,
    ...options,
  });
}

/** A call that changes something; on success the named endpoints' queries are refetched. */
export function useApiMutation<K extends EndpointName>(
  name: K,
  options: Omit<UseMutationOptions<Res<K>, Error, Req<K>>, 'mutationFn'> & { invalidates?: EndpointName[] } = {},
) {
  const client = useQueryClient();
  const { invalidates = [], onSuccess, ...rest } = options;
  return useMutation<Res<K>, Error, Req<K>>({
    mutationFn: (req) => api[name](req) as Promise<Res<K>>,
    ...rest,
    onSuccess: async (...args) => {
      await Promise.all(invalidates.map((n) => client.invalidateQueries({ queryKey: [n] })));
      await onSuccess?.(...args);
    },
  });
}
