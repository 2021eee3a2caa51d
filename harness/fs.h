/* fs.h - the file system by host path: read a file, test, list, create and remove
 * directories. Strings returned are malloc'd and freed by the caller. Paths as strings
 * only (join, dirname) are path.h; names from input that must stay under a root go
 * through beneath.h instead. */
#ifndef WM_FS_H
#define WM_FS_H

#include "strvec.h"

#include <stdbool.h>
#include <stddef.h>

/* The content of the file at path, NUL-terminated (malloc'd; *len without the NUL when
 * len is not NULL), or NULL with errno set. */
char *fs_read_file(const char *path, size_t *len);
bool fs_is_dir(const char *path);
bool fs_is_file(const char *path);
/* The names in dir (not . files) ending in suffix (NULL: any), sorted, appended to out.
 * Returns 0, or -1 when dir cannot be read. */
int fs_list_dir(const char *dir, const char *suffix, struct strvec *out);
/* mkdir -p (mode 0755); an existing directory is success. 0 or -1 with errno. */
int fs_mkdir_p(const char *path);
/* mkdir -p for private directories: missing components are created 0700, and the last
 * one must then be a directory owned by this user and not group- or world-writable
 * (stat follows a symlink the user made). 0, or -1 with *why (malloc'd). */
int fs_mkdir_private(const char *path, char **why);
/* rm -rf without following symlinks; returns 0 on success. */
int fs_remove_tree(const char *path);

#endif
