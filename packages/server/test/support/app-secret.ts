/**
 * For tests that run several servers as one deployment: production processes share APP_SECRET, so
 * what one signs (staff sessions, widget visitor tokens) the others accept.
 */
export const SHARED_APP_SECRET = 'lead-desk-test-app-secret-shared-by-processes';
