/* path.h - host paths as strings: join, dirname, basename. No file system access
 * (that is fs.h). Strings returned are malloc'd, except path_basename's, which points
 * into its argument. */
#ifndef WM_PATH_H
#define WM_PATH_H

char *path_join(const char *a, const char *b);
char *path_dirname(const char *p);
const char *path_basename(const char *p);

#endif
