/* beneath.h - opening a path beneath a directory fd without leaving it (the openat2
 * RESOLVE_BENEATH model): the one way a name from input becomes a host file under a root
 * (fixture copies, guest directories, file expectations; see docs/suite-format.md, "Paths
 * and the sandbox"). Links are resolved component by component (openat with O_NOFOLLOW,
 * '..' popped off a stack of directory fds), never judged by their text; resolution that
 * would leave the root fails with EXDEV. Returned fds are the caller's to close, returned
 * strings the caller's to free. */
#ifndef WM_BENEATH_H
#define WM_BENEATH_H

#include <stddef.h>

#define BENEATH_MAX_LINKS 40	/* links followed in one resolution, as Linux (MAXSYMLINKS) */
enum {
	BENEATH_FOLLOW = 1,	/* follow a symlink in the last component too (beneath the root) */
	BENEATH_MKDIR = 2,	/* create missing directories, the last component included */
};
/* Opens 'rel' (relative; "" and "." are the root itself) beneath the directory 'rootfd'
 * with 'oflags' (O_NOFOLLOW and O_CLOEXEC are added for the last component). Symlinks
 * in directory components are followed while they stay beneath the root. Returns an
 * fd, or -1 with errno: EXDEV when the path or a link leaves the root (absolute path,
 * absolute link, '..' above the root), ELOOP after BENEATH_MAX_LINKS links, or what
 * openat said. */
int beneath_open(int rootfd, const char *rel, int oflags, unsigned how);
/* The content of the regular file at 'rel' beneath 'rootfd' (links followed beneath),
 * NUL-terminated, or NULL with errno (EINVAL: not a regular file). */
char *beneath_read(int rootfd, const char *rel, size_t *len);

#endif
