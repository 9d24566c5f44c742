// The hub's coordinator API, same origin, with the session cookie.
export const coordinatorApi = (path: string, init?: RequestInit): Promise<Response> => fetch(`/coordinator/api/${path}`, { credentials: 'same-origin', ...init });
