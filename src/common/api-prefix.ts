/** Every REST route lives under /api/v1 (health, metrics, admin and docs excepted). */
export const API_PREFIX = 'api/v1';
