// Owns the sample's little REST client (the room list, room creation, edit history, read markers, the session),
// with the CSRF token that the secure profile requires on every POST.
import { state } from './state.js';

export function csrfHeaders() {
  return state.csrf ? { [state.csrf.header_name]: state.csrf.token } : {};
}

export async function api(path, options = {}) {
  const response = await fetch(path, {
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...csrfHeaders() },
    ...options,
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.code = body.code;
    throw error;
  }
  return body;
}
