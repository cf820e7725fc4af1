/** Image paths from the API are relative to the API origin (`/media/…`); pages need full URLs. */
export function mediaUrl(path: string): string {
  return path.startsWith('/') && !path.startsWith('//') ? API_BASE_URL + path : path;
}
