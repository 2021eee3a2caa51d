/* guestpath.h - paths as the guest sees them: the guest side of a preopen, and which
 * preopen a guest file path falls under. Lexical only (no file system access); the host
 * side goes through beneath.h. Results are static or point into the arguments. */
#ifndef WM_GUESTPATH_H
#define WM_GUESTPATH_H

#include <stdbool.h>

/* A preopen's guest path: "/", ".", or one or more components without empty or ".."
 * ones ("/sandbox", "data/in", "./data", "/sandbox/"), no control characters. Returns
 * NULL when valid, else a static description of the problem. */
const char *guestpath_invalid(const char *guest);
/* How well the guest file path 'path' falls under the preopen 'guest': -1 not at all,
 * 0 when 'guest' is "/" or "." (they take any path), else 1 + the number of components
 * matched (longest match wins). *rest is the path below the preopen (may be ""). */
int guestpath_match(const char *guest, const char *path, const char **rest);
/* Whether a relative path stays at or below its start when read lexically ('a/../b'
 * does, '../b' and 'a/../../b' do not). */
bool guestpath_rel_stays(const char *rel);

#endif
