/** sobre's own version (kept in sync with package.json by the build). */
export const VERSION = "0.1.0";
