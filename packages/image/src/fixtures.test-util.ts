import { fileURLToPath } from 'node:url';

/** Absolute path of a file under the shared fixtures folder (<repo>/../shared/fixtures). */
export function fixture(rel: string): string {
  return fileURLToPath(new URL(`../../../../shared/fixtures/${rel}`, import.meta.url));
}
